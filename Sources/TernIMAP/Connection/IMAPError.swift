import TernTLS

/// Why an IMAP operation failed, with the server's own words where it gave any.
///
/// `message` says what happened and what to do next; it never contains a password or token
/// (commands describe themselves redacted, and server text is quoted, not our input).
public struct IMAPError: Error, Sendable, Equatable, CustomStringConvertible {
    public enum Code: Sendable, Equatable {
        /// The stream failed: see `TransportError.Code` (connect, TLS, I/O, time-out).
        case transport(TransportError.Code)
        /// The server answered something that is not valid IMAP, or out of order.
        case protocolViolation
        /// The server refused the credentials (NO to LOGIN/AUTHENTICATE).
        case authenticationFailed
        /// We refused to send credentials over an unencrypted link.
        case plaintextRefused
        /// The server offers nothing we may use (no STARTTLS, no usable mechanism, …).
        case unsupported
        /// A command ended in NO or BAD.
        case commandFailed
        /// No response within the time limit; the connection was closed.
        case timeout
        /// The connection is closed (BYE, end of stream, or `close()`).
        case connectionClosed
        /// A local credential source failed (token file unreadable, token command failed).
        case credentialSource
    }

    public var code: Code
    public var message: String
    /// The server's response code (e.g. `[AUTHENTICATIONFAILED]`, `[OVERQUOTA]`), if any.
    public var responseCode: ResponseCode?
    /// The server's response text, if the error came from a response.
    public var serverText: String?
    /// The command, redacted, that failed.
    public var command: String?

    public init(_ code: Code, _ message: String, responseCode: ResponseCode? = nil, serverText: String? = nil,
                command: String? = nil) {
        self.code = code
        self.message = message
        self.responseCode = responseCode
        self.serverText = serverText
        self.command = command
    }

    init(_ transport: TransportError) {
        self.init(.transport(transport.code), transport.description)
    }

    public var description: String { message }
}
