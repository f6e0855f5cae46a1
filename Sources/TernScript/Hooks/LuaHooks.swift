import Foundation
import Synchronization
import TernCore

/// Delivers migration events to the scripts' `on_event(e)` off the copy path: `emit` only
/// queues; one worker task with its own Lua state calls the hooks in order. A hook error is
/// logged and counted, never fatal, unless the hook calls `tern.fatal(message)`: then
/// `onFatal` is called once and `fatalError` is set (the run should stop).
///
/// At the end of a batch call `drain(timeout:)` so pending webhooks still go out, then
/// `finish()`.
public final class LuaHooks: EventSink, Sendable {
    /// The events hooks receive by default (cutover events will join later).
    public static let defaultKinds: Set<MigrationEvent.Kind> = [
        .mailboxStarted, .folderDone, .mailboxFinished, .mailboxFailed, .batchFinished,
        .waveStarted, .waveFinished, .checklistChanged,
    ]

    /// Counts since the hooks started.
    public struct Statistics: Sendable, Equatable {
        /// Events queued and not yet handled.
        public var pending = 0
        /// Events every hook handled without error.
        public var delivered = 0
        /// Hook calls that raised an error (logged).
        public var failed = 0
        /// Events not queued because the hooks fell that far behind (`queueLimit`).
        public var dropped = 0

        public init(pending: Int = 0, delivered: Int = 0, failed: Int = 0, dropped: Int = 0) {
            self.pending = pending
            self.delivered = delivered
            self.failed = failed
            self.dropped = dropped
        }
    }

    /// At most this many events wait for the hooks: a slow ticket endpoint slows the hooks,
    /// never the copy, and never grows memory without bound. Past half of it, per-folder
    /// events give way so the mailbox, wave and batch milestones still get through.
    public let queueLimit: Int

    private struct Shared {
        var statistics = Statistics()
        var fatal: ScriptError?
    }

    private final class Box: Sendable {
        let mutex = Mutex(Shared())
        func withLock<T>(_ body: (inout Shared) -> T) -> T { mutex.withLock { body(&$0) } }
    }

    public let kinds: Set<MigrationEvent.Kind>
    private let shared = Box()
    private let continuation: AsyncStream<MigrationEvent>.Continuation
    private let worker: Task<Void, Never>

    init(files: [ScriptSet.File], options: ScriptOptions, kinds: Set<MigrationEvent.Kind>, queueLimit: Int = 10_000,
         onFatal: (@Sendable (ScriptError) -> Void)?) {
        self.kinds = kinds
        self.queueLimit = max(2, queueLimit)
        let (stream, continuation) = AsyncStream.makeStream(of: MigrationEvent.self, bufferingPolicy: .unbounded)
        self.continuation = continuation
        let shared = self.shared
        worker = Task.detached {
            await Self.run(stream: stream, files: files, options: options, shared: shared, onFatal: onFatal)
        }
    }

    deinit { continuation.finish() }

    public func emit(_ event: MigrationEvent) {
        guard kinds.contains(event.kind) else { return }
        let limit = queueLimit
        let queued = shared.withLock { shared -> Bool in
            let pending = shared.statistics.pending
            if pending >= limit || (pending >= limit / 2 && event.kind == .folderDone) {
                shared.statistics.dropped += 1
                return false
            }
            shared.statistics.pending += 1
            return true
        }
        guard queued else { return }
        if case .dropped = continuation.yield(event) { shared.withLock { $0.statistics.pending -= 1 } }
    }

    public var statistics: Statistics { shared.withLock { $0.statistics } }

    /// Set once a hook called `tern.fatal`.
    public var fatalError: ScriptError? { shared.withLock { $0.fatal } }

    /// Waits until every queued event has been handled, or `timeout` passes; returns whether
    /// the queue drained.
    @discardableResult
    public func drain(timeout: Duration = .seconds(60)) async -> Bool {
        let deadline = ContinuousClock.now + timeout
        while statistics.pending > 0 {
            if ContinuousClock.now >= deadline { return false }
            try? await Task.sleep(for: .milliseconds(5))
        }
        return true
    }

    /// Waits for every queued event, however long the hooks take.
    public func flush() async { _ = await drain(timeout: .seconds(Int64.max / 2)) }

    /// Stops accepting events, lets the worker finish what is queued, and waits for it.
    public func finish() async {
        continuation.finish()
        await worker.value
    }

    // MARK: - Worker

    private static func run(stream: AsyncStream<MigrationEvent>, files: [ScriptSet.File], options: ScriptOptions,
                            shared: Box, onFatal: (@Sendable (ScriptError) -> Void)?) async {
        var hooks: [(LuaFunctionRef, String)] = []
        var state: LuaState?
        var setupError: ScriptError?
        do {
            let created = try LuaState(limits: options.limits, context: options)
            for file in files {
                let chunk = try await created.run(file.source, chunkName: file.path, declared: Sandbox.scriptGlobals)
                if let hook = try created.function(named: "on_event", in: chunk.environment, chunkName: file.path) {
                    hooks.append((hook, file.path))
                }
            }
            state = created
        } catch {
            setupError = error
            options.log(.error, "hooks are not running: \(error)", location: error.location)
        }
        for await event in stream {
            var failed = setupError != nil
            if let state {
                for (hook, path) in hooks {
                    do {
                        _ = try await state.invoke { stack in
                            stack.push(.function(hook))
                            stack.push(event.luaValue)
                            return 1
                        } read: { _, _ in () }
                    } catch {
                        failed = true
                        options.log(.error, "on_event(\(event.kind.rawValue)) failed: \(error.message)",
                                    location: error.location ?? path)
                    }
                    if let request = state.fatalRequest {
                        state.fatalRequest = nil
                        let fatal = ScriptError(location: path, message: "a hook stopped the run: \(request)")
                        let first = shared.withLock { shared -> Bool in
                            defer { if shared.fatal == nil { shared.fatal = fatal } }
                            return shared.fatal == nil
                        }
                        if first { onFatal?(fatal) }
                    }
                }
            }
            shared.withLock {
                $0.statistics.pending -= 1
                if failed { $0.statistics.failed += 1 } else { $0.statistics.delivered += 1 }
            }
        }
    }
}

extension MigrationEvent {
    /// The table `on_event(e)` receives.
    var luaValue: LuaValue {
        var table = LuaTable()
        table["kind"] = .string(kind.rawValue)
        table["time"] = .number(time.timeIntervalSince1970)
        if let mailbox { table["mailbox"] = .string(mailbox) }
        if let folder { table["folder"] = .string(folder) }
        if let message { table["message"] = .string(message) }
        if let seconds { table["seconds"] = .number(seconds) }
        if let details { table["details"] = .record(details.mapValues { .string($0) }) }
        if let counts {
            table["counts"] = .record([
                "source": .integer(Int64(counts.source)), "copied": .integer(Int64(counts.copied)),
                "already_present": .integer(Int64(counts.alreadyPresent)), "filtered": .integer(Int64(counts.filtered)),
                "failed": .integer(Int64(counts.failed)), "flags_updated": .integer(Int64(counts.flagsUpdated)),
                "deleted": .integer(Int64(counts.deleted)), "bytes": .integer(counts.bytes),
            ])
        }
        return .table(table)
    }
}
