import Foundation
import Synchronization
import Testing
import TernCore
import TernState
import TernSync
import TernTestSupport

/// One scenario's accounts (two `InMemoryMailStore`s) and state file, and the engine over them
/// as `tern sync` wires it: every run is a new `MailboxSync` with a new SQLite connection to the
/// same file, as a new process would have.
final class EngineWorld: Sendable {
    let scenario: EngineScenario
    let source: InMemoryMailStore
    let destination: InMemoryMailStore
    let directory: URL
    var statePath: String { directory.appendingPathComponent("state.sqlite").path }

    convenience init(_ scenario: EngineScenario) throws {
        try self.init(scenario, source: InMemoryMailStore(label: "source alice", scenario.source),
            destination: InMemoryMailStore(label: "destination alice", scenario.destination))
    }

    private init(_ scenario: EngineScenario, source: InMemoryMailStore, destination: InMemoryMailStore) throws {
        self.scenario = scenario
        self.source = source
        self.destination = destination
        directory = Self.scratch.appendingPathComponent("tern-engine-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    }

    /// Where state files go: a RAM disk where there is one. Every run writes its state (a
    /// commit per batch) and the suite makes thousands of runs; on a disk their syncs would be
    /// most of its time, and they test SQLite, not the engine.
    static let scratch: URL = {
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: "/dev/shm", isDirectory: &isDirectory), isDirectory.boolValue,
           FileManager.default.isWritableFile(atPath: "/dev/shm") {
            return URL(fileURLWithPath: "/dev/shm")
        }
        return FileManager.default.temporaryDirectory
    }()

    /// The same accounts and state as this world holds now, sharing nothing with it: a
    /// scenario is prepared once and each interrupted run starts from a copy.
    func clone() async throws -> EngineWorld {
        let copy = try EngineWorld(scenario, source: await source.clone(), destination: await destination.clone())
        for suffix in ["", "-wal", "-shm"] where FileManager.default.fileExists(atPath: statePath + suffix) {
            try FileManager.default.copyItem(atPath: statePath + suffix, toPath: copy.statePath + suffix)
        }
        return copy
    }

    deinit { try? FileManager.default.removeItem(at: directory) }

    var options: SyncOptions {
        var options = SyncOptions()
        // Small batches make more durable steps to interrupt; nothing to wait for in memory.
        options.batchMessages = 2
        options.backoffSeconds = 0
        options.settleSeconds = 0
        options.deleteVanished = scenario.deleteVanished
        return options
    }

    /// One run of the engine, its calls journalled (and faults injected) by `schedule`.
    func sync(_ schedule: FaultSchedule = FaultSchedule(), log: @escaping @Sendable (String) -> Void = { _ in })
        async throws -> MailboxReport
    {
        let state = ScheduledStateStore(try SQLiteStateStore(path: statePath), schedule: schedule)
        let engine = MailboxSync(
            source: ScheduledMailStore(source, side: .source, schedule: schedule),
            destination: ScheduledMailStore(destination, side: .destination, schedule: schedule),
            state: state, rules: scenario.rules, events: FanOutSink([]), options: options,
            sourceKey: "alice@source", destinationKey: "alice@destination", log: log)
        return await engine.run()
    }

    /// An earlier, complete pass (part of a scenario's prior state).
    func priorRun() async throws {
        let report = try await sync()
        guard report.succeeded else { throw StateError("the prior run failed: \(report.error ?? "folders failed")") }
    }

    func removeState() throws {
        for suffix in ["", "-wal", "-shm"] where FileManager.default.fileExists(atPath: statePath + suffix) {
            try FileManager.default.removeItem(atPath: statePath + suffix)
        }
    }

    func verify() async throws -> VerificationReport {
        try await MailboxVerifier(source: source, destination: destination, state: SQLiteStateStore(path: statePath),
            rules: scenario.rules, options: options, sourceKey: "alice@source",
            destinationKey: "alice@destination").run()
    }

    /// A message as it must be in the destination: folder, flags, arrival date with zone, bytes.
    static func essence(_ path: [String], flags: [String], date: MailDate, bytes: [UInt8]) -> String {
        "\(path.joined(separator: "/")) [\(flags.sorted().joined(separator: " "))] "
            + "\(Int64(date.date.timeIntervalSince1970))@\(date.zoneMinutes) "
            + String(decoding: bytes, as: UTF8.self).replacingOccurrences(of: "\r\n", with: "⏎")
    }

    /// Every source message the filter admits, once, where it belongs, with its flags (and the
    /// filter's) and its arrival date.
    func expectedDestination() async throws -> [String] {
        var expected: [String] = []
        for folder in await source.snapshot() {
            let path = EngineScenario.mapping[folder.path] ?? folder.path
            for message in folder.messages {
                var flags = message.flags
                if scenario.rules.filtersMessages {
                    let headers = HeaderParser.parse(message.bytes[...])
                    let summary = MessageSummary(folder: folder.path.joined(separator: "/"), uid: message.uid,
                        size: Int64(message.bytes.count), internalDate: message.internalDate.date, flags: flags,
                        headers: .init(from: headers["from"], to: headers["to"], subject: headers["subject"],
                            date: headers["date"], messageID: headers["message-id"]))
                    switch try await scenario.rules.filterMessage(summary) {
                    case .skip: continue
                    case .copy: break
                    case .copyAdjustingFlags(let add, let remove):
                        flags = flags.filter { !remove.contains($0) } + add.filter { !flags.contains($0) }
                    }
                }
                expected.append(Self.essence(path, flags: flags, date: message.internalDate, bytes: message.bytes))
            }
        }
        return expected.sorted()
    }

    func destinationContents() async -> [String] {
        await destination.snapshot().flatMap { folder in
            folder.messages.map { Self.essence(folder.path, flags: $0.flags, date: $0.internalDate, bytes: $0.bytes) }
        }.sorted()
    }
}

/// Issue 12 item 6: the sync engine's scenario table without a server — two in-memory stores
/// and a SQLite state file — each scenario run once as it is, then killed at every durable
/// step and restarted, then cut at every call and left to reconnect. Whatever happened, the
/// destination must end with exactly one copy of each source message the filter admits, with
/// its flags and date, and `verify` must agree.
@Suite struct EngineScenarioTests {
    /// Totals across the parameterised cases, for the line the last case prints.
    static let runs = Mutex<(kills: Int, cuts: Int)>((0, 0))

    @Test(arguments: EngineScenario.all)
    func uninterrupted(_ scenario: EngineScenario) async throws {
        let world = try EngineWorld(scenario)
        try await scenario.prepare(world)
        let sourceBefore = await world.source.snapshot()
        let lines = Mutex<[String]>([])
        let schedule = FaultSchedule()
        let report = try await world.sync(schedule) { line in lines.withLock { $0.append(line) } }

        #expect(report.error == nil)
        #expect(report.failuresByCategory.isEmpty)
        #expect(report.failedFolders.isEmpty)
        try await expectFinal(world, sourceBefore: sourceBefore, "uninterrupted")
        #expect(Self.summary(report.totals) == Self.summary(scenario.expected), "summary counts")
        if let expectLog = scenario.expectLog {
            #expect(lines.withLock { $0 }.contains { $0.contains(expectLog) }, "the log names the path: \(expectLog)")
        }
        // Once more: nothing left to do.
        let again = try await world.sync()
        #expect(Self.summary(again.totals) == Self.summary(EngineScenario.counts()), "a second run does nothing")
        let journal = schedule.journal
        print("engine scenario \"\(scenario.name)\": \(journal.count) store and state calls, "
            + "\(journal.filter(\.writes).count) of them durable steps")
    }

    /// Killed at every durable step (every write to the destination or the state, with its
    /// effect made and its answer lost — the same durable state as being killed before the
    /// next one; before the first; and each APPEND batch after each of its messages), then a
    /// new process runs to the end.
    @Test(arguments: EngineScenario.all)
    func killedAtEveryDurableStepAndRestarted(_ scenario: EngineScenario) async throws {
        let prepared = try EngineWorld(scenario)
        try await scenario.prepare(prepared)
        let journal = FaultSchedule()
        _ = try await prepared.clone().sync(journal)
        let writes = journal.journal.filter { $0.stream == .engine && $0.writes }
        var targets: [FaultSchedule.Target] = []
        if let first = writes.first { targets.append(.init(.engine, first.index, .kill(.lost))) }
        for step in writes {
            if step.call == "append" {
                for stored in 1..<max(step.items, 1) { targets.append(.init(.engine, step.index, .kill(.partial(stored)))) }
            }
            targets.append(.init(.engine, step.index, .kill(.done)))
        }
        #expect(!targets.isEmpty)

        for target in targets {
            let world = try await prepared.clone()
            let sourceBefore = await world.source.snapshot()
            let schedule = FaultSchedule([target])
            _ = try await world.sync(schedule)
            let fired = schedule.fired.first.map { "\($0.fault) at \($0.step)" } ?? "nothing"
            // (A kill at the last step, the closing status, leaves the report without an error.)
            #expect(schedule.killed, "\(target) fired")

            let restarted = try await world.sync()
            #expect(restarted.error == nil, "after \(fired): \(restarted.error ?? "")")
            #expect(restarted.failuresByCategory.isEmpty, "after \(fired): \(restarted.failuresByCategory)")
            #expect(restarted.failedFolders.isEmpty, "after \(fired): \(restarted.failedFolders)")
            try await expectFinal(world, sourceBefore: sourceBefore, "after \(fired)")
            // The state is complete: a further run finds nothing to copy, adopt, flag or delete.
            let third = try await world.sync()
            #expect(Self.summary(third.totals) == Self.summary(EngineScenario.counts()),
                "after \(fired), a further run does nothing")
        }
        Self.note(kills: targets.count, scenario)
    }

    /// Cut at every call (before it takes effect; each write also after it, and each APPEND
    /// batch after each of its messages): the run reconnects and ends exact, its summary the
    /// uninterrupted run's.
    @Test(arguments: EngineScenario.all)
    func cutAtEveryCallAndReconnected(_ scenario: EngineScenario) async throws {
        let prepared = try EngineWorld(scenario)
        try await scenario.prepare(prepared)
        let journal = FaultSchedule()
        _ = try await prepared.clone().sync(journal)
        var targets: [FaultSchedule.Target] = []
        for step in journal.journal where step.side != .state {
            targets.append(.init(step.stream, step.index, .cut(.lost)))
            guard step.writes else { continue }
            if step.call == "append" {
                for stored in 1..<max(step.items, 1) { targets.append(.init(step.stream, step.index, .cut(.partial(stored)))) }
            }
            targets.append(.init(step.stream, step.index, .cut(.done)))
        }

        for target in targets {
            let world = try await prepared.clone()
            let sourceBefore = await world.source.snapshot()
            let schedule = FaultSchedule([target])
            let report = try await world.sync(schedule)
            let fired = schedule.fired.first.map { "\($0.fault) at \($0.step)" } ?? "nothing"
            #expect(schedule.fired.count == 1, "\(target) fired")
            #expect(report.error == nil, "after \(fired): \(report.error ?? "")")
            #expect(report.failuresByCategory.isEmpty, "after \(fired): \(report.failuresByCategory)")
            #expect(report.failedFolders.isEmpty, "after \(fired): \(report.failedFolders)")
            #expect(Self.summary(report.totals) == Self.summary(scenario.expected), "summary after \(fired)")
            try await expectFinal(world, sourceBefore: sourceBefore, "after \(fired)")
        }
        Self.note(cuts: targets.count, scenario)
    }

    /// A folder the source refuses to open (a folder-scope failure, injected at its STATUS) is
    /// named as failed while the others are copied; the next run copies it and ends exact.
    @Test func failedFolderIsNamedAndTheNextRunFinishesIt() async throws {
        let scenario = EngineScenario.all[0]
        let prepared = try EngineWorld(scenario)
        try await scenario.prepare(prepared)
        let journal = FaultSchedule()
        _ = try await prepared.clone().sync(journal)
        let status = try #require(journal.journal.first { $0.call == "status" && $0.folder == "Projects/2024" })
        let refusal = StoreError(scope: .folder, retry: .never, category: .folder,
            message: "source alice: open folder Projects/2024: permission denied")

        let world = try await prepared.clone()
        let sourceBefore = await world.source.snapshot()
        let report = try await world.sync(FaultSchedule([.init(.source, status.index, .fail(refusal))]))
        #expect(report.error == nil)
        #expect(report.failedFolders == ["Projects/2024"])
        #expect(report.totals.copied == EngineCorpus.total - EngineCorpus.projects2024.count)
        #expect(await world.destination.messages(at: ["Projects", "2024"]).isEmpty)

        let next = try await world.sync()
        #expect(next.succeeded)
        #expect(Self.summary(next.totals) == Self.summary(EngineScenario.counts(copied: EngineCorpus.projects2024.count)))
        try await expectFinal(world, sourceBefore: sourceBefore, "after a failed folder")
    }

    // MARK: - Checks

    /// Exactly one copy of each admitted source message, flags and dates intact; the source
    /// untouched; `verify` agrees.
    private func expectFinal(_ world: EngineWorld, sourceBefore: [InMemoryMailStore.Folder], _ context: String)
        async throws
    {
        let expected = try await world.expectedDestination()
        let actual = await world.destinationContents()
        if actual != expected {
            let text = "\(context): destination differs; missing \(Self.subtracting(actual, from: expected)), "
                + "extra or duplicated \(Self.subtracting(expected, from: actual)); "
                + "\(actual.count) messages for \(expected.count) expected"
            Issue.record("\(text)")
        }
        #expect(await world.source.snapshot() == sourceBefore, "\(context): the source is untouched")
        let verification = try await world.verify()
        let differing = verification.folders.filter { !$0.matches }.map { folder in
            "\(folder.source): missing \(folder.missing), extra \(folder.extra), flags \(folder.flagMismatches)"
        }
        #expect(differing.isEmpty, "\(context): verify says \(differing)")
    }

    /// What `whole` holds beyond `part`, as multisets (a duplicate shows once per copy too many).
    static func subtracting(_ part: [String], from whole: [String]) -> [String] {
        var left = whole
        for item in part { if let index = left.firstIndex(of: item) { left.remove(at: index) } }
        return left
    }

    /// The counts a scenario fixes (not source, failed or bytes, which follow from the rest).
    static func summary(_ counts: MigrationEvent.Counts) -> String {
        "copied \(counts.copied), already present \(counts.alreadyPresent), filtered \(counts.filtered), "
            + "flags updated \(counts.flagsUpdated), deleted \(counts.deleted)"
    }

    static func note(kills: Int = 0, cuts: Int = 0, _ scenario: EngineScenario) {
        let totals = runs.withLock { runs in
            runs.kills += kills
            runs.cuts += cuts
            return runs
        }
        let what = kills > 0 ? "\(kills) kill-and-restart" : "\(cuts) cut-and-reconnect"
        print("engine scenario \"\(scenario.name)\": \(what) runs; so far \(totals.kills) killed and "
            + "\(totals.cuts) cut runs over \(EngineScenario.all.count) scenarios")
    }
}
