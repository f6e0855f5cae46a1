import ArgumentParser
import Foundation
import TernCore
import TernIMAP
import TernMigration
import TernScript
import TernState
import TernSync

/// What `sync`, `batch` and `verify` set up the same way: scripts validated before anything
/// connects, the state database, log files, and the event outputs (progress display or
/// `--json` lines, plus Lua hooks).
struct RunContext: Sendable {
    let flags: SyncFlags
    let state: SQLiteStateStore
    let scripts: ScriptSet
    let logs: MailboxLogs
    let json: JSONLinesSink?
    let progress: ProgressDisplay?
    let hooks: LuaHooks?
    let runner: MigrationRunner
    /// `--trace FILE`: every connection's protocol lines, labelled by side and mailbox.
    let trace: FileTrace?
    /// Asked by a hook's tern.fatal; the run then ends with the hook-error code.
    let stop: RunStop

    static func prepare(flags: SyncFlags, mailboxes: Int, parallel: Int = 1) async throws -> RunContext {
        // Broken scripts stop everything before a single connection is made.
        let scripts = try await ScriptSet.load(paths: flags.script,
            options: ScriptOptions(allowedEnvironment: Set(flags.allowEnv)))
        let project = try MigrationProject.locate(explicit: flags.project)
        let statePath = flags.state ?? project?.statePath ?? "./tern-state.sqlite"
        let state = try SQLiteStateStore(path: statePath)
        let logs = try MailboxLogs(directory: flags.logDir ?? project?.logDirectory)
        let trace = try flags.trace.map { try FileTrace(path: $0) }
        let json = flags.json ? JSONLinesSink() : nil
        let progress = flags.json ? nil : ProgressDisplay(mailboxes: mailboxes)
        // A hook's tern.fatal stops the run the ordinary way: no new folder, batch or mailbox
        // starts, state and summary are written, the exit code says hook-error.
        let stop = RunStop()
        let hooks = scripts.makeHooks(onFatal: { error in
            var stderr = StandardError()
            print("tern: error: a hook asked to stop: \(error)", to: &stderr)
            stop.request("a hook asked to stop: \(error)")
        })
        var options = flags.syncOptions()
        options.stop = stop
        var sinks: [any EventSink] = []
        if let json { sinks.append(json) }
        if let progress { sinks.append(progress) }
        if let hooks { sinks.append(hooks) }
        let runner = MigrationRunner(state: state, scripts: scripts, options: options,
            events: FanOutSink(sinks), parallel: parallel,
            lockDirectory: flags.dryRun ? nil : (statePath as NSString).deletingLastPathComponent.nilIfEmpty ?? ".",
            logs: { logs.writer(for: $0) })
        progress?.start()
        return RunContext(flags: flags, state: state, scripts: scripts, logs: logs, json: json, progress: progress,
            hooks: hooks, runner: runner, trace: trace, stop: stop)
    }

    /// Resolves both sides (presets, secrets) into a job. Passwords from a batch file come as arguments.
    func job(source: ServerSpec, destination: ServerSpec, sourceUser: String? = nil, sourcePassword: Secret? = nil,
             destinationUser: String? = nil, destinationPassword: Secret? = nil) async throws -> MailboxJob {
        let from = try await source.resolved(user: sourceUser)
        let to = try await destination.resolved(user: destinationUser)
        var stderr = StandardError()
        for warning in from.warnings + to.warnings { print("tern: warning: \(warning)", to: &stderr) }
        return MailboxJob(
            source: from.connectionConfiguration(trace: trace, label: "source \(from.key)"),
            sourceCredentials: try from.credentials(password: sourcePassword), sourceKey: from.key,
            destination: to.connectionConfiguration(trace: trace, label: "destination \(to.key)"),
            destinationCredentials: try to.credentials(password: destinationPassword), destinationKey: to.key,
            presetSkips: from.preset?.folders.skip ?? [])
    }

    /// Stops the display, lets hooks finish, prints the summary and returns the exit code.
    func finish(_ reports: [MailboxReport]) async -> ExitCode {
        progress?.stop()
        var code = Self.exitCode(reports)
        if let hooks {
            hooks.emit(MigrationEvent(.batchFinished, counts: reports.reduce(MigrationEvent.Counts()) { $0 + $1.totals }))
            let drained = await hooks.drain(timeout: .seconds(60))
            await hooks.finish()
            let statistics = hooks.statistics
            var stderr = StandardError()
            if statistics.dropped > 0 {
                print("tern: warning: hooks fell behind: \(statistics.dropped) events were not delivered to them "
                    + "(at most \(hooks.queueLimit) wait; folder events give way first)", to: &stderr)
            }
            if !drained {
                print("tern: warning: hooks still had \(statistics.pending) events after 60 s; not delivered",
                    to: &stderr)
            }
        // A tern.fatal from any event, the last ones included, ends the run as hook-error.
        if stop.reason != nil { code = TernExit.code(for: .hookError) }
        }
        if let json {
            json.write(RunSummary(mailboxes: reports, totals: reports.reduce(.init()) { $0 + $1.totals },
                exitCode: code.rawValue))
        } else if reports.count == 1 {
            print(SyncRenderer.text(reports[0], dryRun: flags.dryRun), terminator: "")
        } else {
            for report in reports where !report.folders.isEmpty || report.error != nil {
                print(SyncRenderer.text(report, dryRun: flags.dryRun))
            }
            print(SyncRenderer.batchSummary(reports), terminator: "")
        }
        return code
    }

    /// Every mailbox failed for one reason: that reason's code (so a wrong password exits 12
    /// from `sync` and from `batch` alike); otherwise 2 when any failed at all.
    static func exitCode(_ reports: [MailboxReport]) -> ExitCode {
        let failed = reports.filter { $0.error != nil }
        if !failed.isEmpty, failed.count == reports.count {
            let categories = Set(failed.map { $0.errorCategory ?? .other })
            if categories.count == 1, let only = categories.first { return TernExit.code(for: only) }
        }
        return reports.allSatisfy(\.succeeded) ? TernExit.success : TernExit.partial
    }
}

extension String {
    var nilIfEmpty: String? { isEmpty ? nil : self }
}
