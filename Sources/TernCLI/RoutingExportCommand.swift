import ArgumentParser
import Foundation
import TernMigration

/// `tern routing export --format postfix|sieve|csv|json [--output PATH]`.
struct RoutingExportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Export the routing objects as a Postfix virtual table, Sieve scripts, CSV or JSON.",
        discussion: """
            postfix  a virtual(5) alias table: aliases, groups, forwarders (keeping a copy: the address \
            maps to itself too), catch-all, and mailboxes a catch-all would otherwise swallow
            sieve    one RFC 5228 script per forwarder (redirect, :copy when the source kept a copy)
            csv      one row per object: kind,address,targets,keep_copy,action,action_text,status,sources,notes
            json     the same as a JSON array

            Targets are written as destination addresses (mailboxes renamed in the inventory follow). \
            Without --output the text goes to standard output; with it, postfix/csv/json write one \
            file and sieve writes one ADDRESS.sieve file per forwarder into the folder.

            Exit codes: 0 written, 20 the project or the output path is unusable.
            """)

    @Option(help: "The output format.")
    var format: RoutingTable.Format

    @Option(help: ArgumentHelp("Write to this file (a folder for sieve) instead of standard output.", valueName: "path"))
    var output: String?

    @OptionGroup var project: ProjectOptions

    func run() async throws {
        try await reportingErrors {
            let project = try project.load()
            let table = RoutingTable(inventory: try await project.inventory())
            let files = table.export(format)
            var stderr = StandardError()
            if table.entries.isEmpty {
                print("tern: warning: the inventory has no aliases, groups, forwarders or catch-all", to: &stderr)
            }
            guard let output else {
                for file in files {
                    if format == .sieve { print("# ==> \(file.name) <==") }
                    print(file.text, terminator: "")
                }
                return
            }
            do {
                if format == .sieve {
                    try FileManager.default.createDirectory(atPath: output, withIntermediateDirectories: true)
                    for file in files {
                        try Data(file.text.utf8).write(to: URL(fileURLWithPath: output).appendingPathComponent(file.name))
                    }
                    print("Wrote \(files.count) Sieve scripts to \(output)/")
                } else {
                    try Data(files[0].text.utf8).write(to: URL(fileURLWithPath: output), options: .atomic)
                    print("Wrote \(table.entries.count) routing objects to \(output)")
                }
            } catch {
                throw CLIError(TernExit.badInput, "cannot write \(output): \(error.localizedDescription)")
            }
        }
    }
}
