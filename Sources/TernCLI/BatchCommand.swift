import ArgumentParser
import Foundation
import TernCore
import TernIMAP
import TernMigration
import TernSync

/// `tern batch FILE.csv`: many mailboxes, `--parallel` at a time; one failing never stops the others.
struct BatchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "batch",
        abstract: "Copy many mailboxes listed in a CSV file, several at a time.",
        discussion: """
            FILE is either the classic header-less source_user,source_pass,dest_user,dest_pass list \
            (hosts given once with --host1/--host2) or a CSV whose first line names its columns: \
            source_user, source_password, dest_user, dest_password, and optionally host1, port1, tls1, \
            preset1, host2, port2, tls2, preset2 per row. Bad rows are reported with file:line and \
            skipped; the rest run. The file holds passwords: keep it 0600 and delete it afterwards.

            Example:
              tern batch users.csv --host1 imap.old.example --host2 imap.new.example \\
                         --parallel 8 --log-dir logs --state migration.sqlite

            Exit codes: 0 all mailboxes done, 2 some mailboxes or messages failed or rows were bad, \
            20 the file cannot be read.
            """)

    @Argument(help: "The CSV file of mailboxes.")
    var file: String

    @Option(help: "Mailboxes migrated at the same time.")
    var parallel = 4

    @OptionGroup(title: "Source (side 1): defaults for every row") var source: SourceOptions
    @OptionGroup(title: "Destination (side 2): defaults for every row") var destination: DestinationOptions
    @OptionGroup(title: "Sync") var flags: SyncFlags

    func validate() throws {
        if parallel < 1 || parallel > 64 { throw ValidationError("--parallel must be between 1 and 64.") }
    }

    func run() async throws {
        try await reportingErrors {
            let batch: BatchFile
            do {
                batch = try BatchFile.read(file)
            } catch {
                throw CLIError(TernExit.badInput, "\(error)")
            }
            var stderr = StandardError()
            for problem in batch.problems { print("tern: bad row: \(problem)", to: &stderr) }
            if batch.rows.isEmpty { throw CLIError(TernExit.badInput, "\(file) lists no usable mailbox") }

            try await source.spec.checkPreset()
            try await destination.spec.checkPreset()
            let context = try await RunContext.prepare(flags: flags, mailboxes: batch.rows.count, parallel: parallel)
            var jobs: [MailboxJob] = []
            var rejected: [MailboxReport] = []
            for row in batch.rows {
                do {
                    jobs.append(try await context.job(
                        source: Self.apply(row.source, to: source.spec), destination: Self.apply(row.destination, to: destination.spec),
                        sourceUser: row.sourceUser, sourcePassword: row.sourcePassword,
                        destinationUser: row.destinationUser, destinationPassword: row.destinationPassword))
                } catch {
                    let failure = CLIError.from(error)
                    print("tern: bad row: \(file):\(row.line): \(failure.message)", to: &stderr)
                    rejected.append(MailboxReport(source: row.sourceUser, destination: row.destinationUser, folders: [],
                        failuresByCategory: [:], error: failure.message, errorCategory: CLIError.category(of: error),
                        seconds: 0))
                }
            }
            let reports = await context.runner.run(jobs) + rejected
            var code = await context.finish(reports)
            if code == TernExit.success && !batch.problems.isEmpty { code = TernExit.partial }
            if code != TernExit.success { throw code }
        }
    }

    static func apply(_ overrides: BatchFile.Overrides, to spec: ServerSpec) -> ServerSpec {
        var spec = spec
        if let host = overrides.host { spec.host = host }
        if let port = overrides.port { spec.port = port }
        if let tls = overrides.tls { spec.tls = TransportSecurity(rawValue: tls) }
        if let preset = overrides.preset { spec.preset = preset }
        return spec
    }
}
