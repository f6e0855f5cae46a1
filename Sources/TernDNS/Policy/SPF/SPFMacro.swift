import Foundation

/// A parsed macro-string (RFC 7208 §7.1): literals and `%{…}` expansions, validated at parse time.
public struct SPFMacroString: Sendable, Hashable, CustomStringConvertible {
    enum Token: Sendable, Hashable {
        case literal(String)
        /// `%{` letter transformers delimiters `}`; `upper` asks for URL escaping.
        case expand(letter: Character, upper: Bool, digits: Int?, reverse: Bool, delimiters: [Character])
    }

    let tokens: [Token]
    public let description: String

    /// True when the string ends in a macro expansion (then RFC 7208's `domain-end` needs no toplabel).
    var endsWithExpansion: Bool { if case .expand = tokens.last { true } else { false } }

    /// Parses `text`. `explanation` allows spaces and the c/r/t letters (RFC 7208 §7.1 `explain-string`).
    init(_ text: String, explanation: Bool = false) throws {
        description = text
        var tokens: [Token] = []
        var literal = ""
        let chars = Array(text)
        var index = 0
        func flush() { if !literal.isEmpty { tokens.append(.literal(literal)); literal = "" } }
        while index < chars.count {
            let char = chars[index]
            guard char.isASCII, let ascii = char.asciiValue else {
                throw SPFError("non-ASCII character in a macro string", term: text)
            }
            if char != "%" {
                guard (ascii >= 0x21 && ascii <= 0x7E) || (explanation && ascii == 0x20) else {
                    throw SPFError("control or space character in a domain or macro string", term: text)
                }
                literal.append(char)
                index += 1
                continue
            }
            guard index + 1 < chars.count else { throw SPFError("'%' at the end of a macro string", term: text) }
            switch chars[index + 1] {
            case "%": literal.append("%"); index += 2
            case "_": literal.append(" "); index += 2
            case "-": literal.append("%20"); index += 2
            case "{":
                guard let close = chars[(index + 2)...].firstIndex(of: "}") else {
                    throw SPFError("unterminated %{ macro", term: text)
                }
                let body = Array(chars[(index + 2)..<close])
                guard let letter = body.first, "slodiphcrtvSLODIPHCRTV".contains(letter) else {
                    throw SPFError("unknown macro letter", term: text)
                }
                if !explanation, "crtCRT".contains(letter) {
                    throw SPFError("macro letters c, r and t are only allowed in exp= explanations", term: text)
                }
                var position = 1
                var digitText = ""
                while position < body.count, body[position].isASCII, body[position].isNumber {
                    digitText.append(body[position])
                    position += 1
                }
                var reverse = false
                if position < body.count, body[position] == "r" || body[position] == "R" {
                    reverse = true
                    position += 1
                }
                let delimiters = Array(body[position...])
                guard delimiters.allSatisfy({ ".-+,/_=".contains($0) }) else {
                    throw SPFError("bad macro delimiter", term: text)
                }
                var digits: Int?
                if !digitText.isEmpty {
                    guard let value = Int(digitText.prefix(4)), value > 0 else {
                        throw SPFError("macro transformer digit must be non-zero", term: text)
                    }
                    digits = value
                }
                flush()
                tokens.append(.expand(letter: Character(letter.lowercased()), upper: letter.isUppercase, digits: digits,
                                      reverse: reverse, delimiters: delimiters))
                index = close + 1
            default:
                throw SPFError("'%' must be followed by {, %, _ or -", term: text)
            }
        }
        flush()
        self.tokens = tokens
    }

    /// Expands with the values in `context` (RFC 7208 §7.3–7.4).
    func expand(_ context: SPFMacroContext) -> String {
        var out = ""
        for token in tokens {
            switch token {
            case .literal(let text):
                out += text
            case .expand(let letter, let upper, let digits, let reverse, let delimiters):
                let value = context.value(for: letter)
                let separators = delimiters.isEmpty ? ["."] : delimiters
                var parts = value.split(omittingEmptySubsequences: false, whereSeparator: { separators.contains($0) }).map(String.init)
                if reverse { parts.reverse() }
                if let digits, digits < parts.count { parts = Array(parts.suffix(digits)) }
                let joined = parts.joined(separator: ".")
                out += upper ? Self.urlEscape(joined) : joined
            }
        }
        return out
    }

    static func urlEscape(_ text: String) -> String {
        var allowed = CharacterSet.alphanumerics.intersection(CharacterSet(charactersIn: Unicode.Scalar(0)...Unicode.Scalar(127)))
        allowed.insert(charactersIn: "-._~")
        return text.addingPercentEncoding(withAllowedCharacters: allowed) ?? text
    }
}

/// The values macros expand to (RFC 7208 §7.2).
struct SPFMacroContext: Sendable {
    var sender: String
    var localPart: String
    var senderDomain: String
    var domain: String
    var ip: IPAddress
    var helo: String
    var validatedName: String
    var receiver: String
    var now: Int

    func value(for letter: Character) -> String {
        switch letter {
        case "s": sender
        case "l": localPart
        case "o": senderDomain
        case "d": domain
        case "i":
            switch ip {
            case .v4: ip.description
            case .v6(let bytes): bytes.flatMap { [String($0 >> 4, radix: 16), String($0 & 0xF, radix: 16)] }.joined(separator: ".")
            }
        case "p": validatedName
        case "v": ip.isIPv4 ? "in-addr" : "ip6"
        case "h": helo
        case "c": ip.description
        case "r": receiver
        case "t": String(now)
        default: ""
        }
    }
}
