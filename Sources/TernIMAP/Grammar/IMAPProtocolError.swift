/// A response the codec could not frame or parse, or a value it refuses to encode.
///
/// It says what went wrong (``kind`` and ``message``), where (``offset`` into the frame or
/// stream) and shows a short ``excerpt`` of the bytes around that point. The excerpt is at most
/// ``maxExcerptLength`` characters of printable ASCII (`\r`, `\n`, `\xNN` escapes), so it is safe
/// to log and never carries more than a few dozen bytes of the response.
public struct IMAPProtocolError: Error, Sendable, Equatable, CustomStringConvertible {
    /// What class of problem this is.
    public enum Kind: String, Sendable, Equatable {
        /// The bytes do not follow the IMAP grammar.
        case syntax
        /// A line ended in a bare LF (or had a NUL / stray CR where framing forbids it).
        case framing
        /// A literal announcement `{n}` is malformed or claims more than ``IMAPLimits``.
        case literal
        /// One of ``IMAPLimits`` was exceeded.
        case limitExceeded
        /// A number does not fit its type (UID beyond 2³²−1, negative count…).
        case number
        /// Modified UTF-7 mailbox name that is not well-formed (RFC 3501 §5.1.3).
        case mailboxEncoding
        /// A value the encoder cannot put on the wire (e.g. a NUL in a string).
        case unencodable
    }

    /// Longest excerpt, in characters after escaping.
    public static let maxExcerptLength = 80

    public var kind: Kind
    public var message: String
    /// Byte offset into the frame (parser) or into the framer's buffered stream (framer).
    public var offset: Int
    /// Escaped bytes around ``offset``, at most ``maxExcerptLength`` characters.
    public var excerpt: String

    public init(_ kind: Kind, _ message: String, offset: Int = 0, excerpt: String = "") {
        self.kind = kind
        self.message = message
        self.offset = offset
        self.excerpt = excerpt
    }

    /// Builds an error whose excerpt shows the bytes of `bytes` around `offset`.
    public init<C: Collection<UInt8>>(_ kind: Kind, _ message: String, offset: Int, in bytes: C)
    where C.Index == Int {
        self.init(kind, message, offset: offset)
        self.excerpt = Self.excerpt(of: bytes, around: offset)
    }

    public var description: String {
        var text = "IMAP \(kind.rawValue) error at byte \(offset): \(message)"
        if !excerpt.isEmpty { text += " near \"\(excerpt)\"" }
        return text
    }

    /// Escapes the bytes of `bytes` from a little before `offset`, up to ``maxExcerptLength`` characters.
    static func excerpt<C: Collection<UInt8>>(of bytes: C, around offset: Int) -> String where C.Index == Int {
        let lower = Swift.max(bytes.startIndex, Swift.min(offset - 20, bytes.endIndex))
        let upper = Swift.min(bytes.endIndex, lower + maxExcerptLength)
        guard lower < upper else { return "" }
        var text = ""
        for byte in bytes[lower..<upper] {
            let piece: String
            switch byte {
            case UInt8(ascii: "\r"): piece = "\\r"
            case UInt8(ascii: "\n"): piece = "\\n"
            case UInt8(ascii: "\\"): piece = "\\\\"
            case UInt8(ascii: "\""): piece = "\\\""
            case 0x20..<0x7F: piece = String(Unicode.Scalar(byte))
            default:
                let hex = String(byte, radix: 16, uppercase: true)
                piece = byte < 0x10 ? "\\x0\(hex)" : "\\x\(hex)"
            }
            guard text.utf8.count + piece.utf8.count <= maxExcerptLength else { break }
            text += piece
        }
        return text
    }
}
