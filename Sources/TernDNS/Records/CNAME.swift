/// CNAME: the canonical name for an alias (RFC 1035 §3.3.1).
public struct CNAMERecord: Hashable, Sendable {
    public var cname: DNSName

    public init(_ cname: DNSName) { self.cname = cname }

    public var presentation: String { cname.description }

    static func decode(_ reader: inout ByteReader) throws -> CNAMERecord {
        CNAMERecord(try DNSName.decode(&reader))
    }

    func encode(_ writer: inout ByteWriter) { writer.name(cname, compress: true) }
}
