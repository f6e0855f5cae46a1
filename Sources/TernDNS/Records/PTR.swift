/// PTR: a pointer to another name, used for reverse lookups (RFC 1035 §3.3.12).
public struct PTRRecord: Hashable, Sendable {
    public var target: DNSName

    public init(_ target: DNSName) { self.target = target }

    public var presentation: String { target.description }

    static func decode(_ reader: inout ByteReader) throws -> PTRRecord {
        PTRRecord(try DNSName.decode(&reader))
    }

    func encode(_ writer: inout ByteWriter) { writer.name(target, compress: true) }
}
