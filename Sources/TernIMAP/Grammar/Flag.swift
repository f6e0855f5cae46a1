/// A message flag (RFC 9051 §2.3.2, `flag` / `flag-fetch` / `flag-perm`).
///
/// System flags compare case-insensitively (they are keywords); ``keyword(_:)`` keeps the
/// server's spelling and compares case-insensitively as RFC 9051 §2.3.2 requires.
public enum Flag: Sendable, Hashable, CustomStringConvertible {
    case seen
    case answered
    case flagged
    case deleted
    case draft
    /// `\Recent` (IMAP4rev1 only; never settable).
    case recent
    /// A keyword without backslash, e.g. `$Forwarded`, `$Junk`, `NonJunk`.
    case keyword(String)
    /// Any other backslash flag, without the backslash (`\Foo` → `extension("Foo")`).
    case `extension`(String)
    /// `\*` in PERMANENTFLAGS: the client may create new keywords.
    case wildcard

    /// Maps a wire atom (with or without leading backslash) to a flag.
    public init(_ atom: String) {
        guard atom.hasPrefix("\\") else {
            self = .keyword(atom)
            return
        }
        let name = atom.dropFirst()
        switch name.uppercased() {
        case "SEEN": self = .seen
        case "ANSWERED": self = .answered
        case "FLAGGED": self = .flagged
        case "DELETED": self = .deleted
        case "DRAFT": self = .draft
        case "RECENT": self = .recent
        case "*": self = .wildcard
        default: self = .extension(String(name))
        }
    }

    /// The flag as written on the wire.
    public var description: String {
        switch self {
        case .seen: "\\Seen"
        case .answered: "\\Answered"
        case .flagged: "\\Flagged"
        case .deleted: "\\Deleted"
        case .draft: "\\Draft"
        case .recent: "\\Recent"
        case .keyword(let name): name
        case .extension(let name): "\\" + name
        case .wildcard: "\\*"
        }
    }

    public static func == (lhs: Flag, rhs: Flag) -> Bool {
        switch (lhs, rhs) {
        case (.keyword(let a), .keyword(let b)), (.extension(let a), .extension(let b)):
            a.uppercased() == b.uppercased()
        case (.seen, .seen), (.answered, .answered), (.flagged, .flagged), (.deleted, .deleted),
            (.draft, .draft), (.recent, .recent), (.wildcard, .wildcard):
            true
        default:
            false
        }
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(description.uppercased())
    }
}

// MARK: - Encoding

extension Flag {
    /// True when the flag can be sent in STORE / APPEND: an atom without atom-specials
    /// (RFC 9051 `flag-keyword = atom`); `\Recent` and `\*` are never sent.
    public var isEncodable: Bool {
        switch self {
        case .recent, .wildcard: return false
        case .seen, .answered, .flagged, .deleted, .draft: return true
        case .keyword(let name), .extension(let name):
            return !name.isEmpty && name.utf8.allSatisfy { byte in
                (0x21...0x7E).contains(byte) && !"(){%*\"\\]".utf8.contains(byte)
            }
        }
    }

    /// `flag-list = "(" [flag *(SP flag)] ")"`; throws for a flag that cannot be sent.
    static func writeList(_ flags: [Flag], to writer: inout CommandWriter) throws(IMAPProtocolError) {
        writer.text("(")
        for (offset, flag) in flags.enumerated() {
            guard flag.isEncodable else {
                throw IMAPProtocolError(.unencodable, "flag \"\(flag)\" cannot be sent to the server")
            }
            if offset > 0 { writer.space() }
            writer.text(flag.description)
        }
        writer.text(")")
    }
}
