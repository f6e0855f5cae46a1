/// SOA: start of a zone of authority (RFC 1035 §3.3.13). `minimum` is the negative-caching TTL
/// (RFC 2308 §4).
public struct SOARecord: Hashable, Sendable {
    public var primary: DNSName
    public var responsible: DNSName
    public var serial: UInt32
    public var refresh: UInt32
    public var retry: UInt32
    public var expire: UInt32
    public var minimum: UInt32

    public init(primary: DNSName, responsible: DNSName, serial: UInt32, refresh: UInt32, retry: UInt32,
                expire: UInt32, minimum: UInt32) {
        self.primary = primary
        self.responsible = responsible
        self.serial = serial
        self.refresh = refresh
        self.retry = retry
        self.expire = expire
        self.minimum = minimum
    }

    public var presentation: String { "\(primary) \(responsible) \(serial) \(refresh) \(retry) \(expire) \(minimum)" }

    static func decode(_ reader: inout ByteReader) throws -> SOARecord {
        let primary = try DNSName.decode(&reader)
        let responsible = try DNSName.decode(&reader)
        return SOARecord(primary: primary, responsible: responsible, serial: try reader.u32(), refresh: try reader.u32(),
                         retry: try reader.u32(), expire: try reader.u32(), minimum: try reader.u32())
    }

    func encode(_ writer: inout ByteWriter) {
        writer.name(primary, compress: true)
        writer.name(responsible, compress: true)
        for value in [serial, refresh, retry, expire, minimum] { writer.u32(value) }
    }
}
