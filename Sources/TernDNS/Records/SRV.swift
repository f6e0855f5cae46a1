/// SRV: where a service is offered (RFC 2782). The target is never compressed on output.
/// RFC 6186 uses `_imaps._tcp`, `_imap._tcp` and `_submission._tcp`; a target of "." means
/// "not offered here".
public struct SRVRecord: Hashable, Sendable {
    public var priority: UInt16
    public var weight: UInt16
    public var port: UInt16
    public var target: DNSName

    public init(priority: UInt16, weight: UInt16, port: UInt16, target: DNSName) {
        self.priority = priority
        self.weight = weight
        self.port = port
        self.target = target
    }

    public var presentation: String { "\(priority) \(weight) \(port) \(target)" }

    static func decode(_ reader: inout ByteReader) throws -> SRVRecord {
        let priority = try reader.u16()
        let weight = try reader.u16()
        let port = try reader.u16()
        return SRVRecord(priority: priority, weight: weight, port: port, target: try DNSName.decode(&reader))
    }

    func encode(_ writer: inout ByteWriter) {
        writer.u16(priority)
        writer.u16(weight)
        writer.u16(port)
        writer.name(target, compress: false)
    }
}
