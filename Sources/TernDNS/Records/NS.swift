/// NS: an authoritative name server for the zone (RFC 1035 §3.3.11).
public struct NSRecord: Hashable, Sendable {
    public var nameserver: DNSName

    public init(_ nameserver: DNSName) { self.nameserver = nameserver }

    public var presentation: String { nameserver.description }

    static func decode(_ reader: inout ByteReader) throws -> NSRecord {
        NSRecord(try DNSName.decode(&reader))
    }

    func encode(_ writer: inout ByteWriter) { writer.name(nameserver, compress: true) }
}
