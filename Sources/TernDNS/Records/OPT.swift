/// OPT: the EDNS(0) pseudo-record (RFC 6891 §6.1). Its CLASS carries the sender's UDP payload
/// size and its TTL the extended RCODE, version and DO flag; `DNSMessage` exposes those.
public struct OPTRecord: Hashable, Sendable {
    public struct Option: Hashable, Sendable {
        public var code: UInt16
        public var data: [UInt8]
    }

    public var options: [Option]

    public init(options: [Option] = []) { self.options = options }

    public var presentation: String { options.map { "\($0.code):\(hexString($0.data))" }.joined(separator: " ") }

    static func decode(_ reader: inout ByteReader) throws -> OPTRecord {
        var options: [Option] = []
        while !reader.isAtEnd {
            let code = try reader.u16()
            let length = Int(try reader.u16())
            options.append(Option(code: code, data: try reader.take(length)))
        }
        return OPTRecord(options: options)
    }

    func encode(_ writer: inout ByteWriter) {
        for option in options {
            writer.u16(option.code)
            writer.u16(UInt16(option.data.count))
            writer.append(option.data)
        }
    }
}
