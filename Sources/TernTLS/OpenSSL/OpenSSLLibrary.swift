import COpenSSL

/// OpenSSL's process-wide set-up, done once before any other OpenSSL call in Tern.
///
/// Tern initialises OpenSSL itself, without the atexit clean-up OpenSSL registers by default:
/// that clean-up frees the library's locks while a connection's I/O thread may still be in
/// `SSL_read`/`SSL_shutdown`, so an exit racing a connection crashed the process (issue 11).
/// OpenSSL only honours the option on the first initialisation, which is why every entry
/// point into libcrypto/libssl in this module goes through `ensureInitialized()` first.
enum OpenSSLLibrary {
    private static let initialized: Bool = tern_openssl_init() == 1

    /// Whether OpenSSL initialised; callers fail through their usual OpenSSL error path if not.
    @discardableResult
    static func ensureInitialized() -> Bool { initialized }
}
