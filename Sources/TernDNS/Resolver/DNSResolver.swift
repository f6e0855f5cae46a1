/// The answer to one lookup, after following CNAMEs.
public struct DNSLookup: Sendable, Hashable {
    public var name: DNSName
    public var type: RecordType
    /// NOERROR or NXDOMAIN; other codes are thrown as `DNSError`.
    public var rcode: ResponseCode
    /// Records of `type` at the end of the CNAME chain, TTLs as received.
    public var records: [ResourceRecord]
    /// The CNAME records followed to get there.
    public var chain: [ResourceRecord]
    /// Which server answered (nil for in-memory data).
    public var server: String?

    public init(name: DNSName, type: RecordType, rcode: ResponseCode, records: [ResourceRecord],
                chain: [ResourceRecord] = [], server: String? = nil) {
        self.name = name
        self.type = type
        self.rcode = rcode
        self.records = records
        self.chain = chain
        self.server = server
    }

    /// No records: NXDOMAIN or NODATA (a "void lookup" in RFC 7208 §4.6.4 terms).
    public var isEmpty: Bool { records.isEmpty }
    public var isNXDomain: Bool { rcode == .nxDomain }

    public var txtStrings: [String] { records.compactMap { if case .txt(let txt) = $0.data { txt.text } else { nil } } }
    public var addresses: [IPAddress] {
        records.compactMap {
            switch $0.data {
            case .a(let record): record.address
            case .aaaa(let record): record.address
            default: nil
            }
        }
    }
}

/// Anything that can look up records: the stub resolver over the wire client, one authoritative
/// server, or in-memory zone data for tests. SPF, DKIM and DMARC code depends only on this.
public protocol DNSResolver: Sendable {
    /// Returns the records (possibly none, with NXDOMAIN or NOERROR); throws `DNSError` for
    /// time-outs, SERVFAIL, REFUSED and malformed answers.
    func lookup(_ name: DNSName, _ type: RecordType) async throws -> DNSLookup
}
