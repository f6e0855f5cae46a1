import Foundation
import Synchronization
import Testing
import TernCore
import TernIMAPStore
import TernState
import TernSync
import TernTestSupport

/// Collects every event a sync emits.
final class RecordingSink: EventSink {
    private let events = Mutex<[MigrationEvent]>([])
    func emit(_ event: MigrationEvent) { events.withLock { $0.append(event) } }
    var all: [MigrationEvent] { events.withLock { $0 } }
}

/// One test's account, state database and engine wiring.
struct SyncHarness {
    var fixture: AccountFixture
    let directory: URL
    let statePath: String

    init(user: String) throws {
        try self.init(fixture: AccountFixture(user: user))
    }

    /// A harness over a fixture whose sides may be packaged servers (Cyrus, Courier).
    init(fixture: AccountFixture) throws {
        self.fixture = fixture
        let user = fixture.user
        directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("tern-sync-\(user)-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        statePath = directory.appendingPathComponent("state.sqlite").path
    }

    func removeState() throws {
        for suffix in ["", "-wal", "-shm"] where FileManager.default.fileExists(atPath: statePath + suffix) {
            try FileManager.default.removeItem(atPath: statePath + suffix)
        }
    }

    func cleanUp() { try? FileManager.default.removeItem(at: directory) }

    static func options(_ change: (inout SyncOptions) -> Void = { _ in }) -> SyncOptions {
        var options = SyncOptions()
        options.backoffSeconds = 0.05
        options.settleSeconds = 0.3
        change(&options)
        return options
    }

    /// Runs one pass of the engine as `tern sync` would, with a fresh pair of stores.
    @discardableResult
    func sync(_ options: SyncOptions = options(), sourcePort: Int? = nil, destinationPort: Int? = nil,
              sink: RecordingSink = RecordingSink(),
              wrap: (any MailStore) -> any MailStore = { $0 },
              log: @escaping @Sendable (String) -> Void = { _ in }) async throws -> MailboxReport
    {
        let state = try SQLiteStateStore(path: statePath)
        let sync = MailboxSync(
            source: wrap(fixture.store(.source, port: sourcePort)),
            destination: wrap(fixture.store(.destination, port: destinationPort)),
            state: state, rules: NoRules(), events: sink, options: options,
            sourceKey: "\(fixture.user)@source", destinationKey: "\(fixture.user)@destination", log: log)
        return await sync.run()
    }

    func verify(_ options: SyncOptions = options()) async throws -> VerificationReport {
        let verifier = MailboxVerifier(
            source: fixture.store(.source), destination: fixture.store(.destination),
            state: try SQLiteStateStore(path: statePath), rules: NoRules(), options: options,
            sourceKey: "\(fixture.user)@source", destinationKey: "\(fixture.user)@destination")
        return try await verifier.run()
    }

    /// The multiset of a folder's messages (identity, flags, date, size), comparable across servers.
    func essences(_ side: AccountFixture.Side, _ path: [String]) async throws -> [String] {
        try await fixture.messages(side, path).map(\.essence.description).sorted()
    }

    func messageIDs(_ side: AccountFixture.Side, _ path: [String]) async throws -> [String] {
        try await fixture.messages(side, path).map { $0.messageID ?? "(none)" }.sorted()
    }
}

extension MailboxReport {
    func folder(_ name: String) -> FolderReport? { folders.first { $0.source == name } }
}

/// Messages for the tests: numbered, in one folder, optionally padded.
func numberedMessages(_ prefix: String, _ range: ClosedRange<Int>, folder: [String] = ["INBOX"], padding: Int = 0,
                      flags: [String] = []) -> [SeedMessage] {
    range.map { index in
        SeedMessage(folder: folder, messageID: "\(prefix)-\(index)@tern.test", subject: "\(prefix) message \(index)",
            dateHeader: "Tue, 2 Jan 2024 \(String(format: "%02d", index % 24)):00:00 +0100", flags: flags,
            internalDate: SeedMessage.date(2024, 1, 2, index % 24, index % 60, 7, zoneMinutes: 60), padding: padding)
    }
}

/// A `MailStore` that forwards to another and records which methods the engine called.
final class CallRecordingStore: MailStore {
    let inner: any MailStore
    private let recorded = Mutex<[String]>([])
    var label: String { inner.label }
    var calls: [String] { recorded.withLock { $0 } }

    init(_ inner: any MailStore) { self.inner = inner }

    private func note(_ name: String) { recorded.withLock { $0.append(name) } }

    func open() async throws(StoreError) -> StoreInfo { note("open"); return try await inner.open() }
    func close() async { note("close"); await inner.close() }
    func folders() async throws(StoreError) -> [StoreFolder] { note("folders"); return try await inner.folders() }
    func createFolder(path: [String], specialUse: String?) async throws(StoreError) -> StoreFolder {
        note("createFolder")
        return try await inner.createFolder(path: path, specialUse: specialUse)
    }
    func subscribe(_ folder: StoreFolder) async throws(StoreError) {
        note("subscribe")
        try await inner.subscribe(folder)
    }
    func status(_ folder: StoreFolder) async throws(StoreError) -> FolderStatus {
        note("status")
        return try await inner.status(folder)
    }
    func messages(in folder: StoreFolder, changedSince: UInt64?) async throws(StoreError) -> FolderListing {
        note("messages")
        return try await inner.messages(in: folder, changedSince: changedSince)
    }
    func messages(in folder: StoreFolder, uids: [UInt32]) async throws(StoreError) -> [MessageMeta] {
        note("messagesByUID")
        return try await inner.messages(in: folder, uids: uids)
    }
    func uids(in folder: StoreFolder) async throws(StoreError) -> FolderUIDs {
        note("uids")
        return try await inner.uids(in: folder)
    }
    func changes(in folder: StoreFolder, sinceUIDNext uidNext: UInt32, modSeq: UInt64) async throws(StoreError)
        -> FolderChanges?
    {
        note("changes")
        return try await inner.changes(in: folder, sinceUIDNext: uidNext, modSeq: modSeq)
    }
    func headers(in folder: StoreFolder, uids: [UInt32]) async throws(StoreError) -> [UInt32: HeaderFields] {
        note("headers")
        return try await inner.headers(in: folder, uids: uids)
    }
    func fetch(in folder: StoreFolder, uids: [UInt32]) async throws(StoreError) -> [MessageContent] {
        note("fetch")
        return try await inner.fetch(in: folder, uids: uids)
    }
    func append(to folder: StoreFolder, _ messages: [OutgoingMessage]) async throws(StoreError)
        -> [Result<UInt32?, StoreError>]
    {
        note("append")
        return try await inner.append(to: folder, messages)
    }
    func setFlags(in folder: StoreFolder, _ changes: [FlagChange]) async throws(StoreError) {
        note("setFlags")
        try await inner.setFlags(in: folder, changes)
    }
    func delete(in folder: StoreFolder, uids: [UInt32]) async throws(StoreError) {
        note("delete")
        try await inner.delete(in: folder, uids: uids)
    }
}
