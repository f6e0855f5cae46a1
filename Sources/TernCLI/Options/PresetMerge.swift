import ArgumentParser
import TernCore
import TernIMAP
import TernScript

/// Server settings after applying a preset: explicit command-line values always win.
struct PresetMergedServer: Equatable {
    var host: String?
    var port: Int?
    var tls: TransportSecurity?
    var auth: Credentials.Mechanism?
    var adminSeparator: String?

    /// Fills every value the operator did not give (nil) from `preset`. The preset's auth
    /// preference is filtered by the kind of secret given: with a token (`usingToken`) its
    /// first OAuth mechanism, with a password its first of PLAIN/LOGIN.
    static func merge(_ preset: ProviderPreset?, host: String?, port: Int?, tls: TransportSecurity?,
                      auth: Credentials.Mechanism?, adminSeparator: String?, usingToken: Bool) -> PresetMergedServer {
        guard let preset else {
            return PresetMergedServer(host: host, port: port, tls: tls, auth: auth, adminSeparator: adminSeparator)
        }
        return PresetMergedServer(
            host: host ?? preset.imap.host,
            port: port ?? preset.imap.port,
            tls: tls ?? preset.imap.tls.flatMap(TransportSecurity.init(rawValue:)),
            auth: auth ?? preset.imap.auth?.lazy.compactMap { Credentials.Mechanism(rawValue: $0) }.first { mechanism in
                let isOAuth = mechanism == .xoauth2 || mechanism == .oauthbearer
                return isOAuth == usingToken
            },
            adminSeparator: adminSeparator ?? preset.imap.adminSeparator)
    }
}
