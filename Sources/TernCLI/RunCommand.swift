import ArgumentParser
import Foundation
import TernCore
import TernIMAP
import TernMigration
import TernState
import TernSync

/// `tern run wave NAME`: the batch engine over one wave of the project's inventory.
struct RunCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Run part of the migration project's plan.",
        subcommands: [RunWaveCommand.self])
}

struct RunWaveCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "wave",
        abstract: "Copy every mailbox of a wave (pilot, pre-stage, final) with the batch engine.",
        discussion: """
            The wave's mailboxes are the inventory's mailbox and shared objects that `tern plan \
            waves` placed in it; `final` is every mailbox (the delta pass at cutover). Each copies \
            from its inventory address at the source to its destination counterpart, with the \
            same state, logs, scripts and resumability as `tern batch`: running a wave again \
            copies only what is new. Pilot runs smallest first; pre-stage and final largest first.

            Credentials, per side: --credentials FILE.csv (the batch file's rows, matched by \
            source user), else the side's options, typically an admin login (--admin-user1 with \
            --password-file1, --admin-user2 with --password-file2). Without --host1/--preset1 \
            (--host2/--preset2) the project's presets name the servers. A mailbox that cannot be \
            resolved is reported and the rest run.

            Events: wave_started and wave_finished reach Lua hooks and --json output besides the \
            per-mailbox events. With --verify every copied mailbox is verified afterwards and the \
            result recorded for `tern report`.

            Exit codes: 0 every mailbox done (and verified), 2 some failed or could not start, \
            3 a verification found differences, 20 the wave has no mailbox.

            Example:
              tern run wave pilot --admin-user1 admin --password-file1 src.pw \\
                                  --admin-user2 admin --password-file2 dst.pw --verify
              tern run wave pre-stage --credentials users.csv --min-age 30 --parallel 8
            """)

    @Argument(help: "The wave: pilot, pre-stage or final.")
    var wave: String

    @Option(help: ArgumentHelp("A batch CSV with each mailbox's source and destination users and passwords.",
        valueName: "file"))
    var credentials: String?

    @Option(help: "Only this inventory address of the wave (repeatable).")
    var mailbox: [String] = []

    @Option(help: "Mailboxes migrated at the same time (1-64).")
    var parallel = 4

    @Option(help: "Log in at the source with the inventory address (address) or its local part (local-part).")
    var loginAs1: InventoryScanCommand.LoginName = .address

    @Option(help: "Log in at the destination with its address (address) or its local part (local-part).")
    var loginAs2: InventoryScanCommand.LoginName = .address

    @ArgumentParser.Flag(help: "Verify each copied mailbox afterwards (as `tern verify`).")
    var verify = false

    @OptionGroup(title: "Source (side 1): defaults for every mailbox") var source: SourceOptions
    @OptionGroup(title: "Destination (side 2): defaults for every mailbox") var destination: DestinationOptions
    @OptionGroup(title: "Sync") var flags: SyncFlags

    func validate() throws {
        if parallel < 1 || parallel > 64 { throw ValidationError("--parallel must be between 1 and 64.") }
        guard Wave(rawValue: wave) != nil else {
            throw ValidationError("unknown wave '\(wave)': use pilot, pre-stage or final.")
        }
    }

    func run() async throws {
        try await reportingErrors {
            let project = try ProjectOptions.load(explicit: flags.project)
            let wave = Wave(rawValue: wave)!
            let mailboxes = try Self.ordered(try await project.requireMailboxes(inWave: wave.rawValue), wave: wave,
                only: mailbox)
            var sourceSpec = source.spec
            if let preset = project.preset(for: .source, given: sourceSpec.preset, host: sourceSpec.host) {
                sourceSpec.preset = preset
            }
            var destinationSpec = destination.spec
            if let preset = project.preset(for: .destination, given: destinationSpec.preset, host: destinationSpec.host) {
                destinationSpec.preset = preset
            }
            try await sourceSpec.checkPreset()
            try await destinationSpec.checkPreset()
            let domain = project.config.domains.first
            let from = try MailboxCredentials(side: .source, spec: sourceSpec, loginAs: loginAs1, file: credentials,
                domain: domain)
            let to = try MailboxCredentials(side: .destination, spec: destinationSpec, loginAs: loginAs2,
                file: credentials, domain: domain)

            var runFlags = flags
            if runFlags.project == nil { runFlags.project = project.directory }
            let context = try await RunContext.prepare(flags: runFlags, mailboxes: mailboxes.count, parallel: parallel)
            var jobs: [MailboxJob] = []
            var rejected: [MailboxReport] = []
            var stderr = StandardError()
            for object in mailboxes {
                let sourceAccount = await from.account(address: object.address, inventoryAddress: object.address)
                let destinationAccount = await to.account(address: object.destinationAddress,
                    inventoryAddress: object.address)
                guard let sourceServer = sourceAccount.server, let sourceCredentials = sourceAccount.credentials,
                      let destinationServer = destinationAccount.server,
                      let destinationCredentials = destinationAccount.credentials else {
                    let problem = sourceAccount.problem.map { "source: \($0)" }
                        ?? destinationAccount.problem.map { "destination: \($0)" } ?? "no credentials"
                    print("tern: \(object.address): \(problem)", to: &stderr)
                    rejected.append(MailboxReport(source: object.address, destination: object.destinationAddress,
                        folders: [], failuresByCategory: [:], error: problem, errorCategory: .usage, seconds: 0))
                    continue
                }
                for warning in sourceServer.warnings + destinationServer.warnings {
                    print("tern: warning: \(warning)", to: &stderr)
                }
                jobs.append(MailboxJob(
                    source: sourceServer.connectionConfiguration(trace: nil, label: "source \(sourceServer.key)"),
                    sourceCredentials: sourceCredentials, sourceKey: sourceServer.key,
                    destination: destinationServer.connectionConfiguration(trace: nil,
                        label: "destination \(destinationServer.key)"),
                    destinationCredentials: destinationCredentials, destinationKey: destinationServer.key,
                    presetSkips: sourceServer.preset?.folders.skip ?? [], address: object.address,
                    wave: wave.rawValue))
            }

            let events = context.runner.events
            events.emit(MigrationEvent(.waveStarted, message: "\(mailboxes.count) mailboxes",
                details: ["wave": wave.rawValue, "mailboxes": String(mailboxes.count)]))
            var reports = await context.runner.run(jobs) + rejected
            var mismatches: [String] = []
            if verify && !flags.dryRun {
                for (job, index) in zip(jobs, reports.indices) where reports[index].error == nil {
                    do {
                        let verification = try await VerifyCommand.verify(job: job, context: context, manifest: nil,
                            quiet: true)
                        if !verification.matches { mismatches.append(job.address ?? job.sourceKey) }
                    } catch {
                        let failure = CLIError.from(error)
                        reports[index].error = "verification failed: \(failure.message)"
                        reports[index].errorCategory = CLIError.category(of: error)
                    }
                }
            }
            events.emit(MigrationEvent(.waveFinished,
                counts: reports.reduce(MigrationEvent.Counts()) { $0 + $1.totals },
                message: "\(reports.filter(\.succeeded).count) of \(reports.count) mailboxes done",
                details: ["wave": wave.rawValue, "mailboxes": String(reports.count),
                          "failed": String(reports.filter { !$0.succeeded }.count),
                          "mismatched": String(mismatches.count)]))
            var code = await context.finish(reports)
            if context.json == nil && verify && !flags.dryRun {
                print(mismatches.isEmpty
                    ? "Verification: every copied mailbox matches."
                    : "Verification: DIFFERENCES in \(mismatches.joined(separator: ", ")) (run tern verify for details).")
            }
            if reports.count == 1 && code != TernExit.success && code != TernExit.partial { code = TernExit.partial }
            if code == TernExit.success && !mismatches.isEmpty { code = TernExit.mismatch }
            if code != TernExit.success { throw code }
        }
    }

    /// The wave's mailboxes (only those named with --mailbox, if any) in the order they should
    /// start: pilot smallest first (a problem shows early and cheaply), pre-stage and final
    /// largest first (the long copies start earliest).
    static func ordered(_ members: [InventoryObject], wave: Wave, only: [String]) throws -> [InventoryObject] {
        let wanted = Set(only.map { $0.lowercased() })
        let chosen = wanted.isEmpty ? members : members.filter { wanted.contains($0.address) }
        if chosen.isEmpty {
            throw CLIError(TernExit.badInput, "\(only.joined(separator: ", ")) is not a mailbox of the wave \(wave.rawValue)")
        }
        return chosen.sorted { a, b in
            let (x, y) = (a.sizeBytes ?? -1, b.sizeBytes ?? -1)
            if x == y { return a.address < b.address }
            if wave == .pilot { return (a.sizeBytes ?? .max) < (b.sizeBytes ?? .max) }
            return x > y
        }
    }
}
