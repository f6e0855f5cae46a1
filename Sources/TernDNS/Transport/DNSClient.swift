import Foundation

/// The wire client: one question to one server over UDP with EDNS(0) (RFC 6891), TCP when the
/// answer is truncated (RFC 7766 §5), retries with time-outs, random IDs and ports, and ID +
/// question matching. Socket work runs on a dispatch queue and is bridged with continuations.
public struct DNSClient: Sendable {
    public struct Options: Sendable {
        /// Seconds to wait for each attempt.
        public var timeout: Double = DNSLimits.defaultTimeout
        /// Attempts per server before giving up on it.
        public var attempts: Int = DNSLimits.defaultAttempts
        /// Skip UDP (e.g. for large answers known in advance).
        public var tcpOnly = false
        public var payloadSize: UInt16 = DNSLimits.ednsPayloadSize

        public init(timeout: Double = DNSLimits.defaultTimeout, attempts: Int = DNSLimits.defaultAttempts, tcpOnly: Bool = false) {
            self.timeout = timeout
            self.attempts = attempts
            self.tcpOnly = tcpOnly
        }
    }

    /// One completed exchange.
    public struct Exchange: Sendable {
        public var message: DNSMessage
        public var bytes: [UInt8]
        public var server: DNSServer
        public var usedTCP: Bool
    }

    public var options: Options

    public init(options: Options = Options()) { self.options = options }

    private static let queue = DispatchQueue(label: "tern.dns.sockets", attributes: .concurrent)

    /// Asks `server` one question. `recursionDesired` is false for authoritative queries.
    public func query(_ name: DNSName, _ type: RecordType, server: DNSServer, recursionDesired: Bool) async throws -> Exchange {
        let request = DNSMessage.query(id: UInt16.random(in: .min ... .max), name: name, type: type,
                                       recursionDesired: recursionDesired, edns: DNSMessage.EDNS(payloadSize: options.payloadSize))
        do {
            return try await send(request, to: server)
        } catch let error as DNSError {
            throw error.with(server: server.description, name: name.description, type: type.description)
        }
    }

    /// Sends any message (query or UPDATE) and returns the matching answer. Retries transient
    /// failures up to `options.attempts` times; switches to TCP when the UDP answer has TC=1.
    public func send(_ request: DNSMessage, to server: DNSServer) async throws -> Exchange {
        let bytes = request.encode()
        var lastError = DNSError(.timeout, "no answer", server: server.description)
        for _ in 0..<max(1, options.attempts) {
            do {
                if options.tcpOnly || bytes.count > Int(options.payloadSize) {
                    return try await exchangeTCP(bytes, request: request, server: server)
                }
                let reply = try await run { [options] in
                    try SocketExchange.udp(bytes, to: server, timeout: options.timeout) { Self.matches($0, request) }
                }
                let message = try DNSMessage.decode(reply)
                if message.header.truncated {
                    return try await exchangeTCP(bytes, request: request, server: server)
                }
                return Exchange(message: message, bytes: reply, server: server, usedTCP: false)
            } catch let error as DNSError {
                lastError = error
                if !error.isTransient || error.code == .connectFailed { throw error }
            }
        }
        throw lastError
    }

    private func exchangeTCP(_ bytes: [UInt8], request: DNSMessage, server: DNSServer) async throws -> Exchange {
        let reply = try await run { [options] in try SocketExchange.tcp(bytes, to: server, timeout: options.timeout) }
        guard Self.matches(reply, request) else {
            throw DNSError(.unexpectedResponse, "the TCP answer does not match the question (ID or question differs)", server: server.description)
        }
        return Exchange(message: try DNSMessage.decode(reply), bytes: reply, server: server, usedTCP: true)
    }

    /// The reply carries our ID and echoes our question (compared without decoding the rest).
    static func matches(_ reply: [UInt8], _ request: DNSMessage) -> Bool {
        guard reply.count >= 12, reply[0] == UInt8(request.header.id >> 8), reply[1] == UInt8(request.header.id & 0xFF),
              reply[2] & 0x80 != 0 else { return false }
        guard let question = request.questions.first else { return true }
        var reader = ByteReader(reply, offset: 12)
        let count = (Int(reply[4]) << 8) | Int(reply[5])
        if count == 0 { return true } // e.g. FORMERR answers may omit the question
        guard let echoed = try? DNSQuestion.decode(&reader) else { return false }
        return echoed.name == question.name && echoed.type == question.type
    }

    private func run<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            Self.queue.async { continuation.resume(with: Result { try work() }) }
        }
    }
}
