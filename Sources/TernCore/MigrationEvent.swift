import Foundation

/// One thing that happened in a migration. A single typed stream of these feeds the progress
/// display, `--json` output, per-mailbox logs and Lua hooks (and later the dashboard).
public struct MigrationEvent: Sendable, Equatable, Codable {
    public enum Kind: String, Sendable, Codable, CaseIterable {
        case mailboxStarted = "mailbox_started"
        case folderStarted = "folder_started"
        case folderDone = "folder_done"
        case messageFailed = "message_failed"
        case progress
        case mailboxFinished = "mailbox_finished"
        case mailboxFailed = "mailbox_failed"
        case batchFinished = "batch_finished"
        case warning
        /// `tern run wave`: a wave begins and ends (`details.wave`; the end carries the counts).
        case waveStarted = "wave_started"
        case waveFinished = "wave_finished"
        /// `tern checklist`: an item's status differs from the last evaluation
        /// (`details`: key, title, from, to; `message`: the evidence).
        case checklistChanged = "checklist_changed"
    }

    /// Per-folder or per-mailbox counts, as in the final report.
    public struct Counts: Sendable, Equatable, Codable {
        public var source = 0
        public var copied = 0
        public var alreadyPresent = 0
        public var filtered = 0
        public var failed = 0
        public var flagsUpdated = 0
        public var deleted = 0
        public var bytes: Int64 = 0

        public init() {}

        public static func + (lhs: Counts, rhs: Counts) -> Counts {
            var sum = lhs
            sum.source += rhs.source
            sum.copied += rhs.copied
            sum.alreadyPresent += rhs.alreadyPresent
            sum.filtered += rhs.filtered
            sum.failed += rhs.failed
            sum.flagsUpdated += rhs.flagsUpdated
            sum.deleted += rhs.deleted
            sum.bytes += rhs.bytes
            return sum
        }
    }

    public var kind: Kind
    public var time: Date
    /// The source mailbox (user) this is about, if any.
    public var mailbox: String?
    /// The source folder (portable name), if any.
    public var folder: String?
    public var counts: Counts?
    /// Human-readable detail: an error's message, a warning.
    public var message: String?
    /// Seconds the folder or mailbox took, on `*_done`/`*_finished` events.
    public var seconds: Double?
    /// Named values of events that are not about one mailbox (a wave's name, a checklist item).
    public var details: [String: String]?

    public init(_ kind: Kind, mailbox: String? = nil, folder: String? = nil, counts: Counts? = nil,
                message: String? = nil, seconds: Double? = nil, details: [String: String]? = nil,
                time: Date = Date()) {
        self.kind = kind
        self.time = time
        self.mailbox = mailbox
        self.folder = folder
        self.counts = counts
        self.message = message
        self.seconds = seconds
        self.details = details
    }
}

/// Receives migration events. Implementations must return quickly: a slow consumer (a Lua
/// hook calling a ticketing API) queues work off the copy path instead of blocking it.
public protocol EventSink: Sendable {
    func emit(_ event: MigrationEvent)
}

/// Sends every event to several sinks.
public struct FanOutSink: EventSink {
    public let sinks: [any EventSink]
    public init(_ sinks: [any EventSink]) { self.sinks = sinks }
    public func emit(_ event: MigrationEvent) { for sink in sinks { sink.emit(event) } }
}
