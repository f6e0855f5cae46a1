/// One entry of the question section (RFC 1035 §4.1.2). In an UPDATE it is the zone (RFC 2136 §2.3).
public struct DNSQuestion: Hashable, Sendable, CustomStringConvertible {
    public var name: DNSName
    public var type: RecordType
    public var recordClass: RecordClass

    public init(name: DNSName, type: RecordType, recordClass: RecordClass = .internet) {
        self.name = name
        self.type = type
        self.recordClass = recordClass
    }

    public var description: String { "\(name) \(recordClass) \(type)" }

    static func decode(_ reader: inout ByteReader) throws -> DNSQuestion {
        let name = try DNSName.decode(&reader)
        let type = RecordType(rawValue: try reader.u16())
        let recordClass = RecordClass(rawValue: try reader.u16())
        return DNSQuestion(name: name, type: type, recordClass: recordClass)
    }

    func encode(_ writer: inout ByteWriter) {
        writer.name(name, compress: true)
        writer.u16(type.rawValue)
        writer.u16(recordClass.rawValue)
    }
}
