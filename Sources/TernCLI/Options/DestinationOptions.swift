import ArgumentParser
import TernCore
import TernIMAP

/// The destination server (side 2) of `sync`, `verify` and `batch`; flags end in 2.
struct DestinationOptions: ParsableArguments {
    @Option(help: "Destination: IMAP server host name or address (or take it from --preset2).")
    var host2: String?

    @Option(help: "Destination: port (default: 993 for --tls2 implicit, 143 otherwise).")
    var port2: Int?

    @Option(help: "Destination: link security: implicit (TLS from the start; default), starttls, or plain (unencrypted, explicit opt-in).")
    var tls2: TransportSecurity?

    @Option(help: "Destination: user to log in as.")
    var user2: String?

    @Option(help: "Destination: read the password from this file (first line).")
    var passwordFile2: String?

    @Option(help: "Destination: read the password from this environment variable.")
    var passwordEnv2: String?

    @Option(help: "Destination: authentication: plain, login, xoauth2, oauthbearer (default: PLAIN when offered, else LOGIN).")
    var auth2: Credentials.Mechanism?

    @Option(help: "Destination: read an OAuth access token from this file.")
    var tokenFile2: String?

    @Option(help: "Destination: run this shell command for an OAuth access token (run again for every login).")
    var tokenCommand2: String?

    @Option(help: "Destination: log in as the user through this admin/master account; the password is the admin's.")
    var adminUser2: String?

    @Option(help: "Destination: Dovecot-style 'user<SEP>admin' login names for --admin-user2 instead of a PLAIN authorization identity.")
    var adminSeparator2: String?

    @Option(help: "Destination: trust the CA certificates in this PEM file instead of the system store.")
    var caFile2: String?

    @Option(help: "Destination: verify the certificate against this name instead of the host.")
    var tlsServerName2: String?

    @ArgumentParser.Flag(help: "Destination: do not verify the TLS certificate (the link stays encrypted, but can be intercepted).")
    var insecure2 = false

    @ArgumentParser.Flag(help: "Destination: allow sending the password over an unencrypted link (with --tls2 plain).")
    var allowPlaintextLogin2 = false

    @Option(help: "Destination: seconds to wait for the TCP connection and TLS handshake.")
    var connectTimeout2: Int = 30

    @Option(help: "Destination: seconds a command may take, plus 1 s per KiB it moves, before the connection is closed (even while the server keeps sending).")
    var commandTimeout2: Int = 600

    @Option(help: "Destination: provider preset (a name from `tern preset list`, or a .lua file) for host, port, TLS and auth defaults.")
    var preset2: String?

    @ArgumentParser.Flag(help: "Destination: do not turn on COMPRESS=DEFLATE (RFC 4978), even when the server offers it.")
    var noCompress2 = false

    var spec: ServerSpec {
        ServerSpec(
            host: host2, port: port2, tls: tls2, user: user2, passwordFile: passwordFile2,
            passwordEnv: passwordEnv2, auth: auth2, tokenFile: tokenFile2, tokenCommand: tokenCommand2,
            adminUser: adminUser2, adminSeparator: adminSeparator2, caFile: caFile2,
            tlsServerName: tlsServerName2, insecure: insecure2, allowPlaintextLogin: allowPlaintextLogin2,
            connectTimeout: connectTimeout2, commandTimeout: commandTimeout2, preset: preset2, noCompress: noCompress2, suffix: "2")
    }
}
