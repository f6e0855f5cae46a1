import Foundation
import Logging
import TernCore
import TernIMAP
import TernIMAPStore
import TernScript
import TernState
import TernSync

/// One mailbox to move: both accounts, fully resolved (presets applied, secrets at hand).
public struct MailboxJob: Sendable {
    /// "user@host:port": the key an account has in the state database, logs and run history.
    /// Durable — a different key for the same account would start its migration over — so it
    /// is made here only.
    public static func stateKey(user: String, host: String, port: Int?, security: TransportSecurity) -> String {
        "\(user)@\(host):\(port ?? security.defaultPort)"
    }

    public var source: ConnectionConfiguration
    public var sourceCredentials: Credentials
    /// The account's key in state and logs, e.g. "alice@imap.old.example:993".
    public var sourceKey: String
    public var destination: ConnectionConfiguration
    public var destinationCredentials: Credentials
    public var destinationKey: String
    /// Folders the source preset says never to copy.
    public var presetSkips: [String]
    /// The project inventory's address and wave, recorded with the run when known.
    public var address: String?
    public var wave: String?

    public init(source: ConnectionConfiguration, sourceCredentials: Credentials, sourceKey: String,
                destination: ConnectionConfiguration, destinationCredentials: Credentials, destinationKey: String,
                presetSkips: [String] = [], address: String? = nil, wave: String? = nil) {
        self.source = source
        self.sourceCredentials = sourceCredentials
        self.sourceKey = sourceKey
        self.destination = destination
        self.destinationCredentials = destinationCredentials
        self.destinationKey = destinationKey
        self.presetSkips = presetSkips
        self.address = address
        self.wave = wave
    }
}

/// Runs many mailboxes, `parallel` at a time. A failed mailbox never stops the others; each
/// gets its own connections, Lua state and log, and all share one state store.
public struct MigrationRunner: Sendable {
    public var state: any StateStore
    public var scripts: ScriptSet
    public var options: SyncOptions
    public var events: any EventSink
    public var parallel: Int
    /// A line writer per mailbox (its log file).
    public var logs: @Sendable (String) -> (@Sendable (String) -> Void)
    /// Where per-mailbox lock files go (beside the state database); nil: no locking.
    public var lockDirectory: String?

    public init(state: any StateStore, scripts: ScriptSet, options: SyncOptions, events: any EventSink, parallel: Int,
                lockDirectory: String? = nil, logs: @escaping @Sendable (String) -> (@Sendable (String) -> Void)) {
        self.state = state
        self.scripts = scripts
        self.options = options
        self.events = events
        self.parallel = max(1, parallel)
        self.logs = logs
        self.lockDirectory = lockDirectory
    }

    /// Reports in the order of `jobs`.
    public func run(_ jobs: [MailboxJob]) async -> [MailboxReport] {
        await withTaskGroup(of: (Int, MailboxReport).self) { group in
            var reports = [MailboxReport?](repeating: nil, count: jobs.count)
            var next = 0
            func start(_ index: Int) {
                group.addTask { (index, await self.run(jobs[index])) }
            }
            while next < min(parallel, jobs.count) {
                start(next)
                next += 1
            }
            for await (index, report) in group {
                reports[index] = report
                if next < jobs.count {
                    start(next)
                    next += 1
                }
            }
            return reports.compactMap { $0 }
        }
    }

    public func run(_ job: MailboxJob) async -> MailboxReport {
        if let reason = options.stop?.reason {
            return MailboxReport(source: job.sourceKey, destination: job.destinationKey, folders: [],
                failuresByCategory: [:], error: "not started: \(reason)", errorCategory: .hookError, seconds: 0)
        }
        let log = logs(job.sourceKey)
        var lock: MailboxLock?
        if let lockDirectory {
            do {
                lock = try MailboxLock.acquire(directory: lockDirectory, source: job.sourceKey, destination: job.destinationKey)
            } catch {
                return MailboxReport(source: job.sourceKey, destination: job.destinationKey, folders: [],
                    failuresByCategory: [:], error: "\(error)", errorCategory: .state, seconds: 0)
            }
            guard lock != nil else {
                return MailboxReport(source: job.sourceKey, destination: job.destinationKey, folders: [],
                    failuresByCategory: [:],
                    error: "another tern process is migrating this mailbox with the same state; wait for it to finish",
                    errorCategory: .busy, seconds: 0)
            }
        }
        defer { withExtendedLifetime(lock) {} }
        var rules: any Rules = NoRules()
        if scripts.hasRules {
            do {
                rules = try await scripts.makeRules(logger: Logger(label: "tern.script") { _ in LineLogHandler(write: log) })
            } catch {
                return MailboxReport(source: job.sourceKey, destination: job.destinationKey, folders: [],
                    failuresByCategory: [:], error: "cannot start the scripts: \(error)", errorCategory: .script,
                    seconds: 0)
            }
        }
        var options = self.options
        options.folders.presetSkips += job.presetSkips
        let sync = MailboxSync(
            source: IMAPMailStore(configuration: job.source, credentials: job.sourceCredentials,
                label: "source \(job.sourceKey)", readOnly: true),
            destination: IMAPMailStore(configuration: job.destination, credentials: job.destinationCredentials,
                label: "destination \(job.destinationKey)", readOnly: false),
            state: state, rules: rules, events: events, options: options, sourceKey: job.sourceKey,
            destinationKey: job.destinationKey, log: log)
        let started = Date()
        let report = await sync.run()
        if !options.dryRun {
            await record(report, job: job, started: started, log: log)
        }
        return report
    }

    /// Verifies one mailbox — every mapped folder pair, by identity, flags and content, with
    /// the same folder rules and message filter as the copy — and records the result in the
    /// run history. The one verification every front end uses (`verify`, `sync --verify`,
    /// `run --verify`).
    public func verify(_ job: MailboxJob) async throws -> VerificationReport {
        var options = self.options
        options.folders.presetSkips += job.presetSkips
        let rules: any Rules = scripts.hasRules ? try await scripts.makeRules() : NoRules()
        let verifier = MailboxVerifier(
            source: IMAPMailStore(configuration: job.source, credentials: job.sourceCredentials,
                label: "source \(job.sourceKey)", readOnly: true),
            destination: IMAPMailStore(configuration: job.destination, credentials: job.destinationCredentials,
                label: "destination \(job.destinationKey)", readOnly: false),
            state: state, rules: rules, options: options, sourceKey: job.sourceKey, destinationKey: job.destinationKey)
        let started = Date()
        let report = try await verifier.run()
        try await state.recordRun(RunRecord(kind: .verify, sourceKey: job.sourceKey,
            destinationKey: job.destinationKey, address: job.address, wave: job.wave, startedAt: started,
            finishedAt: Date(), status: report.matches ? "match" : "mismatch",
            sourceMessages: report.folders.reduce(0) { $0 + $1.sourceCount },
            failed: report.folders.reduce(0) { $0 + $1.missing + $1.extra + $1.flagMismatches + $1.altered }))
        return report
    }

    /// Adds the pass to the run history; the copy itself is already safe in the state, so a
    /// failure here is only logged.
    func record(_ report: MailboxReport, job: MailboxJob, started: Date, log: @Sendable (String) -> Void) async {
        let totals = report.totals
        let status = report.error != nil ? "failed" : report.succeeded ? "done" : "partial"
        let folders = report.failedFolders.isEmpty ? nil : "folders failed: \(report.failedFolders.joined(separator: ", "))"
        let run = RunRecord(kind: .sync, sourceKey: job.sourceKey, destinationKey: job.destinationKey,
            address: job.address, wave: job.wave, startedAt: started, finishedAt: Date(), status: status,
            sourceMessages: totals.source, copied: totals.copied, bytes: totals.bytes, failed: totals.failed,
            error: report.error ?? folders)
        do {
            try await state.recordRun(run)
        } catch {
            log("cannot record the run in the history: \(error)")
        }
    }
}

/// Sends swift-log records (scripts' `tern.log`) into a mailbox's log file.
public struct LineLogHandler: LogHandler {
    public var metadata: Logger.Metadata = [:]
    public var logLevel: Logger.Level = .info
    let write: @Sendable (String) -> Void

    public init(write: @escaping @Sendable (String) -> Void) { self.write = write }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    public func log(event: LogEvent) {
        write("script \(event.level): \(event.message)")
    }
}
