/// TXT: one or more character-strings of up to 255 octets each (RFC 1035 §3.3.14). Policy
/// records (SPF, DKIM, DMARC) join the strings without separators (RFC 7208 §3.3).
public struct TXTRecord: Hashable, Sendable {
    public var strings: [[UInt8]]

    public init(strings: [[UInt8]]) { self.strings = strings }

    /// Splits `text` into 255-octet character-strings.
    public init(_ text: String) {
        let bytes = Array(text.utf8)
        var strings: [[UInt8]] = []
        var index = 0
        repeat {
            strings.append(Array(bytes[index..<min(index + 255, bytes.count)]))
            index += 255
        } while index < bytes.count
        self.strings = strings
    }

    /// The strings joined, decoded as UTF-8 (invalid bytes become U+FFFD).
    public var text: String { String(decoding: strings.flatMap { $0 }, as: UTF8.self) }

    public var presentation: String {
        strings.map { string in
            var out = "\""
            for byte in string {
                switch byte {
                case UInt8(ascii: "\""), UInt8(ascii: "\\"): out += "\\" + String(UnicodeScalar(byte))
                case 0x20...0x7E: out.append(Character(UnicodeScalar(byte)))
                default:
                    let digits = String(byte)
                    out += "\\" + String(repeating: "0", count: 3 - digits.count) + digits
                }
            }
            return out + "\""
        }.joined(separator: " ")
    }

    static func decode(_ reader: inout ByteReader) throws -> TXTRecord {
        var strings: [[UInt8]] = []
        while !reader.isAtEnd {
            let length = Int(try reader.u8())
            strings.append(try reader.take(length))
        }
        return TXTRecord(strings: strings)
    }

    func encode(_ writer: inout ByteWriter) {
        for string in strings {
            writer.u8(UInt8(min(string.count, 255)))
            writer.append(Array(string.prefix(255)))
        }
    }
}
