/// The results of check_host() (RFC 7208 §2.6).
public enum SPFResult: String, Sendable, Codable, CaseIterable {
    case pass, fail, softfail, neutral, none, permerror, temperror

    /// The result a matching directive with this qualifier produces (RFC 7208 §4.6.2).
    init(qualifier: Character) {
        switch qualifier {
        case "-": self = .fail
        case "~": self = .softfail
        case "?": self = .neutral
        default: self = .pass
        }
    }
}

/// Why an SPF record could not be used: a syntax or evaluation error, with the offending term.
public struct SPFError: Error, Sendable, Equatable, CustomStringConvertible {
    public var message: String
    public var term: String?

    public init(_ message: String, term: String? = nil) {
        self.message = message
        self.term = term
    }

    public var description: String { term.map { "\(message) (term '\($0)')" } ?? message }
}
