/// Builds the parts and the redacted trace of one command, choosing atom, quoted string or
/// literal for each string (RFC 9051 §4.3) and literal+/sync literal from ``EncoderOptions``.
struct CommandWriter {
    let options: EncoderOptions
    private(set) var parts: [EncodedCommand.Part] = []
    private var current: [UInt8] = []
    private(set) var trace = ""

    init(options: EncoderOptions) {
        self.options = options
        current.reserveCapacity(128)
    }

    /// Longest string sent quoted; longer ones become literals (keeps lines short).
    static let maxQuotedLength = 1024

    /// Appends ASCII protocol text (keywords, numbers, punctuation) as is.
    mutating func text(_ text: String) {
        current.append(contentsOf: text.utf8)
        trace += text
    }

    mutating func space() { text(" ") }

    /// Upper-case-insensitive `NIL` would be read back as NIL, so it is never sent as an atom.
    private static func isAtom(_ bytes: some Collection<UInt8>, wildcards: Bool) -> Bool {
        guard !bytes.isEmpty else { return false }
        if bytes.count == 3, bytes.map({ ByteReader.upper($0) }).elementsEqual("NIL".utf8) { return false }
        return bytes.allSatisfy { byte in
            switch byte {
            case 0x21...0x7E:
                switch byte {
                case UInt8(ascii: "("), UInt8(ascii: ")"), UInt8(ascii: "{"), UInt8(ascii: "\""),
                    UInt8(ascii: "\\"), UInt8(ascii: "]"):
                    return false
                case UInt8(ascii: "%"), UInt8(ascii: "*"):
                    return wildcards
                default:
                    return true
                }
            default:
                return false
            }
        }
    }

    private func canQuote(_ bytes: some Collection<UInt8>) -> Bool {
        bytes.count <= Self.maxQuotedLength
            && bytes.allSatisfy { byte in
                byte != 0 && byte != 0x0D && byte != 0x0A && (byte < 0x80 || options.utf8Accept)
            }
    }

    /// `astring`: atom when safe, else quoted, else literal. `wildcards` allows `%` and `*`
    /// in atoms (LIST patterns).
    mutating func astring(_ bytes: [UInt8], wildcards: Bool = false, secret: Bool = false) throws(IMAPProtocolError) {
        if Self.isAtom(bytes, wildcards: wildcards) {
            append(bytes, secret: secret)
        } else {
            try string(bytes, secret: secret)
        }
    }

    /// `string`: quoted when printable and short, else a literal.
    mutating func string(_ bytes: [UInt8], secret: Bool = false) throws(IMAPProtocolError) {
        guard !bytes.contains(0) else {
            throw IMAPProtocolError(.unencodable, "a string sent to the server cannot contain NUL")
        }
        if canQuote(bytes) {
            var quoted: [UInt8] = [UInt8(ascii: "\"")]
            quoted.reserveCapacity(bytes.count + 2)
            for byte in bytes {
                if byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") { quoted.append(UInt8(ascii: "\\")) }
                quoted.append(byte)
            }
            quoted.append(UInt8(ascii: "\""))
            append(quoted, secret: secret)
        } else {
            literal(bytes, secret: secret)
        }
    }

    /// Bytes that are a secret: sent as is, traced as `<redacted>`.
    mutating func appendSecret(_ bytes: [UInt8]) {
        append(bytes, secret: true)
    }

    private mutating func append(_ bytes: [UInt8], secret: Bool) {
        current.append(contentsOf: bytes)
        trace += secret ? "<redacted>" : String(decoding: bytes, as: UTF8.self)
    }

    /// A literal holding a short string; the bytes are copied into the current part.
    mutating func literal(_ bytes: [UInt8], secret: Bool) {
        literalHeader(count: bytes.count)
        current.append(contentsOf: bytes)
        trace += secret ? "<redacted>" : "\"" + String(decoding: bytes, as: UTF8.self) + "\""
    }

    /// A literal holding a message: the array becomes its own part, shared, not copied.
    mutating func messageLiteral(_ bytes: ArraySlice<UInt8>) {
        literalHeader(count: bytes.count, traceSize: false)
        trace += "{\(bytes.count) bytes}"
        flush()
        parts.append(.bytes(bytes))
    }

    private mutating func literalHeader(count: Int, traceSize: Bool = true) {
        let nonSync = options.allowsNonSynchronizing(count)
        let header = nonSync ? "{\(count)+}\r\n" : "{\(count)}\r\n"
        current.append(contentsOf: header.utf8)
        if traceSize { trace += nonSync ? "{\(count)+}" : "{\(count)}" }
        if !nonSync {
            flush()
            parts.append(.awaitContinuation)
        }
    }

    private mutating func flush() {
        guard !current.isEmpty else { return }
        parts.append(.bytes(current[...]))
        current = []
    }

    /// Ends the command with CRLF and returns its parts.
    mutating func finish(tag: String) -> EncodedCommand {
        current.append(0x0D)
        current.append(0x0A)
        flush()
        return EncodedCommand(tag: tag, parts: parts, redactedDescription: trace)
    }
}
