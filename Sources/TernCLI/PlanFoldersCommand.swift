import ArgumentParser
import Foundation
import TernCore
import TernMigration
import TernScript
import TernState
import TernSync

/// `tern plan folders [--wave W]`: every scanned mailbox's source folders with the destination
/// names `tern sync` would give them, and the names that will cause trouble there.
struct PlanFoldersCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "folders",
        abstract: "Preview every source folder's destination name across a wave, and flag collisions.",
        discussion: """
            Reads the folder lists `tern inventory scan` stored and maps each folder as `tern sync` \
            would: INBOX to INBOX, special folders to the destination's own, the source preset's \
            skips, the --script rules, --include/--exclude/--subfolder2, then the destination's \
            separator and prefix. Flags collisions (several folders into one), case-only \
            differences (one folder on Microsoft 365/Exchange and Gmail), reserved names (a \
            folder landing on INBOX), and characters or lengths the destination refuses (its \
            separator inside a level, control characters, names over 255 octets).

            The destination's naming: with --credentials FILE.csv or a --*2 password/token option, \
            each mailbox's destination is logged in to (read only) for its separator, prefix and \
            existing folders; otherwise --separator2 (default /) and --prefix2 (default none) \
            describe it and it is taken as empty. Nothing is written anywhere. Exit codes: 0 \
            nothing flagged, 2 something flagged or some mailbox not previewed, 20 no mailbox of \
            the wave has a scanned folder list.

            Example:
              tern plan folders --wave pilot --script rules.lua
            """)

    @Option(help: "Only the mailboxes of this wave (pilot, pre-stage), as `tern plan waves` stored them.")
    var wave: String?

    @Option(help: "A Lua script with map_folder, as for `tern sync`. Repeatable; applied in order.")
    var script: [String] = []

    @Option(help: "An environment variable scripts may read with tern.env(). Repeatable.")
    var allowEnv: [String] = []

    @OptionGroup var selection: FolderSelectionOptions

    @Option(help: "Without a destination login: the destination's hierarchy separator (default /).")
    var separator2: String?

    @Option(help: "Without a destination login: the destination's personal namespace prefix (default none).")
    var prefix2: String?

    @OptionGroup var destination: DestinationOptions

    @Option(help: ArgumentHelp("A batch CSV with each mailbox's destination user and password (logs in).",
        valueName: "file"))
    var credentials: String?

    @Option(help: """
        Log in with the destination address (address) or its local part (local-part); not for --credentials rows.
        """)
    var loginAs: InventoryScanCommand.LoginName = .address

    @Option(help: "Destination logins at a time (1-64).")
    var parallel = 4

    @ArgumentParser.Flag(help: "Print the preview as one JSON document.")
    var json = false

    @OptionGroup var project: ProjectOptions

    /// Whether the destination is logged in to: a credentials file or a secret for the --*2 options.
    var logsIn: Bool {
        let spec = destination.spec
        return credentials != nil || spec.passwordFile != nil || spec.passwordEnv != nil || spec.usesToken
    }

    func validate() throws {
        if parallel < 1 || parallel > 64 { throw ValidationError("--parallel must be between 1 and 64.") }
        if logsIn && (separator2 != nil || prefix2 != nil) {
            throw ValidationError("--separator2 and --prefix2 describe a destination nobody logs in to; with a "
                + "destination login the server's own are used.")
        }
        if let separator2, separator2.isEmpty { throw ValidationError("--separator2 cannot be empty.") }
    }

    /// A mailbox of the wave the preview could not cover, and why.
    struct Skipped {
        var address: String
        var reason: String
    }

    func run() async throws {
        try await reportingErrors {
            let project = try project.load()
            let mailboxes = try await project.requireMailboxes(inWave: wave)
            let folders = try await project.scanFolders()
            let scans = try await project.scans()
            let scanned = mailboxes.filter { folders[$0.address] != nil }
            if scanned.isEmpty {
                throw CLIError(TernExit.badInput, "no mailbox\(wave.map { " of the wave \($0)" } ?? "") has a scanned "
                    + "folder list: run tern inventory scan")
            }
            // Scripts and options are checked before anything connects.
            let scripts = try await ScriptSet.load(paths: script,
                options: ScriptOptions(allowedEnvironment: Set(allowEnv)))
            let rules: any Rules = scripts.mapsFolders ? try await scripts.makeRules() : NoRules()
            var stderr = StandardError()
            var skips: [String] = []
            if !project.config.from.isEmpty {
                do {
                    skips = try await PresetLoader().load(project.config.from,
                        context: PresetContext(user: scanned[0].address)).folders.skip
                } catch {
                    print("tern: warning: cannot read the source preset \(project.config.from) for its folder skips: "
                        + "\(error)", to: &stderr)
                }
            }
            let planner = try FolderPlanner(options: selection.plannerOptions(presetSkips: skips))

            var namings: [String: DestinationNaming] = [:]
            var skipped: [Skipped] = []
            if logsIn {
                var spec = destination.spec
                if let preset = project.preset(for: .destination, given: spec.preset, host: spec.host) {
                    spec.preset = preset
                }
                let access = try MailboxCredentials(side: .destination, spec: spec, loginAs: loginAs,
                    file: credentials, domain: project.config.domains.first)
                var targets: [ScanTarget] = []
                for object in scanned {
                    targets.append(await access.target(address: object.destinationAddress,
                        inventoryAddress: object.address))
                }
                let inspected = await MailboxScanner(parallel: parallel).inspect(targets)
                for (object, result) in zip(scanned, inspected) {
                    if let report = result.report {
                        namings[object.address] = DestinationNaming(report: report)
                    } else {
                        skipped.append(Skipped(address: object.address, reason: "cannot log in at the destination: "
                            + "\(result.record.errorCategory ?? "error"): \(result.record.error ?? "failed")"))
                    }
                }
            } else {
                let naming = DestinationNaming(separator: separator2 ?? DestinationNaming.default.separator,
                    prefix: prefix2 ?? DestinationNaming.default.prefix)
                for object in scanned { namings[object.address] = naming }
            }

            var accounts: [FolderMappingPreview.Account] = []
            for object in mailboxes {
                guard let list = folders[object.address] else {
                    let scan = scans[object.address]
                    let reason: String
                    if let scan {
                        reason = scan.status == "ok"
                            ? "scanned before folder names were stored: run tern inventory scan again"
                            : "the scan failed (\(scan.errorCategory ?? "error")): run tern inventory scan"
                    } else {
                        reason = "never scanned: run tern inventory scan"
                    }
                    skipped.append(Skipped(address: object.address, reason: reason))
                    continue
                }
                guard let naming = namings[object.address] else { continue }
                accounts.append(try await FolderMappingPreview.preview(address: object.address, source: list,
                    destination: naming, planner: planner, rules: rules))
            }
            let order = Dictionary(mailboxes.enumerated().map { ($1.address, $0) }, uniquingKeysWith: { a, _ in a })
            skipped.sort { (order[$0.address] ?? 0) < (order[$1.address] ?? 0) }
            let summary = FolderMappingSummary(accounts, notPreviewed: skipped.count)
            let naming = logsIn ? nil : namings[scanned[0].address]
            if json {
                print(try Self.json(accounts, skipped: skipped, summary: summary, wave: wave, namings: namings,
                    options: naming))
            } else {
                print(Self.text(accounts, skipped: skipped, summary: summary, namings: namings, options: naming),
                    terminator: "")
            }
            if summary.flagged { throw TernExit.partial }
        }
    }

    // MARK: - Output

    static func note(_ row: FolderMappingPreview.Row) -> String {
        if row.skipped { return "skipped: \(row.reason)" }
        var parts: [String] = []
        if ["special-use", "rule", "subfolder"].contains(row.reason) { parts.append(row.reason) }
        if row.exists { parts.append("exists") }
        parts += row.notes
        parts += row.problems.map { $0.rawValue.uppercased() }
        return parts.joined(separator: "; ")
    }

    static func describe(_ naming: DestinationNaming) -> String {
        "separator \"\(naming.separator)\", " + (naming.prefix.isEmpty ? "no prefix" : "prefix \"\(naming.prefix)\"")
    }

    static func text(_ accounts: [FolderMappingPreview.Account], skipped: [Skipped], summary: FolderMappingSummary,
                     namings: [String: DestinationNaming], options: DestinationNaming?) -> String {
        var text: String
        if let options {
            text = "Destination naming: \(describe(options)) (no destination login: --separator2/--prefix2, "
                + "existing folders unknown)\n"
        } else {
            let kinds = Dictionary(grouping: accounts.compactMap { namings[$0.address].map(describe) }, by: { $0 })
            text = "Destination naming (from the destination logins): "
                + kinds.keys.sorted().map { "\($0) (\(kinds[$0]!.count) account\(kinds[$0]!.count == 1 ? "" : "s"))" }
                    .joined(separator: "; ") + "\n"
        }
        let header = ["ACCOUNT", "SOURCE → DESTINATION", "NOTE"]
        let rows = accounts.flatMap { account in
            account.rows.map { row in
                [account.address, "\(row.source) → \(row.destination ?? "—")", note(row)]
            }
        }
        text += TextTable.render(header: header, rows: rows)
        let problems = accounts.flatMap { account in account.problems.map { (account.address, $0) } }
        if !problems.isEmpty {
            text += "\nProblems\n"
            for (address, problem) in problems {
                text += "  \(address)  \(problem.kind.rawValue): \(problem.message)\n"
            }
        }
        if !skipped.isEmpty {
            text += "\nNot previewed\n"
            for entry in skipped { text += "  \(entry.address): \(entry.reason)\n" }
        }
        let counts = FolderMappingPreview.Kind.allCases.map { kind in
            let count = summary.counts[kind.rawValue] ?? 0
            return "\(count) \(kind == .collision && count != 1 ? "collisions" : kind.rawValue)"
        }
        text += "\n\(summary.accounts) account\(summary.accounts == 1 ? "" : "s"), \(summary.folders) folders "
            + "(\(summary.copied) copied): \(counts.joined(separator: ", ")); \(summary.notPreviewed) "
            + "mailbox\(summary.notPreviewed == 1 ? "" : "es") not previewed\n"
        return text
    }

    static func json(_ accounts: [FolderMappingPreview.Account], skipped: [Skipped], summary: FolderMappingSummary,
                     wave: String?, namings: [String: DestinationNaming], options: DestinationNaming?) throws
        -> String
    {
        let list: [[String: Any]] = accounts.map { account in
            let naming = namings[account.address] ?? .default
            return [
                "address": account.address,
                "destinationSeparator": naming.separator,
                "destinationPrefix": naming.prefix,
                "folders": account.rows.map { row -> [String: Any] in
                    var object: [String: Any] = ["source": row.source, "sourceWire": row.sourceWire,
                        "reason": row.reason, "skipped": row.skipped, "exists": row.exists,
                        "problems": row.problems.map(\.rawValue), "notes": row.notes]
                    if let destination = row.destination { object["destination"] = destination }
                    return object
                },
                "problems": account.problems.map { ["kind": $0.kind.rawValue, "message": $0.message,
                                                    "folders": $0.folders] },
            ]
        }
        var document: [String: Any] = [
            "accounts": list,
            "notPreviewed": skipped.map { ["address": $0.address, "reason": $0.reason] },
            "destinationNaming": options == nil ? "login" : "options",
            "summary": ["accounts": summary.accounts, "folders": summary.folders, "copied": summary.copied,
                        "problems": summary.counts, "notPreviewed": summary.notPreviewed, "flagged": summary.flagged],
        ]
        if let wave { document["wave"] = wave }
        let data = try JSONSerialization.data(withJSONObject: document,
            options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes])
        return String(decoding: data, as: UTF8.self)
    }
}
