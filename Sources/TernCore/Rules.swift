import Foundation

/// A source folder as folder-mapping rules see it.
///
/// `name` is portable: the decoded path relative to the personal namespace, with `/` between
/// levels whatever the server uses (`INBOX.Projects.2024` on a `.` server with an `INBOX.`
/// prefix arrives as `Projects/2024`; INBOX itself is `INBOX`).
public struct FolderInfo: Sendable, Equatable, Codable {
    public var name: String
    /// The name exactly as the server lists it (modified UTF-7, with prefix and separator).
    public var raw: String
    public var separator: String?
    /// `\Sent`, `\Drafts`, `\Trash`, `\Junk`, `\Archive`, `\All`, `\Flagged` or nil.
    public var specialUse: String?
    /// The LIST attributes, e.g. `\HasChildren`.
    public var flags: [String]

    public init(name: String, raw: String, separator: String?, specialUse: String?, flags: [String]) {
        self.name = name
        self.raw = raw
        self.separator = separator
        self.specialUse = specialUse
        self.flags = flags
    }
}

/// What a folder-mapping rule decided for one folder.
public enum FolderDecision: Sendable, Equatable {
    /// No opinion: the default mapping (separator/prefix translation, special-use automap).
    case keep
    /// Copy into this destination path, written with `/` between levels.
    case rename(String)
    /// Do not copy this folder.
    case skip
}

/// One source message as message filters see it (headers only; the body is not read yet).
public struct MessageSummary: Sendable, Equatable, Codable {
    public struct Headers: Sendable, Equatable, Codable {
        public var from: String?
        public var to: String?
        public var subject: String?
        public var date: String?
        public var messageID: String?

        public init(from: String? = nil, to: String? = nil, subject: String? = nil, date: String? = nil,
                    messageID: String? = nil) {
            self.from = from
            self.to = to
            self.subject = subject
            self.date = date
            self.messageID = messageID
        }
    }

    /// The portable folder name (see `FolderInfo.name`).
    public var folder: String
    public var uid: UInt32
    public var size: Int64
    public var internalDate: Date?
    /// IMAP flags as strings: `\Seen`, `\Flagged`, `$Label1` …
    public var flags: [String]
    public var headers: Headers

    public init(folder: String, uid: UInt32, size: Int64, internalDate: Date?, flags: [String], headers: Headers) {
        self.folder = folder
        self.uid = uid
        self.size = size
        self.internalDate = internalDate
        self.flags = flags
        self.headers = headers
    }
}

/// What a message filter decided for one message.
public enum FilterDecision: Sendable, Equatable {
    case copy
    /// Not copied; counted as filtered.
    case skip
    /// Copied with these flags added and removed.
    case copyAdjustingFlags(add: [String], remove: [String])
}

/// A failure inside an operator's rule, filter or hook, with where it happened.
public struct ScriptError: Error, Sendable, Equatable, CustomStringConvertible {
    /// `file:line` when known.
    public var location: String?
    public var message: String
    /// The Lua stack traceback at the error, when one was taken (for logs, not for users).
    public var traceback: String?

    public init(location: String?, message: String, traceback: String? = nil) {
        self.location = location
        self.message = message
        self.traceback = traceback
    }

    public var description: String { location.map { "\($0): \(message)" } ?? message }
}

/// The operator's folder-mapping rules and message filters for one mailbox worker.
///
/// The sync engine calls these off no particular thread, one call at a time per instance;
/// an implementation (the Lua host) keeps its own interpreter per instance. A throwing
/// filter never drops mail silently: the engine records the message as failed
/// (`filter-error`) and goes on.
public protocol Rules: Sendable {
    /// Whether `mapFolder` does anything (lets the engine skip calls).
    var mapsFolders: Bool { get }
    /// Whether `filterMessage` does anything; when false the engine does not fetch headers for it.
    var filtersMessages: Bool { get }
    func mapFolder(_ folder: FolderInfo) async throws(ScriptError) -> FolderDecision
    func filterMessage(_ message: MessageSummary) async throws(ScriptError) -> FilterDecision
    /// Whether `mapLabels` does anything.
    var mapsLabels: Bool { get }
    /// Which of a Gmail message's labels decides the one folder it is copied to (`map_labels`):
    /// one of `labels` (`\Inbox`, `\Sent`, `\Draft` or a user label), `\Archive` for the
    /// archive folder, or nil for the default order.
    func mapLabels(_ labels: [String]) async throws(ScriptError) -> String?
}

extension Rules {
    public var mapsLabels: Bool { false }
    public func mapLabels(_ labels: [String]) async throws(ScriptError) -> String? { nil }
}

/// No rules: every folder keeps its default mapping and every message is copied.
public struct NoRules: Rules {
    public init() {}
    public var mapsFolders: Bool { false }
    public var filtersMessages: Bool { false }
    public func mapFolder(_ folder: FolderInfo) async throws(ScriptError) -> FolderDecision { .keep }
    public func filterMessage(_ message: MessageSummary) async throws(ScriptError) -> FilterDecision { .copy }
}

/// Applies several rule sets in order (`--script A --script B`): the first folder decision
/// other than `.keep` wins; a message is copied only if every filter copies it, and flag
/// adjustments add up.
public struct ChainedRules: Rules {
    public let chain: [any Rules]

    public init(_ chain: [any Rules]) { self.chain = chain }

    public var mapsFolders: Bool { chain.contains { $0.mapsFolders } }
    public var filtersMessages: Bool { chain.contains { $0.filtersMessages } }
    public var mapsLabels: Bool { chain.contains { $0.mapsLabels } }

    public func mapLabels(_ labels: [String]) async throws(ScriptError) -> String? {
        for rules in chain where rules.mapsLabels {
            if let label = try await rules.mapLabels(labels) { return label }
        }
        return nil
    }

    public func mapFolder(_ folder: FolderInfo) async throws(ScriptError) -> FolderDecision {
        for rules in chain where rules.mapsFolders {
            let decision = try await rules.mapFolder(folder)
            if decision != .keep { return decision }
        }
        return .keep
    }

    public func filterMessage(_ message: MessageSummary) async throws(ScriptError) -> FilterDecision {
        var add: [String] = []
        var remove: [String] = []
        for rules in chain where rules.filtersMessages {
            switch try await rules.filterMessage(message) {
            case .skip: return .skip
            case .copy: continue
            case .copyAdjustingFlags(let more, let less):
                add += more
                remove += less
            }
        }
        return add.isEmpty && remove.isEmpty ? .copy : .copyAdjustingFlags(add: add, remove: remove)
    }
}
