import Foundation

/// One side of a mailbox migration (the source or the destination account), as the sync
/// engine sees it. `TernIMAPStore` implements it over IMAP; tests wrap it to inject faults.
///
/// Contract for every method:
/// - Folders are addressed by `StoreFolder` values the store itself returned (or created).
/// - A method either completes or throws a `StoreError` that says how far the failure
///   reaches (`scope`) and whether trying again may help (`retry`). After an error of scope
///   `.connection`, call `open()` again before anything else.
/// - Nothing here marks source mail as read: bodies are fetched with peek semantics.
/// - Calls on one store are made one at a time by the engine (no concurrent calls).
public protocol MailStore: AnyObject, Sendable {
    /// A short name for logs, e.g. "source alice@example.com".
    var label: String { get }

    /// Connects and logs in (again, after a connection-scope error).
    func open() async throws(StoreError) -> StoreInfo
    /// Logs out and closes; safe to call twice.
    func close() async

    /// Every folder in the personal namespace, with portable paths.
    func folders() async throws(StoreError) -> [StoreFolder]
    /// Creates a folder (and its parents as the server needs) and returns it as listed.
    func createFolder(path: [String], specialUse: String?) async throws(StoreError) -> StoreFolder
    func subscribe(_ folder: StoreFolder) async throws(StoreError)

    /// UIDVALIDITY, UIDNEXT, message count and HIGHESTMODSEQ without selecting.
    func status(_ folder: StoreFolder) async throws(StoreError) -> FolderStatus
    /// UID, flags, date, size (and mod-sequence) of every message, or with `changedSince`
    /// only of those whose flags changed after that mod-sequence (CONDSTORE).
    func messages(in folder: StoreFolder, changedSince: UInt64?) async throws(StoreError) -> FolderListing
    /// UID, flags, date, size (and mod-sequence) of exactly these messages; UIDs expunged
    /// meanwhile are absent. Sorted by UID.
    func messages(in folder: StoreFolder, uids: [UInt32]) async throws(StoreError) -> [MessageMeta]
    /// Which UIDs the folder holds now, with its status and accepted keywords as opening it
    /// reported — no data per message (IMAP: `UID SEARCH ALL`, a few bytes per gap in the UID
    /// sequence where ESEARCH is offered).
    func uids(in folder: StoreFolder) async throws(StoreError) -> FolderUIDs
    /// What changed since a pass that saw UIDNEXT `uidNext` and HIGHESTMODSEQ `modSeq` (RFC 7162
    /// CONDSTORE): the UIDs present now, every message at or above `uidNext` in full, and the
    /// flags of older messages changed after `modSeq`. Nil when the store cannot tell (no
    /// CONDSTORE, a folder without mod-sequences): list the folder in full instead.
    func changes(in folder: StoreFolder, sinceUIDNext uidNext: UInt32, modSeq: UInt64) async throws(StoreError)
        -> FolderChanges?
    /// The `IdentityHeaders.fields` of these messages (Message-ID, Date, From, To, Cc, Subject …).
    func headers(in folder: StoreFolder, uids: [UInt32]) async throws(StoreError) -> [UInt32: HeaderFields]
    /// Whole messages. UIDs expunged meanwhile are simply absent from the result.
    func fetch(in folder: StoreFolder, uids: [UInt32]) async throws(StoreError) -> [MessageContent]
    /// Appends in order; one result per message: the new UID when the server says it
    /// (UIDPLUS), nil when it does not, or the message-scope error that refused it.
    func append(to folder: StoreFolder, _ messages: [OutgoingMessage]) async throws(StoreError)
        -> [Result<UInt32?, StoreError>]
    /// Replaces the flags of these messages.
    func setFlags(in folder: StoreFolder, _ changes: [FlagChange]) async throws(StoreError)
    /// Removes these messages (flag \Deleted, then UID EXPUNGE where possible).
    func delete(in folder: StoreFolder, uids: [UInt32]) async throws(StoreError)
}

/// What a store offers, learned at `open()`.
public struct StoreInfo: Sendable, Equatable {
    public var separator: String?
    /// The personal namespace prefix on the wire, e.g. "INBOX." (or "").
    public var personalPrefix: String
    public var supportsUIDPlus: Bool
    public var supportsCondStore: Bool
    public var supportsSpecialUse: Bool
    /// Largest message the server accepts (APPENDLIMIT), if it says.
    public var appendLimit: Int64?
    public var capabilities: [String]

    public init(separator: String?, personalPrefix: String, supportsUIDPlus: Bool, supportsCondStore: Bool,
                supportsSpecialUse: Bool, appendLimit: Int64?, capabilities: [String]) {
        self.separator = separator
        self.personalPrefix = personalPrefix
        self.supportsUIDPlus = supportsUIDPlus
        self.supportsCondStore = supportsCondStore
        self.supportsSpecialUse = supportsSpecialUse
        self.appendLimit = appendLimit
        self.capabilities = capabilities
    }
}

/// A folder as a store lists it.
public struct StoreFolder: Sendable, Equatable, Hashable, Codable {
    /// Levels below the personal namespace, decoded: `["Projects", "2024"]`; INBOX is `["INBOX"]`.
    public var path: [String]
    /// The name on the wire.
    public var raw: String
    public var separator: String?
    public var specialUse: String?
    public var attributes: [String]
    public var subscribed: Bool
    public var selectable: Bool
    /// Set by a view over a store (Gmail's labels) on a folder it lists only to say why it is
    /// not copied, e.g. "a Gmail label kept as the \Flagged flag". The planner skips it with this reason.
    public var notCopied: String?

    public init(path: [String], raw: String, separator: String?, specialUse: String?, attributes: [String],
                subscribed: Bool, selectable: Bool, notCopied: String? = nil) {
        self.path = path
        self.raw = raw
        self.separator = separator
        self.specialUse = specialUse
        self.attributes = attributes
        self.subscribed = subscribed
        self.selectable = selectable
        self.notCopied = notCopied
    }

    /// The portable name rules see: levels joined with `/`.
    public var portableName: String { path.joined(separator: "/") }
    public var isInbox: Bool { path.count == 1 && path[0].uppercased() == "INBOX" }
}

public struct FolderStatus: Sendable, Equatable {
    public var uidValidity: UInt32
    public var uidNext: UInt32?
    public var messages: Int
    public var highestModSeq: UInt64?

    public init(uidValidity: UInt32, uidNext: UInt32?, messages: Int, highestModSeq: UInt64?) {
        self.uidValidity = uidValidity
        self.uidNext = uidNext
        self.messages = messages
        self.highestModSeq = highestModSeq
    }
}

/// The messages of a folder at one moment.
public struct FolderListing: Sendable {
    public var status: FolderStatus
    public var messages: [MessageMeta]
    /// Keywords the folder accepts (`PERMANENTFLAGS`); nil when any keyword is accepted (`\*`).
    public var acceptedKeywords: Set<String>?

    public init(status: FolderStatus, messages: [MessageMeta], acceptedKeywords: Set<String>?) {
        self.status = status
        self.messages = messages
        self.acceptedKeywords = acceptedKeywords
    }
}

/// A message's arrival date as IMAP keeps it: the instant and the zone it was written in.
public struct MailDate: Sendable, Equatable, Hashable, Codable {
    public var date: Date
    public var zoneMinutes: Int

    public init(date: Date, zoneMinutes: Int) {
        self.date = date
        self.zoneMinutes = zoneMinutes
    }
}

public struct MessageMeta: Sendable, Equatable {
    public var uid: UInt32
    public var flags: [String]
    public var internalDate: MailDate?
    public var size: Int64
    public var modSeq: UInt64?
    /// Gmail's labels for the message (X-GM-LABELS, decoded: `\Inbox`, `\Starred`, `Work/2024`),
    /// when the server offers X-GM-EXT-1; nil elsewhere.
    public var gmailLabels: [String]?
    /// Gmail's own message identity (X-GM-MSGID), the same in every label folder.
    public var gmailMessageID: UInt64?

    public init(uid: UInt32, flags: [String], internalDate: MailDate?, size: Int64, modSeq: UInt64?,
                gmailLabels: [String]? = nil, gmailMessageID: UInt64? = nil) {
        self.uid = uid
        self.flags = flags
        self.internalDate = internalDate
        self.size = size
        self.modSeq = modSeq
        self.gmailLabels = gmailLabels
        self.gmailMessageID = gmailMessageID
    }
}

/// Header name (lower-case) → unfolded value, for the fields identity needs.
public typealias HeaderFields = [String: String]

/// The header fields that tell messages apart (lower-case), written once: what a store's
/// `headers(in:uids:)` fetches and what `MessageIdentity` fingerprints and compares, so a
/// store never reads fewer fields than the fingerprint needs.
public enum IdentityHeaders {
    public static let fields = ["message-id", "date", "from", "to", "cc", "subject", "in-reply-to", "references"]
}

public struct MessageContent: Sendable {
    public var uid: UInt32
    public var bytes: ArraySlice<UInt8>

    public init(uid: UInt32, bytes: ArraySlice<UInt8>) {
        self.uid = uid
        self.bytes = bytes
    }
}

public struct OutgoingMessage: Sendable {
    public var bytes: ArraySlice<UInt8>
    public var flags: [String]
    public var internalDate: MailDate?

    public init(bytes: ArraySlice<UInt8>, flags: [String], internalDate: MailDate?) {
        self.bytes = bytes
        self.flags = flags
        self.internalDate = internalDate
    }
}

public struct FlagChange: Sendable, Equatable {
    public var uid: UInt32
    public var flags: [String]

    public init(uid: UInt32, flags: [String]) {
        self.uid = uid
        self.flags = flags
    }
}

/// A store failure, classified once where the protocol's words are understood.
public struct StoreError: Error, Sendable, Equatable, CustomStringConvertible {
    /// How much the failure takes down.
    public enum Scope: String, Sendable, Codable {
        /// One message (too big, rejected): record it and go on.
        case message
        /// One folder (cannot select or create): skip the folder, go on with others.
        case folder
        /// The account (login refused, over quota): stop this mailbox.
        case mailbox
        /// The link broke: reconnect and resume.
        case connection
    }

    public enum Retry: Sendable, Equatable {
        case now
        /// After this many seconds (a server's own hint, or our back-off).
        case later(seconds: Double?)
        case never
    }

    public var scope: Scope
    public var retry: Retry
    /// What went wrong, in the one vocabulary the ledger, events, reports and exit codes share.
    public var category: FailureCategory
    public var message: String
    /// The server's own words, if it said any.
    public var serverText: String?

    public init(scope: Scope, retry: Retry, category: FailureCategory, message: String, serverText: String? = nil) {
        self.scope = scope
        self.retry = retry
        self.category = category
        self.message = message
        self.serverText = serverText
    }

    public var description: String { message }
}
