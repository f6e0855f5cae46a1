/// AAAA: an IPv6 host address (RFC 3596 §2.2).
public struct AAAARecord: Hashable, Sendable {
    public var address: IPAddress

    public init(_ address: IPAddress) { self.address = address }

    public var presentation: String { address.description }

    static func decode(_ reader: inout ByteReader) throws -> AAAARecord {
        guard reader.remaining == 16 else {
            throw DNSError(.badRecordData, "an AAAA record must hold exactly 16 octets, not \(reader.remaining)")
        }
        return AAAARecord(.v6(try reader.take(16)))
    }

    func encode(_ writer: inout ByteWriter) { writer.append(address.bytes) }
}
