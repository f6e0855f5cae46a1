import Foundation
import TernCore

/// What a sync pass does, beyond the folder plan.
public struct SyncOptions: Sendable {
    /// Set when something inside the run (a hook) asked it to stop; checked between folders and batches.
    public var stop: RunStop?
    public var folders: FolderPlanner.Options
    /// Report what would happen; change nothing on the destination or in state.
    public var dryRun = false
    /// Create the destination folder tree (and subscriptions) only.
    public var foldersOnly = false
    /// Remove from the destination what vanished from the source — only messages Tern copied.
    public var deleteVanished = false
    /// Retry the messages in the failure ledger (and only re-check the rest).
    public var retryFailed = false
    public var maxSize: Int64?
    public var minSize: Int64?
    /// Only messages at most this many days old (by INTERNALDATE).
    public var maxAgeDays: Int?
    /// Only messages at least this many days old.
    public var minAgeDays: Int?
    /// Stop a mailbox after this many failed messages (nil: never).
    public var maxErrors: Int?
    /// A fetch batch holds at most this many bytes (one larger message goes alone); a batch
    /// the link cuts shrinks the next ones (`BatchWindow`)…
    public var batchBytes: Int64 = 16 * 1024 * 1024
    /// …and at most this many messages.
    public var batchMessages = 200
    public var maxBytesPerSecond: Int64?
    public var maxMessagesPerSecond: Double?
    /// Reconnects in a row that make no progress (nothing stored, adopted or finished) before a
    /// mailbox fails; an attempt that makes progress starts the count again (`ReconnectBudget`).
    public var maxReconnects = 5
    /// Base of the exponential back-off between reconnects (seconds).
    public var backoffSeconds: Double = 2
    /// After a killed run: how long a destination folder's STATUS must hold still before it
    /// is listed (the dead run's server session may still be storing its APPENDs).
    public var settleSeconds: Double = 1
    /// On a Gmail source (X-GM-EXT-1): one copy per message with labels as keywords, or one
    /// copy per label folder.
    public var gmailLabels: GmailLabelMode = .keywords

    public init(folders: FolderPlanner.Options = .init()) {
        self.folders = folders
    }

    /// Whether a message passes the size and age options.
    func admits(_ message: MessageMeta, now: Date) -> Bool {
        if let maxSize, message.size > maxSize { return false }
        if let minSize, message.size < minSize { return false }
        if let date = message.internalDate?.date {
            let age = now.timeIntervalSince(date) / 86_400
            if let maxAgeDays, age > Double(maxAgeDays) { return false }
            if let minAgeDays, age < Double(minAgeDays) { return false }
        }
        return true
    }
}

/// What happened to one folder.
public struct FolderReport: Sendable, Equatable, Codable {
    public var source: String
    public var destination: String
    public var counts: MigrationEvent.Counts
    public var seconds: Double
    /// "copied", "unchanged", "skipped: reason", "failed: reason".
    public var outcome: String
    /// Keywords the destination refused, dropped from copies.
    public var droppedKeywords: [String]
    /// Why the folder could not be copied (or was interrupted and not finished); nil when it was.
    public var failure: FailureCategory?

    /// The folder could not be copied (or was interrupted and not finished).
    public var failed: Bool { failure != nil }

    /// Marks the folder failed, with the words its row shows.
    public mutating func fail(_ category: FailureCategory, _ reason: String) {
        failure = category
        outcome = "failed: \(reason)"
    }

    /// This attempt's report with what an earlier attempt of the same run did (after a
    /// reconnect, or a retry of a failed folder). What the destination received — copies,
    /// adoptions, flag updates, deletions — adds up; the listing's view (source count,
    /// filtered, failed, which counts the ledger's messages again) is this attempt's own.
    func adding(_ earlier: FolderReport?) -> FolderReport {
        guard let earlier else { return self }
        var merged = self
        merged.counts.copied += earlier.counts.copied
        merged.counts.bytes += earlier.counts.bytes
        merged.counts.alreadyPresent += earlier.counts.alreadyPresent
        merged.counts.flagsUpdated += earlier.counts.flagsUpdated
        merged.counts.deleted += earlier.counts.deleted
        merged.seconds += earlier.seconds
        merged.droppedKeywords = Set(earlier.droppedKeywords).union(droppedKeywords).sorted()
        return merged
    }
}

/// What happened to one mailbox.
public struct MailboxReport: Sendable, Equatable, Codable {
    public var source: String
    public var destination: String
    public var folders: [FolderReport]
    public var failuresByCategory: [String: Int]
    /// The first failed message of each category in its own words ("INBOX UID 3: the message
    /// filter failed: spin.lua:2: …"), so a summary of 200 alike failures still says why.
    public var firstFailures: [String: String] = [:]
    /// Source folders that failed (their outcome says why); any makes the run partial.
    public var failedFolders: [String]
    public var error: String?
    /// The failure's category when the mailbox failed: auth, tls, connection, over-quota, script, state …
    public var errorCategory: FailureCategory?
    public var seconds: Double

    public init(source: String, destination: String, folders: [FolderReport], failuresByCategory: [String: Int],
                error: String?, errorCategory: FailureCategory? = nil, seconds: Double) {
        self.source = source
        self.destination = destination
        self.folders = folders
        self.failuresByCategory = failuresByCategory
        self.failedFolders = folders.filter(\.failed).map(\.source)
        self.error = error
        self.errorCategory = errorCategory
        self.seconds = seconds
    }

    public var totals: MigrationEvent.Counts { folders.reduce(MigrationEvent.Counts()) { $0 + $1.counts } }
    public var succeeded: Bool { error == nil && failuresByCategory.isEmpty && failedFolders.isEmpty }
}
