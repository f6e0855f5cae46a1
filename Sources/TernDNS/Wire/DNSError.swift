/// A DNS failure: what went wrong (`code`), what to do next (`message`), and where
/// (server, name, record type) when known.
public struct DNSError: Error, Sendable, Equatable, CustomStringConvertible {
    public enum Code: String, Sendable, Codable {
        // Decoder (RFC 1035 §4.1): the bytes are not a valid DNS message.
        case truncatedMessage, labelTooLong, nameTooLong, compressionLoop, badLabelType
        case badRecordData, tooManyRecords, badText
        // Transport.
        case timeout, connectFailed, noServers, unexpectedResponse, truncatedOverTCP
        // Server answers.
        case serverFailure, refused, notAuthoritative, nameError
        // Local input.
        case badInput, badKey
        // Updates (RFC 2136) and TSIG (RFC 8945).
        case updateRejected, prerequisiteFailed, tsigFailed
    }

    public var code: Code
    public var message: String
    public var server: String?
    public var name: String?
    public var type: String?

    public init(_ code: Code, _ message: String, server: String? = nil, name: String? = nil, type: String? = nil) {
        self.code = code
        self.message = message
        self.server = server
        self.name = name
        self.type = type
    }

    public var description: String {
        var context: [String] = []
        if let name { context.append(type.map { "\(name) \($0)" } ?? name) }
        if let server { context.append("server \(server)") }
        return "\(code.rawValue): \(message)" + (context.isEmpty ? "" : " [" + context.joined(separator: ", ") + "]")
    }

    /// A copy with the query context filled in.
    public func with(server: String? = nil, name: String? = nil, type: String? = nil) -> DNSError {
        var copy = self
        if let server { copy.server = server }
        if let name { copy.name = name }
        if let type { copy.type = type }
        return copy
    }

    /// True for failures a retry (or another server) may cure.
    public var isTransient: Bool {
        [.timeout, .connectFailed, .serverFailure, .unexpectedResponse, .truncatedMessage].contains(code)
    }
}
