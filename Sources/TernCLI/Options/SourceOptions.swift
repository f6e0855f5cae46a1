import ArgumentParser
import TernCore
import TernIMAP

/// The source server (side 1) of `sync`, `verify` and `batch`; flags end in 1 as in imapsync.
struct SourceOptions: ParsableArguments {
    @Option(help: "Source: IMAP server host name or address (or take it from --preset1).")
    var host1: String?

    @Option(help: "Source: port (default: 993 for --tls1 implicit, 143 otherwise).")
    var port1: Int?

    @Option(help: "Source: link security: implicit (TLS from the start; default), starttls, or plain (unencrypted, explicit opt-in).")
    var tls1: TransportSecurity?

    @Option(help: "Source: user to log in as.")
    var user1: String?

    @Option(help: "Source: read the password from this file (first line).")
    var passwordFile1: String?

    @Option(help: "Source: read the password from this environment variable.")
    var passwordEnv1: String?

    @Option(help: "Source: authentication: plain, login, xoauth2, oauthbearer (default: PLAIN when offered, else LOGIN).")
    var auth1: Credentials.Mechanism?

    @Option(help: "Source: read an OAuth access token from this file.")
    var tokenFile1: String?

    @Option(help: "Source: run this shell command for an OAuth access token (run again for every login).")
    var tokenCommand1: String?

    @Option(help: "Source: log in as the user through this admin/master account; the password is the admin's.")
    var adminUser1: String?

    @Option(help: "Source: Dovecot-style 'user<SEP>admin' login names for --admin-user1 instead of a PLAIN authorization identity.")
    var adminSeparator1: String?

    @Option(help: "Source: trust the CA certificates in this PEM file instead of the system store.")
    var caFile1: String?

    @Option(help: "Source: verify the certificate against this name instead of the host.")
    var tlsServerName1: String?

    @ArgumentParser.Flag(help: "Source: do not verify the TLS certificate (the link stays encrypted, but can be intercepted).")
    var insecure1 = false

    @ArgumentParser.Flag(help: "Source: allow sending the password over an unencrypted link (with --tls1 plain).")
    var allowPlaintextLogin1 = false

    @Option(help: "Source: seconds to wait for the TCP connection and TLS handshake.")
    var connectTimeout1: Int = 30

    @Option(help: "Source: seconds a command may take, plus 1 s per KiB it moves, before the connection is closed (even while the server keeps sending).")
    var commandTimeout1: Int = 600

    @Option(help: "Source: provider preset (a name from `tern preset list`, or a .lua file) for host, port, TLS and auth defaults.")
    var preset1: String?

    @ArgumentParser.Flag(help: "Source: do not turn on COMPRESS=DEFLATE (RFC 4978), even when the server offers it.")
    var noCompress1 = false

    var spec: ServerSpec {
        ServerSpec(
            host: host1, port: port1, tls: tls1, user: user1, passwordFile: passwordFile1,
            passwordEnv: passwordEnv1, auth: auth1, tokenFile: tokenFile1, tokenCommand: tokenCommand1,
            adminUser: adminUser1, adminSeparator: adminSeparator1, caFile: caFile1,
            tlsServerName: tlsServerName1, insecure: insecure1, allowPlaintextLogin: allowPlaintextLogin1,
            connectTimeout: connectTimeout1, commandTimeout: commandTimeout1, preset: preset1, noCompress: noCompress1, suffix: "1")
    }
}
