/// A parsed SPF record (RFC 7208 §4.5, §12 ABNF): directives in order plus modifiers.
public struct SPFRecord: Sendable, Hashable, CustomStringConvertible {
    /// A mechanism (RFC 7208 §5).
    public enum Mechanism: Sendable, Hashable {
        case all
        case include(SPFMacroString)
        case a(SPFMacroString?, v4: Int, v6: Int)
        case mx(SPFMacroString?, v4: Int, v6: Int)
        case ptr(SPFMacroString?)
        case ip4(IPAddress, prefix: Int)
        case ip6(IPAddress, prefix: Int)
        case exists(SPFMacroString)

        /// Mechanisms that cost a DNS lookup against the limit of 10 (RFC 7208 §4.6.4).
        var countsAsLookup: Bool {
            switch self {
            case .include, .a, .mx, .ptr, .exists: true
            case .all, .ip4, .ip6: false
            }
        }
    }

    public struct Directive: Sendable, Hashable, CustomStringConvertible {
        public var qualifier: Character
        public var mechanism: Mechanism
        /// The term as written.
        public var text: String
        public var description: String { text }
    }

    public var directives: [Directive]
    public var redirect: SPFMacroString?
    public var explanation: SPFMacroString?
    /// Unknown modifiers (ignored, RFC 7208 §6).
    public var otherModifiers: [(String, String)] { unknown }
    var unknown: [(String, String)] = []
    public let text: String

    public var description: String { text }

    public static func == (lhs: SPFRecord, rhs: SPFRecord) -> Bool { lhs.text == rhs.text }
    public func hash(into hasher: inout Hasher) { hasher.combine(text) }

    /// True when `text` is an SPF record: begins with `v=spf1` then a space or the end (§4.5).
    public static func isSPF(_ text: String) -> Bool {
        let lower = text.lowercased()
        return lower == "v=spf1" || lower.hasPrefix("v=spf1 ")
    }

    /// Parses a complete record; any syntax error anywhere makes the whole record a permerror (§4.6).
    public init(parsing text: String) throws {
        self.text = text
        guard Self.isSPF(text) else { throw SPFError("the record does not start with v=spf1") }
        directives = []
        // Terms are separated by one or more spaces (SP only: tabs, CR and LF are errors).
        let terms = text.dropFirst(6).split(separator: " ", omittingEmptySubsequences: true).map(String.init)
        for term in terms {
            if let modifier = try Self.parseModifier(term) {
                switch modifier.0.lowercased() {
                case "redirect":
                    guard redirect == nil else { throw SPFError("redirect= appears twice", term: term) }
                    redirect = try Self.domainSpec(modifier.1, term: term)
                case "exp":
                    guard explanation == nil else { throw SPFError("exp= appears twice", term: term) }
                    explanation = try Self.domainSpec(modifier.1, term: term)
                default:
                    _ = try SPFMacroString(modifier.1)
                    unknown.append(modifier)
                }
                continue
            }
            directives.append(try Self.parseDirective(term))
        }
    }

    /// `name=value` where name = ALPHA *( ALPHA / DIGIT / "-" / "_" / "." ).
    static func parseModifier(_ term: String) throws -> (String, String)? {
        guard let equals = term.firstIndex(of: "=") else { return nil }
        let name = term[..<equals]
        guard let first = name.first, first.isASCII, first.isLetter,
              name.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || "-_.".contains($0)) }) else {
            return nil
        }
        return (String(name), String(term[term.index(after: equals)...]))
    }

    static func parseDirective(_ term: String) throws -> Directive {
        var rest = Substring(term)
        var qualifier: Character = "+"
        if let first = rest.first, "+-~?".contains(first) {
            qualifier = first
            rest = rest.dropFirst()
        }
        let nameEnd = rest.firstIndex(where: { $0 == ":" || $0 == "/" }) ?? rest.endIndex
        let name = rest[..<nameEnd].lowercased()
        let argument = rest[nameEnd...]
        let mechanism: Mechanism
        switch name {
        case "all":
            guard argument.isEmpty else { throw SPFError("'all' takes no argument", term: term) }
            mechanism = .all
        case "include", "exists":
            guard argument.hasPrefix(":") else { throw SPFError("\(name) needs ':domain'", term: term) }
            let spec = try domainSpec(String(argument.dropFirst()), term: term)
            mechanism = name == "include" ? .include(spec) : .exists(spec)
        case "a", "mx":
            let (domainText, v4, v6) = try dualCIDR(String(argument), term: term)
            var spec: SPFMacroString?
            if let domainText {
                guard domainText.hasPrefix(":") else { throw SPFError("bad \(name) argument", term: term) }
                spec = try domainSpec(String(domainText.dropFirst()), term: term)
            }
            mechanism = name == "a" ? .a(spec, v4: v4, v6: v6) : .mx(spec, v4: v4, v6: v6)
        case "ptr":
            var spec: SPFMacroString?
            if !argument.isEmpty {
                guard argument.hasPrefix(":") else { throw SPFError("ptr takes ':domain' only", term: term) }
                spec = try domainSpec(String(argument.dropFirst()), term: term)
            }
            mechanism = .ptr(spec)
        case "ip4", "ip6":
            guard argument.hasPrefix(":") else { throw SPFError("\(name) needs ':address'", term: term) }
            var addressText = argument.dropFirst()
            let maxPrefix = name == "ip4" ? 32 : 128
            var prefix = maxPrefix
            if let slash = addressText.firstIndex(of: "/") {
                prefix = try cidrLength(String(addressText[addressText.index(after: slash)...]), max: maxPrefix, term: term)
                addressText = addressText[..<slash]
            }
            guard let address = IPAddress(String(addressText)), address.isIPv4 == (name == "ip4"),
                  name == "ip6" || !addressText.contains(":") else {
                throw SPFError("'\(addressText)' is not an \(name == "ip4" ? "IPv4" : "IPv6") address", term: term)
            }
            mechanism = name == "ip4" ? .ip4(address, prefix: prefix) : .ip6(address, prefix: prefix)
        default:
            throw SPFError("unknown mechanism '\(name)'", term: term)
        }
        return Directive(qualifier: qualifier, mechanism: mechanism, text: term)
    }

    /// Splits `[":" domain] ["/" ip4-cidr] ["//" ip6-cidr]` from the end of an a/mx argument.
    static func dualCIDR(_ argument: String, term: String) throws -> (String?, Int, Int) {
        var rest = argument
        var v4 = 32, v6 = 128
        if let range = rest.range(of: "//", options: .backwards), !rest[range.upperBound...].contains("/") {
            v6 = try cidrLength(String(rest[range.upperBound...]), max: 128, term: term)
            rest = String(rest[..<range.lowerBound])
        }
        if let slash = rest.lastIndex(of: "/") {
            let digits = rest[rest.index(after: slash)...]
            if digits.allSatisfy(\.isNumber) {
                v4 = try cidrLength(String(digits), max: 32, term: term)
                rest = String(rest[..<slash])
            }
        }
        return (rest.isEmpty ? nil : rest, v4, v6)
    }

    /// `"0" / %x31-39 0*nDIGIT`, no leading zeros, at most `max`.
    static func cidrLength(_ text: String, max: Int, term: String) throws -> Int {
        guard !text.isEmpty, text.allSatisfy({ $0.isASCII && $0.isNumber }), text == "0" || !text.hasPrefix("0"),
              text.count <= 3, let value = Int(text), value <= max else {
            throw SPFError("bad CIDR length '/\(text)'", term: term)
        }
        return value
    }

    /// `domain-spec = macro-string domain-end`; `domain-end = "." toplabel ["."] / macro-expand`.
    static func domainSpec(_ text: String, term: String) throws -> SPFMacroString {
        guard !text.isEmpty else { throw SPFError("empty domain", term: term) }
        let spec: SPFMacroString
        do { spec = try SPFMacroString(text) } catch let error as SPFError { throw SPFError(error.message, term: term) }
        if spec.endsWithExpansion { return spec }
        var trimmed = Substring(text)
        if trimmed.hasSuffix(".") { trimmed = trimmed.dropLast() }
        guard let dot = trimmed.lastIndex(of: "."), isTopLabel(trimmed[trimmed.index(after: dot)...]) else {
            throw SPFError("the domain must end in a dot and a valid top label", term: term)
        }
        return spec
    }

    /// `toplabel = ( *alphanum ALPHA *alphanum ) / ( 1*alphanum "-" *( alphanum / "-" ) alphanum )`.
    static func isTopLabel(_ label: Substring) -> Bool {
        guard !label.isEmpty, label.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-") }) else { return false }
        if !label.contains("-") { return label.contains(where: \.isLetter) }
        return label.first != "-" && label.last != "-"
    }
}
