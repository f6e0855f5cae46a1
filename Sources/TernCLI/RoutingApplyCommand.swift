import ArgumentParser
import Foundation
import TernMigration
import TernTLS

extension RoutingApplier.LoginName: ExpressibleByArgument {}

/// The destination's ManageSieve server, from the destination options.
struct ManageSieveOptions: ParsableArguments {
    @Option(help: "Destination: ManageSieve port (RFC 5804; STARTTLS is required unless --tls2 plain --allow-plaintext-login2).")
    var sievePort: Int = 4190

    @Option(help: "Destination: log in to ManageSieve as the mailbox's full address or its local part.")
    var loginName2: RoutingApplier.LoginName = .address

    func connection(_ destination: DestinationOptions) throws -> RoutingApplier.Connection {
        let spec = destination.spec
        try spec.validate()
        guard (1...65535).contains(sievePort) else { throw CLIError(TernExit.usage, "--sieve-port must be between 1 and 65535") }
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
            connectTimeout: .seconds(spec.connectTimeout))
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

/// `tern routing apply`: install the forwarders as Sieve scripts over ManageSieve.
struct RoutingApplyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "apply",
        abstract: "Install the forwarders on the destination as Sieve redirect scripts over ManageSieve.",
        discussion: """
            Each forwarder becomes the Sieve script "tern-forward" of its mailbox (the text of \
            `tern routing export --format sieve`), made active. A re-run replaces the same script. \
            Aliases, groups and the catch-all are listed as manual steps for the provider's admin \
            console (destination presets' create_alias/create_group are not called yet).

            Log in per mailbox with --password-file2 (one mailbox), or with --admin-user2 and the \
            admin's password to act as each mailbox.

            Exit codes: 0 installed (manual steps may remain), 1 a script could not be installed, \
            20 the project is unusable, 64 bad options.
            """)

    @OptionGroup var destination: DestinationOptions
    @OptionGroup var sieve: ManageSieveOptions
    @OptionGroup var project: ProjectOptions

    @ArgumentParser.Flag(help: "Show what would be installed; connect to nothing.")
    var dryRun = false

    @ArgumentParser.Flag(help: "Print the outcomes as JSON.")
    var json = false

    func run() async throws {
        try await reportingErrors {
            let project = try project.load()
            let table = RoutingTable(inventory: try await project.inventory())
            let connection = dryRun ? nil : try sieve.connection(destination)
            let outcomes = await RoutingApplier(connection: connection).apply(table, dryRun: dryRun)
            printRoutingOutcomes(outcomes, json: json)
            if outcomes.contains(where: { $0.status == .failed }) { throw TernExit.failure }
        }
    }
}

/// `tern routing verify`: read the installed scripts back and compare.
struct RoutingVerifyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify",
        abstract: "Check that every forwarder's Sieve script is installed and active on the destination.",
        discussion: """
            Lists each forwarder mailbox's scripts (LISTSCRIPTS), reads "tern-forward" back \
            (GETSCRIPT) and compares it with the inventory. Aliases and groups are reported as manual.

            Exit codes: 0 all forwarders in place, 3 one is missing, different or inactive, \
            1 a mailbox could not be checked, 20 the project is unusable, 64 bad options.
            """)

    @OptionGroup var destination: DestinationOptions
    @OptionGroup var sieve: ManageSieveOptions
    @OptionGroup var project: ProjectOptions

    @ArgumentParser.Flag(help: "Print the outcomes as JSON.")
    var json = false

    func run() async throws {
        try await reportingErrors {
            let project = try project.load()
            let table = RoutingTable(inventory: try await project.inventory())
            let outcomes = await RoutingApplier(connection: try sieve.connection(destination)).verify(table)
            printRoutingOutcomes(outcomes, json: json)
            if outcomes.contains(where: { $0.status == .failed }) { throw TernExit.failure }
            if outcomes.contains(where: { $0.status == .missing }) { throw TernExit.mismatch }
        }
    }
}
