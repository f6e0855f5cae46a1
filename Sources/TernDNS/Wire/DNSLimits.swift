/// Every bound the DNS decoder and client enforce, in one place, so a hostile or broken server
/// can never make Tern loop, recurse or allocate without limit.
public enum DNSLimits {
    /// RFC 1035 §2.3.4: a label is at most 63 octets (the two high bits of the length octet are
    /// reserved for compression pointers).
    public static let maxLabelLength = 63
    /// RFC 1035 §2.3.4: a name is at most 255 octets on the wire, length octets and root included.
    public static let maxNameWireLength = 255
    /// Compression pointers followed while decoding one name. A legal name has at most 127 labels,
    /// so 127 hops is already generous; the decoder also requires every pointer to point strictly
    /// before the segment it came from, which alone rules out loops.
    public static let maxPointerHops = 127
    /// RFC 1035 §4.2.2: a TCP message carries a 16-bit length, so no message exceeds 65535 octets.
    public static let maxMessageSize = 65_535
    /// Records accepted per section. Each record needs at least 11 octets, so a 64 KiB message
    /// holds fewer than 6000; a count above this is a bogus header, refused before any allocation.
    public static let maxRecordsPerSection = 6_000
    /// RFC 6891 §6.2.5: the UDP payload size Tern advertises in its OPT record.
    public static let ednsPayloadSize: UInt16 = 4096
    /// CNAME links followed by the stub resolver before giving up (RFC 1034 §3.6.2 asks for a bound).
    public static let maxCNAMEChain = 8
    /// Default per-attempt time-out and attempts per server for the wire client.
    public static let defaultTimeout: Double = 2.0
    public static let defaultAttempts = 2
}
