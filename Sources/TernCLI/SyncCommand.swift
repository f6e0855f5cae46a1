import ArgumentParser
import Foundation
import TernCore
import TernMigration
import TernScript
import TernState
import TernSync

/// `tern sync`: copy one mailbox, source (side 1) to destination (side 2). Re-runs are delta
/// passes: only new messages are copied and changed flags applied; nothing is duplicated.
struct SyncCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sync",
        abstract: "Copy one mailbox from a source IMAP server to a destination, resumably and without duplicates.",
        discussion: """
            Every folder, message, flag and date is copied; special folders (Sent, Drafts, Trash, Junk, \
            Archive) land in the destination's own. Run it again at any time: the state database makes \
            each pass copy only what is new and apply changed flags. IMAP carries mail only — not \
            calendars, contacts or rules.

            Example:
              tern sync --host1 imap.old.example --user1 alice@example.com --password-file1 alice-old.pw \\
                        --host2 imap.new.example --user2 alice@example.com --password-file2 alice-new.pw

            Exit codes: 0 done (and verified with --verify), 2 some messages or folders failed (see the summary and the ledger), \
            3 verification found differences, 10/11/12 connect/TLS/login failed, 20 bad input.
            """)

    @OptionGroup(title: "Source (side 1)") var source: SourceOptions
    @OptionGroup(title: "Destination (side 2)") var destination: DestinationOptions
    @OptionGroup(title: "Sync") var flags: SyncFlags

    @ArgumentParser.Flag(help: "Verify the mailbox after copying (as `tern verify`).")
    var verify = false

    @Option(help: "With --verify: write the per-message reconciliation manifest here (.csv or .json).")
    var manifest: String?

    func run() async throws {
        try await reportingErrors {
            let context = try await RunContext.prepare(flags: flags, mailboxes: 1)
            let job = try await context.job(source: source.spec, destination: destination.spec)
            let report = await context.runner.run(job)
            var code = await context.finish([report])
            if verify && report.error == nil && !flags.dryRun {
                let verification = try await VerifyCommand.verify(job: job, context: context, manifest: manifest)
                if !verification.matches && code == TernExit.success { code = TernExit.mismatch }
            }
            if code != TernExit.success { throw code }
        }
    }
}
