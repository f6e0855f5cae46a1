import TernCore
import TernIMAP
import TernScript
import TernMigration
import ArgumentParser
import TernTLS

extension TransportSecurity: ExpressibleByArgument {}
extension Credentials.Mechanism: ExpressibleByArgument {}

/// One server's connection settings as given on the command line (`--host`, or `--host1` /
/// `--host2`), before a preset fills the gaps. The option groups only declare flags and turn
/// them into this; everything else happens here once.
struct ServerSpec: Sendable {
    var host: String?
    var port: Int?
    var tls: TransportSecurity?
    var user: String?
    var passwordFile: String?
    var passwordEnv: String?
    var auth: Credentials.Mechanism?
    var tokenFile: String?
    var tokenCommand: String?
    var adminUser: String?
    var adminSeparator: String?
    var caFile: String?
    var tlsServerName: String?
    var insecure = false
    var allowPlaintextLogin = false
    var connectTimeout = 30
    /// `--command-timeout`: seconds a command may take beyond the time its data needs at 1 KiB/s.
    var commandTimeout = 600
    var preset: String?
    /// `--no-compress`: never send COMPRESS DEFLATE, even when the server offers it.
    var noCompress = false

    /// The side's flag suffix for messages ("" for probe, "1", "2").
    var suffix = ""

    var usesToken: Bool { tokenFile != nil || tokenCommand != nil }

    func validate() throws(CLIError) {
        let sources = [passwordFile != nil, passwordEnv != nil, tokenFile != nil, tokenCommand != nil].filter { $0 }
        if sources.count > 1 {
            throw CLIError(TernExit.usage, "give only one of --password-file\(suffix), --password-env\(suffix), "
                + "--token-file\(suffix), --token-command\(suffix)")
        }
        if usesToken, let auth, auth == .login || auth == .plain {
            throw CLIError(TernExit.usage, "an OAuth token needs --auth\(suffix) xoauth2 or oauthbearer")
        }
        if insecure && caFile != nil {
            throw CLIError(TernExit.usage, "--insecure\(suffix) and --ca-file\(suffix) contradict each other")
        }
        if let port, !(1...65535).contains(port) {
            throw CLIError(TernExit.usage, "--port\(suffix) must be between 1 and 65535")
        }
    }

    /// Loads the side's preset once with an example user, so a preset that cannot load at all
    /// (a missing file, broken Lua) stops a batch before its rows run, as bad input.
    func checkPreset() async throws(CLIError) {
        guard let name = preset else { return }
        do {
            _ = try await PresetLoader().load(name, context: .example)
        } catch {
            throw CLIError(TernExit.badInput, "--preset\(suffix) \(name) cannot be used: \(error)")
        }
    }

    /// Applies the preset (explicit options win) and checks that a host is known.
    func resolved(user overridingUser: String? = nil) async throws -> ResolvedServer {
        try validate()
        let user = overridingUser ?? self.user
        guard let user, !user.isEmpty else { throw CLIError(TernExit.usage, "missing --user\(suffix)") }
        var preset: ProviderPreset?
        if let name = self.preset {
            preset = try await PresetLoader().load(name, context: PresetContext(user: user))
        }
        let merged = PresetMergedServer.merge(preset, host: host, port: port, tls: tls, auth: auth,
            adminSeparator: adminSeparator, usingToken: usesToken)
        guard let host = merged.host else {
            throw CLIError(TernExit.usage, "missing --host\(suffix) (or a --preset\(suffix) that names the host)")
        }
        return ResolvedServer(spec: self, user: user, host: host, port: merged.port, tls: merged.tls ?? .implicit,
            auth: merged.auth, adminSeparator: merged.adminSeparator, preset: preset)
    }
}

/// A server after presets: everything needed to connect, except the secret.
struct ResolvedServer: Sendable {
    var spec: ServerSpec
    var user: String
    var host: String
    var port: Int?
    var tls: TransportSecurity
    var auth: Credentials.Mechanism?
    var adminSeparator: String?
    var preset: ProviderPreset?

    /// "user@host:port", the key this account has in the state database and logs.
    var key: String { MailboxJob.stateKey(user: user, host: host, port: port, security: tls) }

    func connectionConfiguration(trace: (any ProtocolTrace)?, label: String) -> ConnectionConfiguration {
        var configuration = ConnectionConfiguration(
            host: host, port: port, security: tls,
            tls: TLSConfiguration(caFile: spec.caFile, insecure: spec.insecure, serverName: spec.tlsServerName),
            allowPlaintextAuthentication: spec.allowPlaintextLogin,
            connectTimeout: .seconds(spec.connectTimeout), trace: trace, label: label)
        configuration.compression = !spec.noCompress
        configuration.commandTimeout = .seconds(max(1, spec.commandTimeout))
        return configuration
    }

    /// Credentials with the secret from the options (file, environment, token, prompt), or
    /// the given password (a batch file's column).
    func credentials(password: Secret? = nil) throws(CLIError) -> Credentials {
        let secret: SecretSource
        if let password {
            secret = .password(password)
        } else if let tokenFile = spec.tokenFile {
            secret = .token(TokenSource.file(tokenFile))
        } else if let tokenCommand = spec.tokenCommand {
            secret = .token(TokenSource.command(tokenCommand))
        } else {
            let whose = spec.adminUser.map { "admin user \($0)" } ?? user
            secret = .password(try PasswordReader.read(file: spec.passwordFile, environment: spec.passwordEnv, for: whose))
        }
        return Credentials(user: user, secret: secret, mechanism: auth, admin: spec.adminUser,
            adminStyle: adminSeparator.map { .separator($0) } ?? .authorizationIdentity)
    }

    /// Printed once per side when the link is weakened on purpose.
    var warnings: [String] {
        var warnings: [String] = []
        if spec.insecure { warnings.append("--insecure\(spec.suffix): the certificate of \(host) is not verified") }
        if tls == .plain { warnings.append("--tls\(spec.suffix) plain: the connection to \(host) is not encrypted") }
        return warnings
    }
}
