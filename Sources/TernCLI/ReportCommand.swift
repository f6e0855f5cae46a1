import ArgumentParser
import Foundation
import TernMigration

extension ReportRenderer.Format: ExpressibleByArgument {}

/// `tern report [--format md|html|json] [--output FILE]`: the migration's state for a client.
struct ReportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Write the migration's state for a client: mailboxes, waves, routing, checklist, what needs attention.",
        discussion: """
            Built only from what the project recorded — the inventory, the latest scans, every copy and \
            verification pass, the sync state and the last checklist evaluation; no server is contacted, \
            and each fact shows when it was recorded. Run tern checklist first for a current checklist.

            md    Markdown tables, readable as text and by any Markdown viewer (the default)
            html  one self-contained page with inline CSS and no scripts
            json  the whole report as one JSON object (sorted keys, ISO 8601 dates)

            The report names the client's people: --output writes the file readable by its owner only \
            (0600); keep it in the project's reports/ folder, e.g. --output reports/status.html.

            Exit codes: 0 written, 20 not in a project or the output file cannot be written.
            """)

    @Option(help: "The output format.")
    var format: ReportRenderer.Format = .md

    @Option(help: ArgumentHelp("Write to this file (created 0600) instead of standard output, e.g. reports/status.md.",
        valueName: "file"))
    var output: String?

    @OptionGroup var project: ProjectOptions

    func run() async throws {
        try await reportingErrors {
            let project = try project.load()
            let report = try await MigrationReport.load(from: project)
            let text = ReportRenderer.render(report, as: format)
            guard let output else {
                print(text, terminator: "")
                return
            }
            try Self.writePrivate(Data(text.utf8), to: output)
            print("Wrote the report (\(format.rawValue)) to \(output): \(report.totals.mailboxes) mailboxes, "
                + "\(report.attention.count) item\(report.attention.count == 1 ? "" : "s") needing attention")
        }
    }

    /// Writes `data` to `path` so that no other user can read it at any moment: the file is
    /// made (or emptied) and set to 0600 before the report goes in.
    static func writePrivate(_ data: Data, to path: String) throws {
        let files = FileManager.default
        do {
            guard files.createFile(atPath: path, contents: nil, attributes: [.posixPermissions: 0o600]) else {
                throw CLIError(TernExit.badInput, "cannot write \(path): the file cannot be created")
            }
            try files.setAttributes([.posixPermissions: 0o600], ofItemAtPath: path)
            let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
            defer { try? handle.close() }
            try handle.truncate(atOffset: 0)
            try handle.write(contentsOf: data)
        } catch let error as CLIError {
            throw error
        } catch {
            throw CLIError(TernExit.badInput, "cannot write \(path): \(error.localizedDescription)")
        }
    }
}
