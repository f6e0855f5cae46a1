import ArgumentParser
import TernCore
import TernIMAP

/// How to reach and log in to one IMAP server (`tern probe`). Passwords are never taken as
/// arguments (they would show in `ps` and shell history): a file, an environment variable,
/// or the prompt.
struct ServerOptions: ParsableArguments {
    @Option(help: "IMAP server host name or address (or take it from --preset).")
    var host: String?

    @Option(help: "Port (default: 993 for --tls implicit, 143 otherwise).")
    var port: Int?

    @Option(help: "Link security: implicit (TLS from the start; default), starttls, or plain (unencrypted, explicit opt-in).")
    var tls: TransportSecurity?

    @Option(help: "User to log in as.")
    var user: String?

    @Option(help: "Read the password from this file (first line).")
    var passwordFile: String?

    @Option(help: "Read the password from this environment variable.")
    var passwordEnv: String?

    @Option(help: "Authentication: plain, login, xoauth2, oauthbearer (default: PLAIN when offered, else LOGIN).")
    var auth: Credentials.Mechanism?

    @Option(help: "Read an OAuth access token from this file.")
    var tokenFile: String?

    @Option(help: "Run this shell command for an OAuth access token (run again for every login).")
    var tokenCommand: String?

    @Option(help: "Log in as the user through this admin/master account; the password is the admin's.")
    var adminUser: String?

    @Option(help: "Dovecot-style 'user<SEP>admin' login names for --admin-user instead of a PLAIN authorization identity.")
    var adminSeparator: String?

    @Option(help: "Trust the CA certificates in this PEM file instead of the system store.")
    var caFile: String?

    @Option(help: "Verify the certificate against this name instead of the host.")
    var tlsServerName: String?

    @ArgumentParser.Flag(help: "Do not verify the TLS certificate (the link stays encrypted, but can be intercepted).")
    var insecure = false

    @ArgumentParser.Flag(help: "Allow sending the password over an unencrypted link (with --tls plain).")
    var allowPlaintextLogin = false

    @Option(help: "Seconds to wait for the TCP connection and TLS handshake.")
    var connectTimeout: Int = 30

    @Option(help: "seconds a command may take, plus 1 s per KiB it moves, before the connection is closed (even while the server keeps sending).")
    var commandTimeout: Int = 600

    @Option(help: "Provider preset (a name from `tern preset list`, or a .lua file) for host, port, TLS and auth defaults.")
    var preset: String?

    @ArgumentParser.Flag(help: "Do not turn on COMPRESS=DEFLATE (RFC 4978), even when the server offers it.")
    var noCompress = false

    var spec: ServerSpec {
        ServerSpec(
            host: host, port: port, tls: tls, user: user, passwordFile: passwordFile,
            passwordEnv: passwordEnv, auth: auth, tokenFile: tokenFile, tokenCommand: tokenCommand,
            adminUser: adminUser, adminSeparator: adminSeparator, caFile: caFile,
            tlsServerName: tlsServerName, insecure: insecure, allowPlaintextLogin: allowPlaintextLogin,
            connectTimeout: connectTimeout, commandTimeout: commandTimeout, preset: preset, noCompress: noCompress, suffix: "")
    }
}
