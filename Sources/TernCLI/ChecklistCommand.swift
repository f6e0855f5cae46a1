import ArgumentParser
import Foundation
import TernDNS
import TernMigration
import TernScript

/// `tern checklist [--json]` and `tern checklist set KEY VALUE`.
struct ChecklistCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "checklist",
        abstract: "Evaluate the pre-cutover checklist from the project's real state.",
        subcommands: [ChecklistShowCommand.self, ChecklistSetCommand.self],
        defaultSubcommand: ChecklistShowCommand.self)
}

struct ChecklistShowCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "show",
        abstract: "Evaluate every pre-cutover item: ok, fail or manual, with its evidence.",
        discussion: """
            destination-mailboxes  IMAP login to every inventory mailbox (--host2 with --admin-user2 or a password)
            routing                as tern routing verify: forwarders read back over ManageSieve, objects the \
                                   destination preset can list looked up there (--allow-env for its API); the rest manual
            source-tls             IMAP login to the source over TLS (--host1, --user1)
            largest-prestaged      the --largest N biggest mailboxes have sync status done in the state database
            mx-ttl                 every authoritative nameserver of every project domain serves MX with TTL <= --max-mx-ttl (needs --server)
            old-mx                 the MX before cutover, recorded from DNS on the first check (or tern checklist set old-mx)
            final-delta, test-mailbox, monitoring-owner   set with tern checklist set KEY VALUE

            Each evaluation is saved in reports/checklist.json; with --script, every item whose \
            status changed since the last one fires a checklist_changed event for the scripts' \
            on_event hooks (e.g. to update a ticket).

            An item whose input is not given is manual, never ok. Exit codes: 0 nothing failed \
            (manual items may remain), 1 an item failed, 20 the project is unusable, 64 bad options.
            """)

    @OptionGroup var source: SourceOptions
    @OptionGroup var destination: DestinationOptions
    @OptionGroup var sieve: ManageSieveOptions
    @OptionGroup var dns: DNSConnectionOptions
    @OptionGroup var project: ProjectOptions

    @Option(help: "How many of the largest mailboxes must have finished pre-stage.")
    var largest = 5

    @Option(help: "The MX TTL in seconds that counts as lowered.")
    var maxMXTTL: UInt32 = 300

    @Option(help: "A Lua script whose on_event(e) receives a checklist_changed event per item that changed. Repeatable.")
    var script: [String] = []

    @OptionGroup var routingPreset: RoutingPresetOptions

    func run() async throws {
        try await reportingErrors {
            let project = try project.load()
            let settingsFile = ChecklistSettings(project: project)
            var settings = try settingsFile.load()
            let inventory = try await project.inventory()
            var inputs = ChecklistInputs(inventory: inventory, settings: settings, largestCount: largest, maxMXTTL: maxMXTTL)
            inputs.syncRecords = try await project.openState().mailboxStatuses()
            if destination.host2 != nil {
                inputs.destinationLogins = await destinationLogins(inventory)
            }
            // Routing objects: read back over ManageSieve (needs --host2) and through the
            // destination preset's list functions, when it has them.
            let table = RoutingTable(inventory: inventory)
            var applier = RoutingApplier(connection: nil, preset: try await routingPreset.load(destination, project: project))
            let needsSieve = !(await applier.sieveForwarders(table)).isEmpty
            if destination.host2 != nil && needsSieve { applier.connection = try sieve.connection(destination) }
            if destination.host2 != nil || (applier.preset != nil && !needsSieve) {
                let outcomes = await applier.verify(table)
                inputs.routingVerify = outcomes
                try RoutingRecord.update(project, with: outcomes, command: "checklist")
            }
            if source.host1 != nil { inputs.sourceTLS = await sourceTLS() }
            if !dns.servers.isEmpty {
                let observations = await mx(project.config.domains)
                inputs.mx = observations
                if settings["old-mx"] == nil, let old = Checklist.oldMX(observations) {
                    settings["old-mx"] = old
                    try settingsFile.save(settings)
                    inputs.settings = settings
                }
            }
            let report = Checklist.evaluate(inputs)
            let previous = try ChecklistRecord.load(from: project)
            try ChecklistRecord(evaluatedAt: Date(), report: report).save(to: project)
            try await Self.announce(ChecklistChange.between(previous?.report, report), scripts: script,
                allowEnv: routingPreset.allowEnv)
            if dns.json {
                try DNSOutput.printJSON(report)
            } else {
                for item in report.items {
                    print("[\(item.status.rawValue.uppercased())] \(item.title) (\(item.key))")
                    for line in item.evidence { print("    \(line)") }
                }
                let counts = Dictionary(grouping: report.items, by: \.status).mapValues(\.count)
                print("result: \(report.passed ? "nothing fails" : "FAIL") — \(counts[.ok] ?? 0) ok, "
                    + "\(counts[.fail] ?? 0) fail, \(counts[.manual] ?? 0) manual")
            }
            if !report.passed { throw TernExit.failure }
        }
    }

    /// Sends one `checklist_changed` event per changed item to the scripts' hooks and waits
    /// for them (a ticket update should not be lost because the command ended).
    static func announce(_ changes: [ChecklistChange], scripts paths: [String], allowEnv: [String]) async throws {
        guard !paths.isEmpty else { return }
        let scripts = try await ScriptSet.load(paths: paths, options: ScriptOptions(allowedEnvironment: Set(allowEnv)))
        guard let hooks = scripts.makeHooks(onFatal: nil) else { return }
        for change in changes { hooks.emit(change.event) }
        var stderr = StandardError()
        if !(await hooks.drain(timeout: .seconds(60))) {
            print("tern: warning: the hooks did not finish within 60 s", to: &stderr)
        }
        await hooks.finish()
        let failed = hooks.statistics.failed
        if failed > 0 { print("tern: warning: \(failed) checklist hook call(s) failed; see the messages above", to: &stderr) }
    }

    /// An IMAP login per mailbox object, with the destination options.
    func destinationLogins(_ inventory: [InventoryObject]) async -> [String: ChecklistCheck] {
        var results: [String: ChecklistCheck] = [:]
        for mailbox in inventory where mailbox.kind.isMailbox && mailbox.status != .skipped {
            let address = mailbox.destinationAddress
            results[address] = await login(destination.spec, user: sieve.loginName2.login(for: address))
        }
        return results
    }

    func sourceTLS() async -> ChecklistCheck {
        if source.spec.tls == .plain {
            return ChecklistCheck(ok: false, evidence: "--tls1 plain: the source is not reached over TLS")
        }
        return await login(source.spec, user: nil)
    }

    func login(_ spec: ServerSpec, user: String?) async -> ChecklistCheck {
        do {
            let resolved = try await spec.resolved(user: user)
            return await ChecklistProbes.login(resolved.connectionConfiguration(trace: nil, label: resolved.host),
                credentials: try resolved.credentials(), key: resolved.key)
        } catch {
            return ChecklistCheck(ok: false, evidence: CLIError.from(error).message)
        }
    }

    func mx(_ domains: [String]) async -> [MXObservation] {
        do {
            return await ChecklistProbes.mx(domains, view: try dns.view())
        } catch {
            return domains.map { MXObservation(domain: $0, nameserver: "-", values: [], ttl: nil, error: "\(error)") }
        }
    }
}

struct ChecklistSetCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "set",
        abstract: "Record a checklist value: final-delta, test-mailbox, monitoring-owner or old-mx (an empty value clears it).")

    @Argument(help: "final-delta, test-mailbox, monitoring-owner or old-mx.")
    var key: String

    @Argument(help: "The value; \"\" clears it.")
    var value: String

    @OptionGroup var project: ProjectOptions

    func run() async throws {
        try await reportingErrors {
            guard Checklist.settingKeys.contains(where: { $0.key == key }) else {
                throw CLIError(TernExit.usage, "unknown checklist key \(key): use "
                    + Checklist.settingKeys.map(\.key).joined(separator: ", "))
            }
            let project = try project.load()
            let file = ChecklistSettings(project: project)
            var settings = try file.load()
            settings[key] = value.isEmpty ? nil : value
            try file.save(settings)
            print(value.isEmpty ? "Cleared \(key)" : "Set \(key): \(value)")
        }
    }
}
