import Foundation
import TernCore

/// Durable migration state: which source message became which destination message, folder
/// high-water marks, per-mailbox status, and the failure ledger.
///
/// Durability order (the sync engine relies on it): a copy is recorded only after the
/// destination confirmed it; folder high-water marks (`FolderRecord.sourceUIDNext`/`modSeq`)
/// are advanced last, after every message up to them is recorded. A crash between the
/// APPEND and its record leaves an unmapped message in the destination, which the next run
/// finds by fingerprint instead of copying again.
public protocol StateStore: Sendable {
    func mailboxID(source: String, destination: String) async throws(StateError) -> Int64
    func setMailboxStatus(_ id: Int64, _ status: MailboxStatus, error: String?) async throws(StateError)
    func mailboxStatuses() async throws(StateError) -> [MailboxRecord]

    func folder(mailbox: Int64, sourceName: String) async throws(StateError) -> FolderRecord?
    func folders(mailbox: Int64) async throws(StateError) -> [FolderRecord]
    /// Inserts or updates by (mailbox, sourceName); returns the record with its id.
    func saveFolder(_ record: FolderRecord) async throws(StateError) -> FolderRecord

    func messages(folder: Int64) async throws(StateError) -> [UInt32: MessageRecord]
    func recordCopies(_ records: [MessageRecord]) async throws(StateError)
    func updateFlags(folder: Int64, _ changes: [UInt32: String]) async throws(StateError)
    func removeMessages(folder: Int64, sourceUIDs: [UInt32]) async throws(StateError)
    /// Forgets every message of a folder (its source UIDVALIDITY changed, or it maps elsewhere).
    func clearMessages(folder: Int64) async throws(StateError)

    func recordFailure(_ failure: FailureRecord) async throws(StateError)
    func clearFailure(folder: Int64, sourceUID: UInt32) async throws(StateError)
    func failures(mailbox: Int64) async throws(StateError) -> [FailureRecord]

    /// Appends a finished pass over a mailbox to the run history.
    func recordRun(_ run: RunRecord) async throws(StateError)
}

public enum MailboxStatus: String, Sendable, Codable {
    case pending, running, done, partial, failed
}

public struct MailboxRecord: Sendable, Equatable {
    public var id: Int64
    public var source: String
    public var destination: String
    public var status: MailboxStatus
    public var lastError: String?
    public var updatedAt: Date?
}

public struct FolderRecord: Sendable, Equatable {
    public var id: Int64?
    public var mailboxID: Int64
    /// Source folder name on the wire.
    public var sourceName: String
    /// Destination folder name on the wire: the folder the server listed after creating it,
    /// which may differ from the planned path (a "." in a level on a "."-separated server).
    public var destinationName: String
    /// The planned destination path (levels) that led to `destinationName`; nil in records
    /// written before it was kept. A later run whose plan names the same path finds the folder
    /// by `destinationName`; a changed plan (`--subfolder2`, a rule) does not.
    public var destinationPath: [String]?
    public var sourceUIDValidity: UInt32?
    /// High-water marks: every source message below `sourceUIDNext` is recorded.
    public var sourceUIDNext: UInt32?
    public var sourceModSeq: UInt64?
    public var destinationUIDValidity: UInt32?

    public init(id: Int64? = nil, mailboxID: Int64, sourceName: String, destinationName: String,
                sourceUIDValidity: UInt32? = nil, sourceUIDNext: UInt32? = nil, sourceModSeq: UInt64? = nil,
                destinationUIDValidity: UInt32? = nil, destinationPath: [String]? = nil) {
        self.id = id
        self.destinationPath = destinationPath
        self.mailboxID = mailboxID
        self.sourceName = sourceName
        self.destinationName = destinationName
        self.sourceUIDValidity = sourceUIDValidity
        self.sourceUIDNext = sourceUIDNext
        self.sourceModSeq = sourceModSeq
        self.destinationUIDValidity = destinationUIDValidity
    }
}

public struct MessageRecord: Sendable, Equatable {
    public var folderID: Int64
    public var sourceUID: UInt32
    /// nil when the destination did not say (no UIDPLUS).
    public var destinationUID: UInt32?
    public var fingerprint: String
    /// Flags as copied or last synchronised, sorted and space-separated.
    public var flags: String
    public var size: Int64

    public init(folderID: Int64, sourceUID: UInt32, destinationUID: UInt32?, fingerprint: String, flags: String,
                size: Int64) {
        self.folderID = folderID
        self.sourceUID = sourceUID
        self.destinationUID = destinationUID
        self.fingerprint = fingerprint
        self.flags = flags
        self.size = size
    }
}

public struct FailureRecord: Sendable, Equatable, Codable {
    public var folderID: Int64
    /// Filled in by `failures(mailbox:)`.
    public var folderName: String?
    public var sourceUID: UInt32
    /// Read back from older databases, a name this version does not know is `.other`.
    public var category: FailureCategory
    public var message: String
    public var serverText: String?
    public var suggestion: String?
    public var attempts: Int

    public init(folderID: Int64, folderName: String? = nil, sourceUID: UInt32, category: FailureCategory, message: String,
                serverText: String?, suggestion: String?, attempts: Int = 1) {
        self.folderID = folderID
        self.folderName = folderName
        self.sourceUID = sourceUID
        self.category = category
        self.message = message
        self.serverText = serverText
        self.suggestion = suggestion
        self.attempts = attempts
    }
}

public struct StateError: Error, Sendable, CustomStringConvertible {
    public var message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}
