/// A mailbox attribute from LIST / LSUB (RFC 9051 §7.3.1 `mbx-list-flags`, RFC 5258 §3,
/// RFC 6154 special-use attributes, RFC 8457 `\Important`).
///
/// Compared case-insensitively, as the RFCs require.
public enum MailboxAttribute: Sendable, Hashable, CustomStringConvertible {
    case noSelect
    case noInferiors
    case hasChildren
    case hasNoChildren
    case marked
    case unmarked
    case subscribed
    case nonExistent
    case remote
    // RFC 6154 special use.
    case all
    case archive
    case drafts
    case flagged
    case junk
    case sent
    case trash
    /// RFC 8457.
    case important
    /// Anything else, without the backslash if it had one (`\Foo` → `other("\\Foo")` keeps
    /// the full atom so the server's spelling survives).
    case other(String)

    /// Maps a wire atom (e.g. `\HasNoChildren`, `\Sent`) to an attribute.
    public init(_ atom: String) {
        switch atom.uppercased() {
        case "\\NOSELECT": self = .noSelect
        case "\\NOINFERIORS": self = .noInferiors
        case "\\HASCHILDREN": self = .hasChildren
        case "\\HASNOCHILDREN": self = .hasNoChildren
        case "\\MARKED": self = .marked
        case "\\UNMARKED": self = .unmarked
        case "\\SUBSCRIBED": self = .subscribed
        case "\\NONEXISTENT": self = .nonExistent
        case "\\REMOTE": self = .remote
        case "\\ALL": self = .all
        case "\\ARCHIVE": self = .archive
        case "\\DRAFTS": self = .drafts
        case "\\FLAGGED": self = .flagged
        case "\\JUNK": self = .junk
        case "\\SENT": self = .sent
        case "\\TRASH": self = .trash
        case "\\IMPORTANT": self = .important
        default: self = .other(atom)
        }
    }

    /// True for the RFC 6154 / RFC 8457 special-use attributes.
    public var isSpecialUse: Bool {
        switch self {
        case .all, .archive, .drafts, .flagged, .junk, .sent, .trash, .important: true
        default: false
        }
    }

    /// The attribute as written on the wire.
    public var description: String {
        switch self {
        case .noSelect: "\\Noselect"
        case .noInferiors: "\\Noinferiors"
        case .hasChildren: "\\HasChildren"
        case .hasNoChildren: "\\HasNoChildren"
        case .marked: "\\Marked"
        case .unmarked: "\\Unmarked"
        case .subscribed: "\\Subscribed"
        case .nonExistent: "\\NonExistent"
        case .remote: "\\Remote"
        case .all: "\\All"
        case .archive: "\\Archive"
        case .drafts: "\\Drafts"
        case .flagged: "\\Flagged"
        case .junk: "\\Junk"
        case .sent: "\\Sent"
        case .trash: "\\Trash"
        case .important: "\\Important"
        case .other(let atom): atom
        }
    }

    public static func == (lhs: MailboxAttribute, rhs: MailboxAttribute) -> Bool {
        lhs.description.uppercased() == rhs.description.uppercased()
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(description.uppercased())
    }
}
