/// One folder of a scanned source mailbox as stored (migration "v4: scan folders"): plain
/// values, so the state layer needs no IMAP types. `tern plan folders` rebuilds the folder list
/// `tern sync` would see from these.
public struct ScannedFolder: Sendable, Equatable, Codable {
    /// The name exactly as on the wire (modified UTF-7, with prefix and separator).
    public var wireName: String
    /// The portable name: `path` joined with `/`; for a folder outside the personal
    /// namespace, the whole decoded name.
    public var name: String
    /// Decoded levels below the personal namespace (`INBOX.Projects.2024` with prefix `INBOX.`
    /// is `["Projects", "2024"]`); nil for a folder outside it.
    public var path: [String]?
    public var separator: String?
    /// `\Sent`, `\Drafts` … when the server marks it.
    public var specialUse: String?
    /// The LIST attributes, e.g. `\HasChildren`.
    public var attributes: [String]
    public var selectable: Bool
    public var subscribed: Bool
    public var messages: Int?
    public var sizeBytes: Int64?

    public init(wireName: String, name: String, path: [String]?, separator: String?, specialUse: String? = nil,
                attributes: [String] = [], selectable: Bool = true, subscribed: Bool = true, messages: Int? = nil,
                sizeBytes: Int64? = nil) {
        self.wireName = wireName
        self.name = name
        self.path = path
        self.separator = separator
        self.specialUse = specialUse
        self.attributes = attributes
        self.selectable = selectable
        self.subscribed = subscribed
        self.messages = messages
        self.sizeBytes = sizeBytes
    }
}
