/// MX: a mail exchanger and its preference, lower first (RFC 1035 §3.3.9, RFC 7505 null MX).
public struct MXRecord: Hashable, Sendable {
    public var preference: UInt16
    public var exchange: DNSName

    public init(preference: UInt16, exchange: DNSName) {
        self.preference = preference
        self.exchange = exchange
    }

    public var presentation: String { "\(preference) \(exchange)" }

    static func decode(_ reader: inout ByteReader) throws -> MXRecord {
        let preference = try reader.u16()
        return MXRecord(preference: preference, exchange: try DNSName.decode(&reader))
    }

    func encode(_ writer: inout ByteWriter) {
        writer.u16(preference)
        writer.name(exchange, compress: true)
    }
}
