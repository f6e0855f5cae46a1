import ArgumentParser
import TernCore
import TernIMAP
import TernTLS

extension TransportSecurity: ExpressibleByArgument {}
extension Credentials.Mechanism: ExpressibleByArgument {}

/// How to reach and log in to one IMAP server. Passwords are never taken as arguments
/// (they would show in `ps` and shell history): use a file, an environment variable, or
/// the prompt.
struct ServerOptions: ParsableArguments {
    @Option(help: "IMAP server host name or address.")
    var host: String

    @Option(help: "Port (default: 993 for --tls implicit, 143 otherwise).")
    var port: Int?

    @Option(help: "Link security: implicit (TLS from the start), starttls, or plain (unencrypted, explicit opt-in).")
    var tls: TransportSecurity = .implicit

    @Option(help: "User to log in as (the mailbox).")
    var user: String

    @Option(help: "Read the password from this file (first line).")
    var passwordFile: String?

    @Option(help: "Read the password from this environment variable.")
    var passwordEnv: String?

    @Option(help: "Authentication: plain, login, xoauth2, oauthbearer (default: PLAIN when offered, else LOGIN).")
    var auth: Credentials.Mechanism?

    @Option(help: "Read an OAuth access token from this file.")
    var tokenFile: String?

    @Option(help: "Run this shell command to get an OAuth access token (run again for every new login).")
    var tokenCommand: String?

    @Option(help: "Log in as --user through this admin/master account; the password is the admin's.")
    var adminUser: String?

    @Option(help: "Use Dovecot-style 'user<SEP>admin' login names for --admin-user instead of a PLAIN authorization identity.")
    var adminSeparator: String?

    @Option(help: "Trust the CA certificates in this PEM file (a private CA) instead of the system store.")
    var caFile: String?

    @Option(help: "Verify the certificate against this name instead of --host.")
    var tlsServerName: String?

    @ArgumentParser.Flag(help: "Do not verify the server's TLS certificate (the link stays encrypted, but can be intercepted).")
    var insecure = false

    @ArgumentParser.Flag(help: "Allow sending the password over an unencrypted link (with --tls plain).")
    var allowPlaintextLogin = false

    @Option(help: "Seconds to wait for the TCP connection and TLS handshake.")
    var connectTimeout: Int = 30

    func validate() throws {
        let sources = [passwordFile != nil, passwordEnv != nil, tokenFile != nil, tokenCommand != nil].filter { $0 }
        if sources.count > 1 {
            throw ValidationError("Give only one of --password-file, --password-env, --token-file, --token-command.")
        }
        if (tokenFile != nil || tokenCommand != nil), let auth, auth == .login || auth == .plain {
            throw ValidationError("An OAuth token needs --auth xoauth2 or --auth oauthbearer.")
        }
        if insecure && caFile != nil {
            throw ValidationError("--insecure and --ca-file contradict each other; choose one.")
        }
        if let port, !(1...65535).contains(port) {
            throw ValidationError("--port must be between 1 and 65535.")
        }
    }

    func connectionConfiguration(trace: (any ProtocolTrace)?, label: String) -> ConnectionConfiguration {
        ConnectionConfiguration(
            host: host, port: port, security: tls,
            tls: TLSConfiguration(caFile: caFile, insecure: insecure, serverName: tlsServerName),
            allowPlaintextAuthentication: allowPlaintextLogin,
            connectTimeout: .seconds(connectTimeout), trace: trace, label: label)
    }

    func credentials() throws(CLIError) -> Credentials {
        let secret: SecretSource
        if let tokenFile {
            secret = .token(.file(tokenFile))
        } else if let tokenCommand {
            secret = .token(.command(tokenCommand))
        } else {
            let whose = adminUser.map { "admin user \($0)" } ?? user
            secret = .password(try PasswordReader.read(file: passwordFile, environment: passwordEnv, for: whose))
        }
        return Credentials(
            user: user, secret: secret, mechanism: auth, admin: adminUser,
            adminStyle: adminSeparator.map { .separator($0) } ?? .authorizationIdentity)
    }
}
