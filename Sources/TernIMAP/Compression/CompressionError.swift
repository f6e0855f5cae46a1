/// Why DEFLATE compression (RFC 4978) failed on a connection.
///
/// The connection turns it into an ``IMAPError`` of code `.protocolViolation` and closes: a
/// compressed stream cannot be resynchronised after a bad byte.
public struct CompressionError: Error, Sendable, Equatable, CustomStringConvertible {
    public enum Code: Sendable, Equatable {
        /// zlib could not set up a stream (out of memory, or a library mismatch).
        case setup
        /// The peer's bytes are not a valid raw DEFLATE stream.
        case corruptInput
        /// The peer ended its DEFLATE stream and then sent more bytes; RFC 4978 §4 has the
        /// stream last as long as the connection.
        case dataAfterEnd
        /// zlib ran out of memory mid-stream.
        case memory
    }

    public var code: Code
    public var message: String

    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { message }
}
