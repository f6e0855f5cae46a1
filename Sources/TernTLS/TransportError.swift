/// A failure of the byte stream under a protocol: reaching the server, the TLS handshake
/// and its verification, or reading and writing. `message` says what happened and what to
/// try next; it never contains credentials.
public struct TransportError: Error, Sendable, Equatable, CustomStringConvertible {
    public enum Code: String, Sendable, Equatable {
        /// Host name did not resolve.
        case nameResolution
        /// TCP connect refused, unreachable, or timed out.
        case connectFailed
        /// The TLS handshake failed for a reason other than verification.
        case tlsHandshake
        /// The server's certificate chain or host name did not verify.
        case certificateVerification
        /// STARTTLS was asked for but could not be used safely.
        case startTLSUnavailable
        /// Reading or writing failed, or no progress within the time limit.
        case io
        /// The operation ran past its time limit.
        case timeout
        /// The stream was closed (by us or the peer) while an operation was pending.
        case closed
    }

    public var code: Code
    public var message: String
    /// `host:port` this stream talks to.
    public var endpoint: String

    public init(_ code: Code, _ message: String, endpoint: String) {
        self.code = code
        self.message = message
        self.endpoint = endpoint
    }

    public var description: String { "\(endpoint): \(message)" }
}
