import Synchronization
import TernCore

/// A `MailStore` wrapper for fault injection: forwards every call to a real store (the local
/// Dovecot through `IMAPMailStore`) and lets a test fail chosen calls or bend what the server
/// answered, as a misbehaving server would: a folder that cannot be opened, one UID reported
/// twice, a message that changes between FETCHes. For tests only.
public final class FaultyMailStore: MailStore {
    /// Which store call, for `failing`.
    public enum Call: String, Sendable {
        case status, messages, uids, changes, headers, fetch, append, setFlags, delete, subscribe
    }

    /// What the real server answered, before the test's changes reach the engine.
    public struct Answers: Sendable {
        /// Throw this error instead of making the call.
        public var failing: @Sendable (Call, StoreFolder) -> StoreError? = { _, _ in nil }
        /// A folder listing (`messages(in:changedSince:)`).
        public var listing: @Sendable (StoreFolder, FolderListing) -> FolderListing = { $1 }
        /// Messages by UID (`messages(in:uids:)`).
        public var metadata: @Sendable (StoreFolder, [MessageMeta]) -> [MessageMeta] = { $1 }
        /// A UID search (`uids(in:)`).
        public var uids: @Sendable (StoreFolder, FolderUIDs) -> FolderUIDs = { $1 }
        /// A delta (`changes(in:sinceUIDNext:modSeq:)`).
        public var changes: @Sendable (StoreFolder, FolderChanges?) -> FolderChanges? = { $1 }
        /// Header fetches.
        public var headers: @Sendable (StoreFolder, [UInt32: HeaderFields]) -> [UInt32: HeaderFields] = { $1 }
        /// Body fetches.
        public var contents: @Sendable (StoreFolder, [MessageContent]) -> [MessageContent] = { $1 }

        public init() {}
    }

    public let inner: any MailStore
    private let answers: Mutex<Answers>
    public var label: String { inner.label }

    public init(_ inner: any MailStore, _ change: (inout Answers) -> Void = { _ in }) {
        self.inner = inner
        var answers = Answers()
        change(&answers)
        self.answers = Mutex(answers)
    }

    /// Changes the faults while the store is in use.
    public func update(_ change: (inout Answers) -> Void) { answers.withLock { change(&$0) } }

    private var current: Answers { answers.withLock { $0 } }

    private func check(_ call: Call, _ folder: StoreFolder) throws(StoreError) {
        if let error = current.failing(call, folder) { throw error }
    }

    public func open() async throws(StoreError) -> StoreInfo { try await inner.open() }
    public func close() async { await inner.close() }
    public func folders() async throws(StoreError) -> [StoreFolder] { try await inner.folders() }
    public func createFolder(path: [String], specialUse: String?) async throws(StoreError) -> StoreFolder {
        try await inner.createFolder(path: path, specialUse: specialUse)
    }
    public func subscribe(_ folder: StoreFolder) async throws(StoreError) {
        try check(.subscribe, folder)
        try await inner.subscribe(folder)
    }
    public func status(_ folder: StoreFolder) async throws(StoreError) -> FolderStatus {
        try check(.status, folder)
        return try await inner.status(folder)
    }
    public func messages(in folder: StoreFolder, changedSince: UInt64?) async throws(StoreError) -> FolderListing {
        try check(.messages, folder)
        return current.listing(folder, try await inner.messages(in: folder, changedSince: changedSince))
    }
    public func messages(in folder: StoreFolder, uids: [UInt32]) async throws(StoreError) -> [MessageMeta] {
        try check(.messages, folder)
        return current.metadata(folder, try await inner.messages(in: folder, uids: uids))
    }
    public func uids(in folder: StoreFolder) async throws(StoreError) -> FolderUIDs {
        try check(.uids, folder)
        return current.uids(folder, try await inner.uids(in: folder))
    }
    public func changes(in folder: StoreFolder, sinceUIDNext uidNext: UInt32, modSeq: UInt64) async throws(StoreError)
        -> FolderChanges?
    {
        try check(.changes, folder)
        return current.changes(folder, try await inner.changes(in: folder, sinceUIDNext: uidNext, modSeq: modSeq))
    }
    public func headers(in folder: StoreFolder, uids: [UInt32]) async throws(StoreError) -> [UInt32: HeaderFields] {
        try check(.headers, folder)
        return current.headers(folder, try await inner.headers(in: folder, uids: uids))
    }
    public func fetch(in folder: StoreFolder, uids: [UInt32]) async throws(StoreError) -> [MessageContent] {
        try check(.fetch, folder)
        return current.contents(folder, try await inner.fetch(in: folder, uids: uids))
    }
    public func append(to folder: StoreFolder, _ messages: [OutgoingMessage]) async throws(StoreError)
        -> [Result<UInt32?, StoreError>]
    {
        try check(.append, folder)
        return try await inner.append(to: folder, messages)
    }
    public func setFlags(in folder: StoreFolder, _ changes: [FlagChange]) async throws(StoreError) {
        try check(.setFlags, folder)
        try await inner.setFlags(in: folder, changes)
    }
    public func delete(in folder: StoreFolder, uids: [UInt32]) async throws(StoreError) {
        try check(.delete, folder)
        try await inner.delete(in: folder, uids: uids)
    }
}
