/// A: an IPv4 host address (RFC 1035 §3.4.1).
public struct ARecord: Hashable, Sendable {
    public var address: IPAddress

    public init(_ address: IPAddress) { self.address = address }

    public var presentation: String { address.description }

    static func decode(_ reader: inout ByteReader) throws -> ARecord {
        guard reader.remaining == 4 else {
            throw DNSError(.badRecordData, "an A record must hold exactly 4 octets, not \(reader.remaining)")
        }
        return ARecord(.v4(try reader.take(4)))
    }

    func encode(_ writer: inout ByteWriter) { writer.append(address.bytes) }
}
