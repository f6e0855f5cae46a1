import TernTLS

/// Settings for `tern.http.request`.
public struct HTTPClientConfiguration: Sendable, Equatable {
    /// How https:// servers are verified: the system's CAs and the host name by default.
    public var tls: TLSConfiguration
    /// Allow plain http:// URLs (e.g. an internal webhook relay). On by default; TLS is
    /// always verified when used.
    public var allowPlainHTTP: Bool
    /// Seconds a request may take when the script gives no `timeout`.
    public var defaultTimeout: Double
    /// The longest `timeout` a script may ask for, in seconds.
    public var maxTimeout: Double
    /// Largest response (head and body) read; a larger one fails the request.
    public var maxResponseBytes: Int
    /// Largest request body a script may send.
    public var maxRequestBytes: Int

    public init(tls: TLSConfiguration = .verified, allowPlainHTTP: Bool = true, defaultTimeout: Double = 30,
                maxTimeout: Double = 300, maxResponseBytes: Int = 8 << 20, maxRequestBytes: Int = 8 << 20) {
        self.tls = tls
        self.allowPlainHTTP = allowPlainHTTP
        self.defaultTimeout = defaultTimeout
        self.maxTimeout = maxTimeout
        self.maxResponseBytes = maxResponseBytes
        self.maxRequestBytes = maxRequestBytes
    }
}
