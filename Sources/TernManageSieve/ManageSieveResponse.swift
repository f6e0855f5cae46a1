/// ManageSieve (RFC 5804) responses, parsed without any I/O so they can be tested alone.
///
/// A server line is a list of tokens followed by CRLF (§4): atoms (`OK`, `ACTIVE`), quoted
/// strings (`"name"`, `\"` and `\\` escaped), literals (`{5}` or `{5+}` CRLF then 5 octets),
/// and parenthesised response codes after OK/NO/BYE (`(QUOTA/MAXSIZE)`). A status line ends a
/// command: `OK`, `NO` or `BYE`, an optional response code and an optional human text.
public enum ManageSieveToken: Sendable, Equatable {
    case atom(String)
    case string(String)
    /// `(CODE args…)` as its raw text without the parentheses.
    case code(String)
}

public struct ManageSieveStatus: Sendable, Equatable {
    public enum Kind: String, Sendable { case ok = "OK", no = "NO", bye = "BYE" }
    public var kind: Kind
    /// The response code, e.g. `NONEXISTENT`, `QUOTA/MAXSIZE`, `WARNINGS` (RFC 5804 §1.3).
    public var code: String?
    /// The server's words.
    public var text: String?
}

public enum ManageSieveLine: Sendable, Equatable {
    case data([ManageSieveToken])
    case status(ManageSieveStatus)
}

public struct ManageSieveError: Error, Sendable, Equatable, CustomStringConvertible {
    public enum Code: String, Sendable {
        /// The server answered NO; `status` holds its code and words.
        case refused
        /// The server said BYE or closed the connection.
        case closed
        /// The server sent something this client cannot parse.
        case malformed
        /// A line or literal over the limits.
        case tooLarge
        /// STARTTLS, SASL PLAIN or another needed capability is missing.
        case unsupported
        /// TCP/TLS failure.
        case transport
        /// No complete answer within the command's deadline.
        case timeout
    }
    public var code: Code
    public var message: String
    public var status: ManageSieveStatus?

    public init(_ code: Code, _ message: String, status: ManageSieveStatus? = nil) {
        self.code = code
        self.message = message
        self.status = status
    }

    public var description: String { message }
}

/// Incremental parser: feed bytes, take complete lines.
public struct ManageSieveParser: Sendable {
    public var maxLineLength: Int
    public var maxLiteralSize: Int
    private var buffer: [UInt8] = []
    private var start = 0

    public init(maxLineLength: Int = 64 * 1024, maxLiteralSize: Int = 4 * 1024 * 1024) {
        self.maxLineLength = maxLineLength
        self.maxLiteralSize = maxLiteralSize
    }

    public mutating func feed(_ bytes: [UInt8]) {
        if start > 0 && start == buffer.count {
            buffer.removeAll(keepingCapacity: true)
            start = 0
        }
        buffer += bytes
    }

    /// Bytes fed but not yet parsed.
    public var pending: Int { buffer.count - start }

    /// The next complete line, or nil when more bytes are needed.
    public mutating func next() throws(ManageSieveError) -> ManageSieveLine? {
        var tokens: [ManageSieveToken] = []
        var i = start
        var lineBytes = 0
        func need(_ count: Int) -> Bool { i + count <= buffer.count }
        while true {
            guard need(1) else {
                if lineBytes > maxLineLength {
                    throw ManageSieveError(.tooLarge, "ManageSieve: a response line is longer than \(maxLineLength) bytes")
                }
                return nil
            }
            let byte = buffer[i]
            switch byte {
            case UInt8(ascii: " "):
                i += 1; lineBytes += 1
            case UInt8(ascii: "\r"):
                guard need(2) else { return nil }
                guard buffer[i + 1] == UInt8(ascii: "\n") else {
                    throw ManageSieveError(.malformed, "ManageSieve: CR without LF in a response")
                }
                i += 2
                start = i
                return try Self.line(tokens)
            case UInt8(ascii: "\n"):
                // Be lenient with a bare LF.
                i += 1
                start = i
                return try Self.line(tokens)
            case UInt8(ascii: "\""):
                var text: [UInt8] = []
                var j = i + 1
                var closed = false
                while j < buffer.count {
                    let c = buffer[j]
                    if c == UInt8(ascii: "\\") {
                        guard j + 1 < buffer.count else { break }
                        text.append(buffer[j + 1]); j += 2; continue
                    }
                    if c == UInt8(ascii: "\"") { closed = true; j += 1; break }
                    if c == UInt8(ascii: "\r") || c == UInt8(ascii: "\n") {
                        throw ManageSieveError(.malformed, "ManageSieve: a line break inside a quoted string")
                    }
                    text.append(c); j += 1
                }
                guard closed else {
                    if j - start > maxLineLength {
                        throw ManageSieveError(.tooLarge, "ManageSieve: a response line is longer than \(maxLineLength) bytes")
                    }
                    return nil
                }
                lineBytes += j - i
                i = j
                tokens.append(.string(String(decoding: text, as: UTF8.self)))
            case UInt8(ascii: "{"):
                guard let close = buffer[i...].firstIndex(of: UInt8(ascii: "}")) else {
                    if buffer.count - i > 32 { throw ManageSieveError(.malformed, "ManageSieve: a bad literal length") }
                    return nil
                }
                var digits = buffer[(i + 1)..<close]
                if digits.last == UInt8(ascii: "+") { digits = digits.dropLast() }
                guard !digits.isEmpty, digits.count <= 12, digits.allSatisfy({ (48...57).contains($0) }),
                      let size = Int(String(decoding: digits, as: UTF8.self)) else {
                    throw ManageSieveError(.malformed, "ManageSieve: a bad literal length")
                }
                guard size <= maxLiteralSize else {
                    throw ManageSieveError(.tooLarge, "ManageSieve: the server sent a \(size)-byte literal (limit \(maxLiteralSize))")
                }
                var body = close + 1
                guard need(body - i + 2) else { return nil }
                if buffer[body] == UInt8(ascii: "\r") { body += 1 }
                guard buffer[body] == UInt8(ascii: "\n") else {
                    throw ManageSieveError(.malformed, "ManageSieve: a literal length not followed by CRLF")
                }
                body += 1
                guard body + size <= buffer.count else { return nil }
                tokens.append(.string(String(decoding: buffer[body..<(body + size)], as: UTF8.self)))
                lineBytes += close + 1 - i
                i = body + size
            case UInt8(ascii: "("):
                guard let close = buffer[i...].firstIndex(of: UInt8(ascii: ")")) else {
                    if buffer.count - i > maxLineLength {
                        throw ManageSieveError(.tooLarge, "ManageSieve: a response line is longer than \(maxLineLength) bytes")
                    }
                    return nil
                }
                tokens.append(.code(String(decoding: buffer[(i + 1)..<close], as: UTF8.self)))
                lineBytes += close + 1 - i
                i = close + 1
            default:
                var j = i
                while j < buffer.count, ![UInt8(ascii: " "), UInt8(ascii: "\r"), UInt8(ascii: "\n"),
                                          UInt8(ascii: "("), UInt8(ascii: "\"")].contains(buffer[j]) {
                    j += 1
                }
                if j == buffer.count {
                    if j - start > maxLineLength {
                        throw ManageSieveError(.tooLarge, "ManageSieve: a response line is longer than \(maxLineLength) bytes")
                    }
                    return nil
                }
                tokens.append(.atom(String(decoding: buffer[i..<j], as: UTF8.self)))
                lineBytes += j - i
                i = j
            }
            if lineBytes > maxLineLength {
                throw ManageSieveError(.tooLarge, "ManageSieve: a response line is longer than \(maxLineLength) bytes")
            }
        }
    }

    static func line(_ tokens: [ManageSieveToken]) throws(ManageSieveError) -> ManageSieveLine {
        guard case .atom(let first)? = tokens.first,
              let kind = ManageSieveStatus.Kind(rawValue: first.uppercased()) else {
            return .data(tokens)
        }
        var code: String?
        var text: String?
        for token in tokens.dropFirst() {
            switch token {
            case .code(let value) where code == nil && text == nil: code = value
            case .string(let value) where text == nil: text = value
            case .atom(let value) where text == nil: text = value
            default: throw ManageSieveError(.malformed, "ManageSieve: a bad \(first) response")
            }
        }
        return .status(ManageSieveStatus(kind: kind, code: code, text: text))
    }

    /// Capabilities from the greeting or CAPABILITY's data lines: upper-cased name → value.
    public static func capabilities(_ lines: [[ManageSieveToken]]) -> [String: String] {
        var result: [String: String] = [:]
        for tokens in lines {
            guard case .string(let name)? = tokens.first else { continue }
            var value = ""
            if tokens.count > 1, case .string(let text) = tokens[1] { value = text }
            result[name.uppercased()] = value
        }
        return result
    }

    /// LISTSCRIPTS data lines: names and which one is active.
    public static func scriptList(_ lines: [[ManageSieveToken]]) throws(ManageSieveError) -> [(name: String, active: Bool)] {
        try lines.map { tokens throws(ManageSieveError) in
            guard case .string(let name)? = tokens.first else {
                throw ManageSieveError(.malformed, "ManageSieve: a LISTSCRIPTS line without a script name")
            }
            var active = false
            if tokens.count > 1, case .atom(let word) = tokens[1], word.uppercased() == "ACTIVE" { active = true }
            return (name, active)
        }
    }
}

/// Client-side encoding.
public enum ManageSieveEncoding {
    /// A quoted string when safe (RFC 5804 §4: no CR/LF/NUL, at most 1024 octets), else a
    /// non-synchronising literal `{n+}` (the LITERAL+ form every ManageSieve server accepts).
    public static func string(_ text: String) -> [UInt8] {
        let bytes = Array(text.utf8)
        if bytes.count <= 1024, !bytes.contains(where: { $0 == 0 || $0 == 10 || $0 == 13 }) {
            var out: [UInt8] = [UInt8(ascii: "\"")]
            for byte in bytes {
                if byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") { out.append(UInt8(ascii: "\\")) }
                out.append(byte)
            }
            out.append(UInt8(ascii: "\""))
            return out
        }
        return literal(bytes)
    }

    public static func literal(_ bytes: [UInt8]) -> [UInt8] {
        Array("{\(bytes.count)+}\r\n".utf8) + bytes
    }

    /// SASL PLAIN's initial response (RFC 4616): authzid NUL authcid NUL password, base64.
    public static func plain(authorization: String?, user: String, password: String) -> String {
        let bytes = Array((authorization ?? "").utf8) + [0] + Array(user.utf8) + [0] + Array(password.utf8)
        return base64(bytes)
    }

    static func base64(_ bytes: [UInt8]) -> String {
        let table = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)
        var out: [UInt8] = []
        var i = 0
        while i < bytes.count {
            let b0 = Int(bytes[i]), b1 = i + 1 < bytes.count ? Int(bytes[i + 1]) : 0
            let b2 = i + 2 < bytes.count ? Int(bytes[i + 2]) : 0
            out.append(table[b0 >> 2])
            out.append(table[((b0 & 3) << 4) | (b1 >> 4)])
            out.append(i + 1 < bytes.count ? table[((b1 & 15) << 2) | (b2 >> 6)] : UInt8(ascii: "="))
            out.append(i + 2 < bytes.count ? table[b2 & 63] : UInt8(ascii: "="))
            i += 3
        }
        return String(decoding: out, as: UTF8.self)
    }
}
