import Synchronization
import TernCore
import TernState

/// Counts every call one engine run makes on its source, its destination and its state, and
/// injects a fault at chosen calls: fail it, cut the link there (a connection-scope error, as a
/// dropped link gives), or kill the process there. Shared by the wrappers of one run
/// (`ScheduledMailStore` for each side, `ScheduledStateStore`), because a killed process stops
/// on all three at once: after the kill every call of that run fails, so nothing more reaches
/// the stores or the state — not even the engine's closing "failed" status. The test then
/// starts a new `MailboxSync` over new wrappers (a new schedule) around the same stores and
/// state file, as a restarted process would.
///
/// Calls are numbered per stream, because the engine fetches the next batch from the source
/// while it appends the current one: source calls form one stream, destination and state calls
/// (made one after another by the engine's own task) the other. Each stream's order is the same
/// in every run of the same scenario, so a journal of an uninterrupted run names every point a
/// later run can be interrupted at.
public final class FaultSchedule: Sendable {
    public enum Stream: String, Sendable { case source, engine }
    public enum Side: String, Sendable { case source, destination, state }

    /// One call as the journal keeps it.
    public struct Step: Sendable, Equatable, CustomStringConvertible {
        public var stream: Stream
        /// 1-based, per stream.
        public var index: Int
        public var side: Side
        public var call: String
        public var folder: String?
        /// Whether the call changes the destination or the state (a durable step).
        public var writes: Bool
        /// Messages in an APPEND (or UIDs, flag changes, records in a batch call).
        public var items: Int

        public var description: String {
            "\(stream) #\(index): \(side) \(call)" + (folder.map { " \($0)" } ?? "") + (items > 0 ? " ×\(items)" : "")
        }
    }

    /// How much of the interrupted call took effect.
    public enum Effect: Sendable, Equatable, CustomStringConvertible {
        /// Not at all: the request never arrived.
        case lost
        /// Entirely, but the answer never came back.
        case done
        /// The first n messages of an APPEND were stored (a pipelined batch cut in the middle).
        case partial(Int)

        public var description: String {
            switch self {
            case .lost: "before it took effect"
            case .done: "after it took effect, its answer lost"
            case .partial(let count): "after \(count) of its messages were stored"
            }
        }
    }

    public enum Fault: Sendable, Equatable, CustomStringConvertible {
        /// The call throws this error instead (the store is not touched).
        case fail(StoreError)
        /// The link drops: a connection-scope error; the store must be opened again.
        case cut(Effect)
        /// The process dies: this call and every later one of the run fail.
        case kill(Effect)

        public var description: String {
            switch self {
            case .fail(let error): "fail (\(error.category))"
            case .cut(let effect): "cut \(effect)"
            case .kill(let effect): "kill \(effect)"
            }
        }
    }

    public struct Target: Sendable, Equatable, CustomStringConvertible {
        public var stream: Stream
        public var index: Int
        public var fault: Fault

        public init(_ stream: Stream, _ index: Int, _ fault: Fault) {
            self.stream = stream
            self.index = index
            self.fault = fault
        }

        public var description: String { "\(fault) at \(stream) call \(index)" }
    }

    /// What a wrapper does with a call.
    enum Decision {
        case proceed
        case fault(Fault)
        /// The run was killed earlier.
        case dead
    }

    private struct Book {
        var journal: [Step] = []
        var counts: [Stream: Int] = [:]
        var targets: [Target]
        var fired: [(Step, Fault)] = []
        var dead = false
    }

    private let book: Mutex<Book>

    public init(_ targets: [Target] = []) {
        book = Mutex(Book(targets: targets))
    }

    /// Every call made so far, in order per stream (the two streams interleave arbitrarily).
    public var journal: [Step] { book.withLock { $0.journal } }
    /// The faults that were injected, where.
    public var fired: [(step: Step, fault: Fault)] { book.withLock { $0.fired.map { (step: $0.0, fault: $0.1) } } }
    /// Whether a kill ended the run.
    public var killed: Bool { book.withLock { $0.dead } }

    /// The error every call of a killed run throws: of mailbox scope, so the engine stops at once
    /// (as a dead process would) rather than reconnecting.
    public static let killedError = StoreError(scope: .mailbox, retry: .never, category: .other,
        message: "the process was killed (fault injection)")

    static func cutError(_ step: Step) -> StoreError {
        StoreError(scope: .connection, retry: .now, category: .connection,
            message: "connection cut during \(step.side) \(step.call) (fault injection)")
    }

    func enter(_ side: Side, _ call: String, folder: String?, writes: Bool, items: Int = 0) -> (Step, Decision) {
        book.withLock { book in
            let stream: Stream = side == .source ? .source : .engine
            let index = book.counts[stream, default: 0] + 1
            book.counts[stream] = index
            let step = Step(stream: stream, index: index, side: side, call: call, folder: folder,
                writes: writes, items: items)
            book.journal.append(step)
            if book.dead { return (step, .dead) }
            guard let target = book.targets.first(where: { $0.stream == stream && $0.index == index }) else {
                return (step, .proceed)
            }
            book.fired.append((step, target.fault))
            if case .kill = target.fault { book.dead = true }
            return (step, .fault(target.fault))
        }
    }
}

/// A `MailStore` wrapper that journals each call in a `FaultSchedule` and injects its faults.
/// Unlike `FaultyMailStore` (which bends a real server's answers per folder), it counts calls
/// across the whole run and can kill it. `open` and `folders` count as calls; `close` does not.
public final class ScheduledMailStore: MailStore {
    public let inner: any MailStore
    public let side: FaultSchedule.Side
    public let schedule: FaultSchedule
    public var label: String { inner.label }

    public init(_ inner: any MailStore, side: FaultSchedule.Side, schedule: FaultSchedule) {
        self.inner = inner
        self.side = side
        self.schedule = schedule
    }

    /// Runs one call under the schedule. `partial` makes what a partial effect stores (APPEND only).
    private func perform<T>(_ call: String, _ folder: StoreFolder?, writes: Bool = false, items: Int = 0,
                            partial: ((Int) async -> Void)? = nil,
                            _ body: () async throws(StoreError) -> T) async throws(StoreError) -> T
    {
        try await perform(call, named: folder?.portableName, writes: writes, items: items, partial: partial, body)
    }

    private func perform<T>(_ call: String, named folder: String?, writes: Bool = false, items: Int = 0,
                            partial: ((Int) async -> Void)? = nil,
                            _ body: () async throws(StoreError) -> T) async throws(StoreError) -> T
    {
        let (step, decision) = schedule.enter(side, call, folder: folder, writes: writes, items: items)
        switch decision {
        case .proceed:
            return try await body()
        case .dead:
            throw FaultSchedule.killedError
        case .fault(.fail(let error)):
            throw error
        case .fault(.cut(let effect)):
            await apply(effect, partial: partial, body)
            await inner.close()
            throw FaultSchedule.cutError(step)
        case .fault(.kill(let effect)):
            await apply(effect, partial: partial, body)
            throw FaultSchedule.killedError
        }
    }

    private func apply<T>(_ effect: FaultSchedule.Effect, partial: ((Int) async -> Void)?,
                          _ body: () async throws(StoreError) -> T) async {
        switch effect {
        case .lost: break
        case .done: _ = try? await body()
        case .partial(let count): await partial?(count)
        }
    }

    public func open() async throws(StoreError) -> StoreInfo { try await perform("open", nil) { () async throws(StoreError) in try await inner.open() } }
    public func close() async { await inner.close() }
    public func folders() async throws(StoreError) -> [StoreFolder] {
        try await perform("folders", nil) { () async throws(StoreError) in try await inner.folders() }
    }
    public func createFolder(path: [String], specialUse: String?) async throws(StoreError) -> StoreFolder {
        try await perform("createFolder", named: path.joined(separator: "/"), writes: true) { () async throws(StoreError) in
            try await inner.createFolder(path: path, specialUse: specialUse)
        }
    }
    public func subscribe(_ folder: StoreFolder) async throws(StoreError) {
        try await perform("subscribe", folder, writes: true) { () async throws(StoreError) in try await inner.subscribe(folder) }
    }
    public func status(_ folder: StoreFolder) async throws(StoreError) -> FolderStatus {
        try await perform("status", folder) { () async throws(StoreError) in try await inner.status(folder) }
    }
    public func messages(in folder: StoreFolder, changedSince: UInt64?) async throws(StoreError) -> FolderListing {
        try await perform("messages", folder) { () async throws(StoreError) in
            try await inner.messages(in: folder, changedSince: changedSince)
        }
    }
    public func messages(in folder: StoreFolder, uids: [UInt32]) async throws(StoreError) -> [MessageMeta] {
        try await perform("messages(uids)", folder, items: uids.count) { () async throws(StoreError) in
            try await inner.messages(in: folder, uids: uids)
        }
    }
    public func uids(in folder: StoreFolder) async throws(StoreError) -> FolderUIDs {
        try await perform("uids", folder) { () async throws(StoreError) in try await inner.uids(in: folder) }
    }
    public func changes(in folder: StoreFolder, sinceUIDNext uidNext: UInt32, modSeq: UInt64) async throws(StoreError)
        -> FolderChanges?
    {
        try await perform("changes", folder) { () async throws(StoreError) in
            try await inner.changes(in: folder, sinceUIDNext: uidNext, modSeq: modSeq)
        }
    }
    public func headers(in folder: StoreFolder, uids: [UInt32]) async throws(StoreError) -> [UInt32: HeaderFields] {
        try await perform("headers", folder, items: uids.count) { () async throws(StoreError) in
            try await inner.headers(in: folder, uids: uids)
        }
    }
    public func fetch(in folder: StoreFolder, uids: [UInt32]) async throws(StoreError) -> [MessageContent] {
        try await perform("fetch", folder, items: uids.count) { () async throws(StoreError) in
            try await inner.fetch(in: folder, uids: uids)
        }
    }
    public func append(to folder: StoreFolder, _ messages: [OutgoingMessage]) async throws(StoreError)
        -> [Result<UInt32?, StoreError>]
    {
        let inner = self.inner
        return try await perform("append", folder, writes: true, items: messages.count,
            partial: { count in _ = try? await inner.append(to: folder, Array(messages.prefix(count))) }
        ) { () async throws(StoreError) in
            try await inner.append(to: folder, messages)
        }
    }
    public func setFlags(in folder: StoreFolder, _ changes: [FlagChange]) async throws(StoreError) {
        try await perform("setFlags", folder, writes: true, items: changes.count) { () async throws(StoreError) in
            try await inner.setFlags(in: folder, changes)
        }
    }
    public func delete(in folder: StoreFolder, uids: [UInt32]) async throws(StoreError) {
        try await perform("delete", folder, writes: true, items: uids.count) { () async throws(StoreError) in
            try await inner.delete(in: folder, uids: uids)
        }
    }
}

/// A `StateStore` wrapper for the same schedule: state writes are durable steps too, and a
/// killed run writes nothing more. (A cut means nothing to a local file: only `fail` and `kill`.)
public final class ScheduledStateStore: StateStore {
    public let inner: any StateStore
    public let schedule: FaultSchedule

    public init(_ inner: any StateStore, schedule: FaultSchedule) {
        self.inner = inner
        self.schedule = schedule
    }

    private func perform<T>(_ call: String, writes: Bool, items: Int = 0,
                            _ body: () async throws(StateError) -> T) async throws(StateError) -> T
    {
        let (_, decision) = schedule.enter(.state, call, folder: nil, writes: writes, items: items)
        switch decision {
        case .proceed:
            return try await body()
        case .dead:
            throw StateError(FaultSchedule.killedError.message)
        case .fault(.fail(let error)):
            throw StateError(error.message)
        case .fault(.cut(let effect)), .fault(.kill(let effect)):
            // A SQLite transaction commits whole or not at all: a partial effect is none.
            if effect == .done { _ = try? await body() }
            throw StateError(FaultSchedule.killedError.message)
        }
    }

    public func mailboxID(source: String, destination: String) async throws(StateError) -> Int64 {
        // Inserts the mailbox the first time.
        try await perform("mailboxID", writes: true) { () async throws(StateError) in
            try await inner.mailboxID(source: source, destination: destination)
        }
    }
    public func setMailboxStatus(_ id: Int64, _ status: MailboxStatus, error: String?) async throws(StateError) {
        try await perform("setMailboxStatus \(status.rawValue)", writes: true) { () async throws(StateError) in
            try await inner.setMailboxStatus(id, status, error: error)
        }
    }
    public func mailboxStatuses() async throws(StateError) -> [MailboxRecord] {
        try await perform("mailboxStatuses", writes: false) { () async throws(StateError) in try await inner.mailboxStatuses() }
    }
    public func folder(mailbox: Int64, sourceName: String) async throws(StateError) -> FolderRecord? {
        try await perform("folder", writes: false) { () async throws(StateError) in
            try await inner.folder(mailbox: mailbox, sourceName: sourceName)
        }
    }
    public func folders(mailbox: Int64) async throws(StateError) -> [FolderRecord] {
        try await perform("folders", writes: false) { () async throws(StateError) in try await inner.folders(mailbox: mailbox) }
    }
    public func saveFolder(_ record: FolderRecord) async throws(StateError) -> FolderRecord {
        try await perform("saveFolder", writes: true) { () async throws(StateError) in try await inner.saveFolder(record) }
    }
    public func messages(folder: Int64) async throws(StateError) -> [UInt32: MessageRecord] {
        try await perform("messages", writes: false) { () async throws(StateError) in try await inner.messages(folder: folder) }
    }
    public func recordCopies(_ records: [MessageRecord]) async throws(StateError) {
        try await perform("recordCopies", writes: true, items: records.count) { () async throws(StateError) in
            try await inner.recordCopies(records)
        }
    }
    public func updateFlags(folder: Int64, _ changes: [UInt32: String]) async throws(StateError) {
        try await perform("updateFlags", writes: true, items: changes.count) { () async throws(StateError) in
            try await inner.updateFlags(folder: folder, changes)
        }
    }
    public func removeMessages(folder: Int64, sourceUIDs: [UInt32]) async throws(StateError) {
        try await perform("removeMessages", writes: true, items: sourceUIDs.count) { () async throws(StateError) in
            try await inner.removeMessages(folder: folder, sourceUIDs: sourceUIDs)
        }
    }
    public func clearMessages(folder: Int64) async throws(StateError) {
        try await perform("clearMessages", writes: true) { () async throws(StateError) in
            try await inner.clearMessages(folder: folder)
        }
    }
    public func recordFailure(_ failure: FailureRecord) async throws(StateError) {
        try await perform("recordFailure", writes: true) { () async throws(StateError) in try await inner.recordFailure(failure) }
    }
    public func clearFailure(folder: Int64, sourceUID: UInt32) async throws(StateError) {
        try await perform("clearFailure", writes: true) { () async throws(StateError) in
            try await inner.clearFailure(folder: folder, sourceUID: sourceUID)
        }
    }
    public func failures(mailbox: Int64) async throws(StateError) -> [FailureRecord] {
        try await perform("failures", writes: false) { () async throws(StateError) in try await inner.failures(mailbox: mailbox) }
    }
    public func recordRun(_ run: RunRecord) async throws(StateError) {
        try await perform("recordRun", writes: true) { () async throws(StateError) in try await inner.recordRun(run) }
    }
}
