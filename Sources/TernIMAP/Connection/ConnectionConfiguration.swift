import TernTLS

/// How the link to an IMAP server is protected.
public enum TransportSecurity: String, Sendable, CaseIterable {
    /// TLS from the first byte (IMAPS, usually port 993).
    case implicit
    /// Plain connect, then STARTTLS (RFC 9051 §6.2.1). Never falls back to plaintext.
    case starttls
    /// No encryption: an explicit opt-in. Credentials are still refused on such a link
    /// unless `allowPlaintextAuthentication` is set too.
    case plain

    public var defaultPort: Int { self == .implicit ? 993 : 143 }
}

/// Everything needed to open one IMAP connection.
public struct ConnectionConfiguration: Sendable {
    public var host: String
    public var port: Int
    public var security: TransportSecurity
    public var tls: TLSConfiguration
    /// Send a password or token over an unencrypted link (refused by default).
    public var allowPlaintextAuthentication: Bool
    public var connectTimeout: Duration
    /// A command in flight with no byte from the server for this long closes the connection.
    public var responseTimeout: Duration
    /// A command still unfinished after this long, plus the time the bytes it moved need at
    /// `minimumRate`, closes the connection — even while the server keeps sending (a server
    /// that drips lines and never answers). The idle limit alone would never fire then.
    public var commandTimeout: Duration = .seconds(600)
    /// Bytes per second a bulk transfer is allowed at least (1 KiB/s): a 50 MB FETCH may take
    /// `commandTimeout` plus 50,000 s, one that drips one byte a second only `commandTimeout`.
    public var minimumRate: Int = 1024
    public var trace: (any ProtocolTrace)?
    /// A short label for traces and logs, e.g. "source" or "alice@source".
    public var label: String
    /// Capabilities to act as if the server did not offer (to work around a server's broken
    /// extension, and to test the fallbacks).
    public var ignoredCapabilities: Set<Capability> = []
    /// Turn on COMPRESS=DEFLATE (RFC 4978) after login when the server offers it (the
    /// default). Off: `--no-compress1` / `--no-compress2`, e.g. for a server whose
    /// compression is broken, or to read a link with a packet capture.
    public var compression = true

    public init(host: String, port: Int? = nil, security: TransportSecurity = .implicit,
                tls: TLSConfiguration = .verified, allowPlaintextAuthentication: Bool = false,
                connectTimeout: Duration = .seconds(30), responseTimeout: Duration = .seconds(300),
                trace: (any ProtocolTrace)? = nil, label: String? = nil) {
        self.host = host
        self.port = port ?? security.defaultPort
        self.security = security
        self.tls = tls
        self.allowPlaintextAuthentication = allowPlaintextAuthentication
        self.connectTimeout = connectTimeout
        self.responseTimeout = responseTimeout
        self.trace = trace
        self.label = label ?? "\(host):\(port ?? security.defaultPort)"
    }
}
