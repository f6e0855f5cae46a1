/// CAA: which certificate authorities may issue for the domain (RFC 8659 §4.1). Relevant to
/// MTA-STS, whose policy host needs a certificate.
public struct CAARecord: Hashable, Sendable {
    public var flags: UInt8
    public var tag: String
    public var value: [UInt8]

    public init(flags: UInt8, tag: String, value: [UInt8]) {
        self.flags = flags
        self.tag = tag
        self.value = value
    }

    public var presentation: String { "\(flags) \(tag) \"\(String(decoding: value, as: UTF8.self))\"" }

    static func decode(_ reader: inout ByteReader) throws -> CAARecord {
        let flags = try reader.u8()
        let tagLength = Int(try reader.u8())
        guard tagLength >= 1 else { throw DNSError(.badRecordData, "a CAA record has an empty tag") }
        let tag = try reader.take(tagLength)
        guard tag.allSatisfy({ ($0 >= 0x30 && $0 <= 0x39) || ($0 | 0x20 >= 0x61 && $0 | 0x20 <= 0x7A) }) else {
            throw DNSError(.badRecordData, "a CAA tag must be letters and digits")
        }
        return CAARecord(flags: flags, tag: String(decoding: tag, as: UTF8.self), value: try reader.take(reader.remaining))
    }

    func encode(_ writer: inout ByteWriter) {
        writer.u8(flags)
        let tagBytes = Array(tag.utf8)
        writer.u8(UInt8(tagBytes.count))
        writer.append(tagBytes)
        writer.append(value)
    }
}
