import ArgumentParser
import Foundation
import TernManageSieve
import TernMigration
import TernScript
import TernTLS

extension RoutingApplier.LoginName: ExpressibleByArgument {}

/// The destination's ManageSieve server, from the destination options.
struct ManageSieveOptions: ParsableArguments {
    @Option(help: "Destination: ManageSieve port (RFC 5804; STARTTLS is required unless --tls2 plain --allow-plaintext-login2).")
    var sievePort: Int = 4190

    @Option(help: "Destination: log in to ManageSieve as the mailbox's full address or its local part.")
    var loginName2: RoutingApplier.LoginName = .address

    @Option(help: "Seconds each ManageSieve exchange may take, however slowly the server answers.")
    var sieveTimeout: Int = 120

    func connection(_ destination: DestinationOptions) throws -> RoutingApplier.Connection {
        let spec = destination.spec
        try spec.validate()
        guard (1...65535).contains(sievePort) else { throw CLIError(TernExit.usage, "--sieve-port must be between 1 and 65535") }
        guard sieveTimeout > 0 else { throw CLIError(TernExit.usage, "--sieve-timeout must be a positive number of seconds") }
        guard let host = spec.host else { throw CLIError(TernExit.usage, "missing --host2 (the destination ManageSieve server)") }
        if spec.usesToken { throw CLIError(TernExit.usage, "ManageSieve logins take a password (--password-file2 or --password-env2)") }
        let security: ManageSieveClient.Security
        if spec.tls == .plain {
            guard spec.allowPlaintextLogin else {
                throw CLIError(TernExit.usage, "--tls2 plain sends the password unencrypted: add --allow-plaintext-login2")
            }
            security = .plain
        } else {
            security = .startTLS(TLSConfiguration(caFile: spec.caFile, insecure: spec.insecure, serverName: spec.tlsServerName))
        }
        let who = spec.adminUser.map { "admin user \($0)" } ?? "the destination mailboxes"
        let password = try PasswordReader.read(file: spec.passwordFile, environment: spec.passwordEnv, for: who)
        return RoutingApplier.Connection(host: host, port: sievePort, security: security, password: password.revealed,
            admin: spec.adminUser, adminSeparator: spec.adminSeparator, loginName: loginName2,
            connectTimeout: .seconds(spec.connectTimeout), commandTimeout: .seconds(sieveTimeout))
    }
}

/// The destination preset whose `routing` functions apply and verify call, and what they may read.
struct RoutingPresetOptions: ParsableArguments {
    @Option(help: "An environment variable the preset's routing functions may read with tern.env() (API URL, token). Repeatable.")
    var allowEnv: [String] = []

    /// `--preset2`, else the project's destination preset (`tern init --to`); nil when it has no
    /// routing functions, or when the project's preset is not found (a warning).
    func load(_ destination: DestinationOptions, project: MigrationProject) async throws -> PresetRoutingAPI? {
        guard let name = destination.preset2 ?? project.config.to.nilIfEmpty else { return nil }
        let loader = PresetLoader(options: ScriptOptions(allowedEnvironment: Set(allowEnv)))
        do {
            _ = try loader.locate(name)
        } catch {
            if destination.preset2 != nil { throw CLIError(TernExit.usage, "--preset2 \(name): \(error.message)") }
            var stderr = StandardError()
            print("tern: warning: the project's destination preset: \(error.message); "
                + "its routing functions are not used", to: &stderr)
            return nil
        }
        do {
            return try await PresetRoutingAPI.load(name, loader: loader)
        } catch {
            throw CLIError(TernExit.badInput, "\(error)")
        }
    }
}

/// Prints outcomes as a table or JSON.
func printRoutingOutcomes(_ outcomes: [RoutingApplier.Outcome], json: Bool) {
    if json {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        print(String(decoding: (try? encoder.encode(outcomes)) ?? Data("[]".utf8), as: UTF8.self))
        return
    }
    for outcome in outcomes {
        print("\(outcome.status.rawValue.padding(toLength: 8, withPad: " ", startingAt: 0)) "
            + "\(outcome.kind.rawValue.padding(toLength: 10, withPad: " ", startingAt: 0)) \(outcome.address)  \(outcome.detail)")
    }
}

/// `tern routing apply`: create the routing objects through the destination preset's routing
/// functions, and install the other forwarders as Sieve scripts over ManageSieve.
struct RoutingApplyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "apply",
        abstract: "Create aliases, groups and forwarders on the destination (preset API calls, Sieve scripts).",
        discussion: """
            When the destination preset (--preset2, else the project's --to preset) has a routing \
            table, its create_alias, create_group and create_forwarder are called once per object \
            (give the variables they read with --allow-env). Forwarders the preset does not create \
            become the Sieve script "tern-forward" of their mailbox (the text of \
            `tern routing export --format sieve`), made active; a re-run replaces the same script. \
            What neither can make (the catch-all, objects under review, rejects) is listed as a \
            manual step.

            Sieve: log in per mailbox with --password-file2 (one mailbox), or with --admin-user2 \
            and the admin's password to act as each mailbox.

            Exit codes: 0 done (manual steps may remain), 2 an object could not be created or \
            installed (the others were), 20 the project or preset is unusable, 64 bad options.
            """)

    @OptionGroup var destination: DestinationOptions
    @OptionGroup var sieve: ManageSieveOptions
    @OptionGroup var routingPreset: RoutingPresetOptions
    @OptionGroup var project: ProjectOptions

    @ArgumentParser.Flag(help: "Show what would be created and installed; call and connect to nothing.")
    var dryRun = false

    @ArgumentParser.Flag(help: "Print the outcomes as JSON.")
    var json = false

    func run() async throws {
        try await reportingErrors {
            let project = try project.load()
            let table = RoutingTable(inventory: try await project.inventory())
            let preset = try await routingPreset.load(destination, project: project)
            var applier = RoutingApplier(connection: nil, preset: preset)
            if !dryRun, !(await applier.sieveForwarders(table)).isEmpty {
                applier.connection = try sieve.connection(destination)
            }
            let outcomes = await applier.apply(table, dryRun: dryRun)
            if !dryRun { try RoutingRecord.update(project, with: outcomes, command: "apply") }
            printRoutingOutcomes(outcomes, json: json)
            if outcomes.contains(where: { $0.status == .failed }) { throw TernExit.partial }
        }
    }
}

/// `tern routing verify`: look the objects up through the preset's list functions, read the
/// installed scripts back, and compare.
struct RoutingVerifyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify",
        abstract: "Check that the routing objects exist on the destination (preset lists, Sieve scripts).",
        discussion: """
            Objects of a kind the destination preset can list (list_aliases, list_groups, \
            list_forwarders) are looked up in that list: present, missing, or present with other \
            targets. For the other forwarders, lists each mailbox's scripts (LISTSCRIPTS), reads \
            "tern-forward" back (GETSCRIPT) and compares it with the inventory. The rest is manual.

            Exit codes: 0 everything checked is in place, 3 an object is missing or different (or \
            a script inactive), 1 something could not be checked, 20 the project or preset is \
            unusable, 64 bad options.
            """)

    @OptionGroup var destination: DestinationOptions
    @OptionGroup var sieve: ManageSieveOptions
    @OptionGroup var routingPreset: RoutingPresetOptions
    @OptionGroup var project: ProjectOptions

    @ArgumentParser.Flag(help: "Print the outcomes as JSON.")
    var json = false

    func run() async throws {
        try await reportingErrors {
            let project = try project.load()
            let table = RoutingTable(inventory: try await project.inventory())
            let preset = try await routingPreset.load(destination, project: project)
            var applier = RoutingApplier(connection: nil, preset: preset)
            if !(await applier.sieveForwarders(table)).isEmpty {
                applier.connection = try sieve.connection(destination)
            }
            let outcomes = await applier.verify(table)
            try RoutingRecord.update(project, with: outcomes, command: "verify")
            printRoutingOutcomes(outcomes, json: json)
            if outcomes.contains(where: { $0.status == .failed }) { throw TernExit.failure }
            if outcomes.contains(where: { $0.status == .missing }) { throw TernExit.mismatch }
        }
    }
}
