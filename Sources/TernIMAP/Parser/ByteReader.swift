/// A cursor over one complete response frame with the lexical rules of RFC 9051 §4 and §9.
///
/// Every read either advances past a valid token or throws; running off the end of the frame
/// is a syntax error, never "need more" (the framer already delivered whole responses).
/// Strings come back as `ArraySlice` into the frame, so literals are never copied.
struct ByteReader {
    let bytes: [UInt8]
    var index: Int
    let limits: IMAPLimits
    /// Current parenthesis nesting, checked against ``IMAPLimits/maxNestingDepth``.
    var depth = 0

    init(_ bytes: [UInt8], limits: IMAPLimits) {
        self.bytes = bytes
        self.index = 0
        self.limits = limits
    }

    var isAtEnd: Bool { index >= bytes.count }

    func peek(_ offset: Int = 0) -> UInt8? {
        index + offset < bytes.count ? bytes[index + offset] : nil
    }

    func error(_ kind: IMAPProtocolError.Kind, _ message: String) -> IMAPProtocolError {
        IMAPProtocolError(kind, message, offset: index, excerpt: IMAPProtocolError.excerpt(of: bytes, around: index))
    }

    /// True at CRLF (or the end of the frame).
    var atLineEnd: Bool {
        guard let byte = peek() else { return true }
        return byte == 0x0D && peek(1) == 0x0A
    }

    mutating func expect(_ byte: UInt8) throws(IMAPProtocolError) {
        guard peek() == byte else {
            throw error(.syntax, "expected \"\(Character(Unicode.Scalar(byte)))\"")
        }
        index += 1
    }

    /// Consumes `byte` if it is next.
    mutating func consume(_ byte: UInt8) -> Bool {
        guard peek() == byte else { return false }
        index += 1
        return true
    }

    /// Skips any run of spaces (servers send doubled and trailing spaces).
    mutating func skipSpaces() {
        while peek() == 0x20 { index += 1 }
    }

    /// `SP`, liberally: one or more spaces.
    mutating func expectSpace() throws(IMAPProtocolError) {
        guard peek() == 0x20 else { throw error(.syntax, "expected a space") }
        skipSpaces()
    }

    /// Consumes an ASCII keyword, ignoring case, if it is next and followed by a delimiter.
    mutating func consumeKeyword(_ keyword: String) -> Bool {
        var offset = 0
        for expected in keyword.utf8 {
            guard let byte = peek(offset), Self.upper(byte) == Self.upper(expected) else { return false }
            offset += 1
        }
        if let next = peek(offset), Self.isAtomChar(next) && next != UInt8(ascii: "]") { return false }
        index += offset
        return true
    }

    /// Ends the response: optional trailing spaces, then CRLF, then the end of the frame.
    mutating func expectEnd() throws(IMAPProtocolError) {
        skipSpaces()
        guard peek() == 0x0D, peek(1) == 0x0A, index + 2 == bytes.count else {
            throw error(.syntax, "expected end of response")
        }
        index += 2
    }

    // MARK: - Atoms and numbers

    static func upper(_ byte: UInt8) -> UInt8 {
        (0x61...0x7A).contains(byte) ? byte - 0x20 : byte
    }

    /// `ATOM-CHAR = <any CHAR except atom-specials>`; liberal: 8-bit allowed, `]` allowed
    /// (callers that must stop at `]` pass `stopAtBracket`).
    static func isAtomChar(_ byte: UInt8) -> Bool {
        switch byte {
        case 0x00...0x20, 0x7F, UInt8(ascii: "("), UInt8(ascii: ")"), UInt8(ascii: "{"), UInt8(ascii: "\""):
            false
        default:
            true
        }
    }

    /// A run of atom characters (may include `\`, `*`, `%` as flags and patterns need).
    mutating func readAtomBytes(stopAtBracket: Bool = false) throws(IMAPProtocolError) -> ArraySlice<UInt8> {
        let start = index
        while let byte = peek(), Self.isAtomChar(byte) {
            if stopAtBracket && (byte == UInt8(ascii: "]") || byte == UInt8(ascii: "[")) { break }
            index += 1
        }
        guard index > start else { throw error(.syntax, "expected an atom") }
        return bytes[start..<index]
    }

    mutating func readAtom(stopAtBracket: Bool = false) throws(IMAPProtocolError) -> String {
        String(decoding: try readAtomBytes(stopAtBracket: stopAtBracket), as: UTF8.self)
    }

    /// `number64 = 1*DIGIT` up to 2⁶³−1.
    mutating func readNumber64() throws(IMAPProtocolError) -> UInt64 {
        let start = index
        var value: UInt64 = 0
        while let byte = peek(), (0x30...0x39).contains(byte) {
            let (times, overflow1) = value.multipliedReportingOverflow(by: 10)
            let (sum, overflow2) = times.addingReportingOverflow(UInt64(byte - 0x30))
            guard !overflow1, !overflow2, sum <= UInt64(Int64.max) else {
                throw error(.number, "number too large")
            }
            value = sum
            index += 1
        }
        guard index > start else { throw error(.syntax, "expected a number") }
        return value
    }

    /// `number = 1*DIGIT` up to 2³²−1.
    mutating func readNumber32() throws(IMAPProtocolError) -> UInt32 {
        let value = try readNumber64()
        guard value <= UInt64(UInt32.max) else { throw error(.number, "number exceeds 32 bits") }
        return UInt32(value)
    }

    /// `nz-number`.
    mutating func readNZNumber() throws(IMAPProtocolError) -> UInt32 {
        let value = try readNumber32()
        guard value > 0 else { throw error(.number, "zero where a non-zero number is required") }
        return value
    }

    /// A count that must fit `Int` (sequence numbers, EXISTS).
    mutating func readCount() throws(IMAPProtocolError) -> Int {
        Int(try readNumber32())
    }

    // MARK: - Strings

    /// `string = quoted / literal` (and RFC 3516 `literal8` where servers send it).
    mutating func readString() throws(IMAPProtocolError) -> ArraySlice<UInt8> {
        switch peek() {
        case UInt8(ascii: "\""): return try readQuoted()
        case UInt8(ascii: "{"), UInt8(ascii: "~"): return try readLiteral()
        default: throw error(.syntax, "expected a string")
        }
    }

    /// `quoted = DQUOTE *QUOTED-CHAR DQUOTE`; `\\` and `\"` are unescaped, any other escaped
    /// byte is kept as itself (liberal), 8-bit bytes pass through (UTF-8).
    mutating func readQuoted() throws(IMAPProtocolError) -> ArraySlice<UInt8> {
        try expect(UInt8(ascii: "\""))
        let start = index
        var unescaped: [UInt8]?
        while let byte = peek() {
            switch byte {
            case UInt8(ascii: "\""):
                defer { index += 1 }
                if let unescaped { return unescaped[...] }
                return bytes[start..<index]
            case UInt8(ascii: "\\"):
                if unescaped == nil { unescaped = Array(bytes[start..<index]) }
                index += 1
                guard let escaped = peek(), escaped != 0x0D, escaped != 0x0A else {
                    throw error(.syntax, "unterminated escape in quoted string")
                }
                unescaped?.append(escaped)
                index += 1
            case 0x0D, 0x0A:
                throw error(.syntax, "unterminated quoted string")
            default:
                unescaped?.append(byte)
                index += 1
            }
        }
        throw error(.syntax, "unterminated quoted string")
    }

    /// `literal = "{" number64 ["+"] "}" CRLF *CHAR8`, `literal8 = "~{" number64 "}" CRLF *OCTET`.
    mutating func readLiteral() throws(IMAPProtocolError) -> ArraySlice<UInt8> {
        _ = consume(UInt8(ascii: "~"))
        try expect(UInt8(ascii: "{"))
        let length = try readNumber64()
        _ = consume(UInt8(ascii: "+"))
        try expect(UInt8(ascii: "}"))
        guard consume(0x0D), consume(0x0A) else { throw error(.literal, "literal announcement not followed by CRLF") }
        guard length <= UInt64(limits.maxLiteralSize), Int(length) <= bytes.count - index else {
            throw error(.literal, "literal of \(length) bytes runs past the response")
        }
        let start = index
        index += Int(length)
        return bytes[start..<index]
    }

    /// `nstring = string / nil`.
    mutating func readNString() throws(IMAPProtocolError) -> ArraySlice<UInt8>? {
        if consumeKeyword("NIL") { return nil }
        return try readString()
    }

    /// `astring = 1*ASTRING-CHAR / string`.
    mutating func readAString() throws(IMAPProtocolError) -> ArraySlice<UInt8> {
        switch peek() {
        case UInt8(ascii: "\""), UInt8(ascii: "{"): return try readString()
        case UInt8(ascii: "~") where peek(1) == UInt8(ascii: "{"): return try readString()
        default: return try readAtomBytes()
        }
    }

    mutating func readAStringText() throws(IMAPProtocolError) -> String {
        String(decoding: try readAString(), as: UTF8.self)
    }

    mutating func readStringText() throws(IMAPProtocolError) -> String {
        String(decoding: try readString(), as: UTF8.self)
    }

    /// The rest of the line up to CRLF, as UTF-8 (lossy); consumes nothing of the CRLF.
    mutating func readTextToLineEnd() -> String {
        let start = index
        while !atLineEnd { index += 1 }
        return String(decoding: bytes[start..<index], as: UTF8.self)
    }

    // MARK: - Lists

    /// `"(" [item *(SP item)] ")"` with liberal spacing, depth and item-count limits.
    mutating func readList<T>(
        _ item: (inout ByteReader) throws(IMAPProtocolError) -> T
    ) throws(IMAPProtocolError) -> [T] {
        try expect(UInt8(ascii: "("))
        try enterNesting()
        defer { depth -= 1 }
        var items: [T] = []
        skipSpaces()
        while !consume(UInt8(ascii: ")")) {
            guard !isAtEnd else { throw error(.syntax, "unbalanced parenthesis") }
            items.append(try item(&self))
            try checkCount(items.count)
            skipSpaces()
        }
        return items
    }

    mutating func enterNesting() throws(IMAPProtocolError) {
        depth += 1
        guard depth <= limits.maxNestingDepth else {
            throw error(.limitExceeded, "parentheses nested deeper than \(limits.maxNestingDepth)")
        }
    }

    func checkCount(_ count: Int) throws(IMAPProtocolError) {
        guard count <= limits.maxListItems else {
            throw error(.limitExceeded, "more than \(limits.maxListItems) items in a list")
        }
    }

    /// Skips one value of any shape: parenthesized list, string, literal, NIL, number, atom
    /// (atoms may carry `[…]` sections and `<…>` partials). Used for items the codec does not
    /// model (ENVELOPE, BODYSTRUCTURE, vendor data).
    mutating func skipValue() throws(IMAPProtocolError) {
        switch peek() {
        case UInt8(ascii: "("):
            _ = try readList { (reader: inout ByteReader) throws(IMAPProtocolError) in try reader.skipValue() }
        case UInt8(ascii: "\""), UInt8(ascii: "{"):
            _ = try readString()
        case UInt8(ascii: "~") where peek(1) == UInt8(ascii: "{"):
            _ = try readString()
        case nil:
            throw error(.syntax, "expected a value")
        default:
            try skipAtomWithSections()
        }
    }

    /// An atom that may contain bracketed sections (`BODY[HEADER.FIELDS (A B)]<0>`).
    mutating func skipAtomWithSections() throws(IMAPProtocolError) {
        let start = index
        while let byte = peek() {
            if byte == UInt8(ascii: "[") {
                index += 1
                while let inner = peek(), inner != UInt8(ascii: "]") {
                    guard inner != 0x0D else { throw error(.syntax, "unterminated section") }
                    index += 1
                }
                try expect(UInt8(ascii: "]"))
            } else if Self.isAtomChar(byte) {
                index += 1
            } else {
                break
            }
        }
        guard index > start else { throw error(.syntax, "unexpected character") }
    }
}
