import ArgumentParser
import Foundation
import TernMigration
import TernState

/// `tern inventory scan`: logs in to every source mailbox of the inventory and records its
/// folders, messages, size, largest message, quota and login problems — the facts `tern plan
/// waves`, `plan capacity` and `plan folders` rest on.
struct InventoryScanCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "scan",
        abstract: "Log in to every source mailbox and record folders, messages, sizes, quota and login problems.",
        discussion: """
            Credentials as for `tern sync`: an admin/master login for everyone (--admin-user1 with \
            --password-file1), a token (--token-file1/--token-command1), or --credentials FILE.csv \
            (the batch file: source_user,source_pass,… — its per-row host/port/tls/preset columns \
            apply too). A mailbox in the credentials file logs in with its row; the others use the \
            --*1 options. Sizes come from STATUS SIZE where the server offers it, else from \
            summing RFC822.SIZE; the largest message from UID SORT RETURN (MIN) (REVERSE SIZE) \
            where the server has ESORT, else from FETCH RFC822.SIZE. Every folder's name is \
            stored for `tern plan folders`. Nothing is changed at the source: folders are only \
            EXAMINEd.

            Without --host1 and --preset1 the project's source preset (tern init --from) names \
            the server. Exit codes: 0 all scanned, 2 some mailboxes failed (see the ERROR column).

            Example:
              tern inventory scan --admin-user1 admin --password-file1 admin.pw --parallel 8
            """)

    enum LoginName: String, ExpressibleByArgument, CaseIterable {
        case address
        case localPart = "local-part"
    }

    @OptionGroup var source: SourceOptions

    @Option(help: ArgumentHelp("A batch CSV with each mailbox's source user and password.", valueName: "file"))
    var credentials: String?

    @Option(help: "Mailboxes to scan at a time (1-64).")
    var parallel = 4

    @Option(help: "Log in with the inventory address (address) or its local part (local-part); not for --credentials rows.")
    var loginAs: LoginName = .address

    @Option(help: "Scan only this address (repeatable).")
    var address: [String] = []

    @ArgumentParser.Flag(help: "Print the scans as a JSON array.")
    var json = false

    @OptionGroup var project: ProjectOptions

    func validate() throws {
        if parallel < 1 || parallel > 64 { throw ValidationError("--parallel must be between 1 and 64.") }
    }

    func run() async throws {
        try await reportingErrors {
            let project = try project.load()
            let wanted = Set(address.map { $0.lowercased() })
            let mailboxes = try await project.inventory().filter {
                $0.kind.isMailbox && (wanted.isEmpty || wanted.contains($0.address))
            }
            var seen = Set<String>()
            let unique = mailboxes.filter { seen.insert($0.address).inserted }
            if unique.isEmpty {
                throw CLIError(TernExit.badInput, wanted.isEmpty
                    ? "the inventory has no mailboxes: tern inventory import FILE --format FORMAT"
                    : "no mailbox in the inventory has the address \(address.joined(separator: ", "))")
            }
            var spec = source.spec
            if let preset = project.preset(for: .source, given: spec.preset, host: spec.host) {
                spec.preset = preset
            }
            let access = try MailboxCredentials(side: .source, spec: spec, loginAs: loginAs, file: credentials,
                domain: project.config.domains.first)
            var targets: [ScanTarget] = []
            for object in unique {
                targets.append(await access.target(address: object.address, inventoryAddress: object.address))
            }
            let results = await MailboxScanner(parallel: parallel, findLargestMessage: true).scan(targets)
            try await project.saveScans(results)
            let scans = results.map(\.record)
            if json {
                let encoder = JSONEncoder()
                encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
                encoder.dateEncodingStrategy = .iso8601
                print(String(decoding: try encoder.encode(scans), as: UTF8.self))
            } else {
                print(Self.table(scans), terminator: "")
            }
            if scans.contains(where: { $0.status != "ok" }) { throw TernExit.partial }
        }
    }

    static func table(_ scans: [ScanRecord]) -> String {
        let header = ["ADDRESS", "STATUS", "FOLDERS", "MESSAGES", "SIZE", "LARGEST", "QUOTA", "ERROR"]
        let rows = scans.map { scan -> [String] in
            let quota = scan.quotaLimit.map { limit in
                "\(InventoryListCommand.size(scan.quotaUsed ?? 0)) / \(InventoryListCommand.size(limit))"
            } ?? ""
            return [scan.address, scan.status, scan.folders.map(String.init) ?? "",
                    scan.messages.map(String.init) ?? "", scan.sizeBytes.map(InventoryListCommand.size) ?? "",
                    scan.largestMessage.map(InventoryListCommand.size) ?? "", quota,
                    scan.error.map { "\(scan.errorCategory ?? "error"): \($0)" } ?? ""]
        }
        var text = TextTable.render(header: header, rows: rows)
        let ok = scans.filter { $0.status == "ok" }
        let total = ok.reduce(Int64(0)) { $0 + ($1.sizeBytes ?? 0) }
        text += "Scanned \(scans.count) mailboxes: \(ok.count) ok, \(scans.count - ok.count) failed; "
            + "\(ok.reduce(0) { $0 + ($1.messages ?? 0) }) messages, \(InventoryListCommand.size(total))\n"
        return text
    }
}
