import ArgumentParser
import Foundation
import TernIMAP
import TernIMAPStore

/// `tern probe`: the pilot's first step — can we reach the server over verified TLS, log in,
/// and what do the folders look like?
struct ProbeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "probe",
        abstract: "Connect to an IMAP server, log in, and report what a migration needs to know.",
        discussion: """
            Prints the server's identity and capabilities, namespaces and separator, every folder \
            (decoded and raw name, special use, subscription, messages, unseen, size), quota, and \
            warnings. Exit codes: 0 ok, 10 cannot connect, 11 TLS failed or required, \
            12 authentication failed, 13 protocol error, 20 bad input.

            Example:
              tern probe --host imap.example.com --user alice@example.com --password-file alice.pw
            """)

    @OptionGroup var server: ServerOptions

    @Option(help: "Write a protocol trace to this file (passwords and tokens are never written).")
    var trace: String?

    @ArgumentParser.Flag(help: "Print the report as one JSON document.")
    var json = false

    func run() async throws {
        try await reportingErrors {
            let traceSink = try trace.map { try FileTrace(path: $0) }
            let resolved = try await server.spec.resolved()
            let credentials = try resolved.credentials()
            var stderr = StandardError()
            for warning in resolved.warnings { print("tern: warning: \(warning)", to: &stderr) }
            let configuration = resolved.connectionConfiguration(trace: traceSink, label: resolved.host)
            let connection = try await IMAPConnection.connect(configuration)
            do {
                let mechanism = try await connection.authenticate(credentials)
                try await AdminSessionCheck.verify(connection, configuration: configuration, credentials: credentials,
                    label: resolved.host)
                let report = try await AccountInspector().inspect(
                    connection, user: resolved.user, admin: resolved.spec.adminUser,
                    authentication: mechanism.map(\.rawValue) ?? "preauth")
                await connection.logout()
                if json {
                    print(try ProbeRenderer.json(report))
                } else {
                    print(ProbeRenderer.text(report), terminator: "")
                }
            } catch {
                await connection.close()
                throw error
            }
        }
    }
}
