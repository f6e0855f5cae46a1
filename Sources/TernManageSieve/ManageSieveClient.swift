import Synchronization
import TernTLS

/// A ManageSieve client (RFC 5804): greeting and capabilities, STARTTLS (verified, never
/// skipped), AUTHENTICATE PLAIN (with an optional authorization identity for admin logins),
/// PUTSCRIPT, SETACTIVE, LISTSCRIPTS, GETSCRIPT, DELETESCRIPT, LOGOUT.
public final class ManageSieveClient: @unchecked Sendable {
    public enum Security: Sendable, Equatable {
        /// STARTTLS after the greeting (the standard for port 4190).
        case startTLS(TLSConfiguration)
        /// TLS from the first byte.
        case implicit(TLSConfiguration)
        /// Unencrypted; for tests only, the caller must opt in.
        case plain
    }

    public private(set) var capabilities: [String: String] = [:]
    public let endpoint: String
    /// Each exchange (the greeting, a command and its answer) must end within this, however
    /// slowly the server keeps sending; then the connection is closed.
    public let commandTimeout: Duration
    private let stream: NetworkStream
    private var parser: ManageSieveParser
    /// Set by the deadline that closed the stream, so the failure is told as a time-out.
    private let expired = Mutex<String?>(nil)

    private init(stream: NetworkStream, parser: ManageSieveParser, commandTimeout: Duration) {
        self.stream = stream
        self.parser = parser
        self.endpoint = stream.endpoint
        self.commandTimeout = commandTimeout
    }

    /// Connects, reads the greeting, and upgrades with STARTTLS when asked (refusing to go on
    /// if the server does not offer it).
    public static func connect(host: String, port: Int, security: Security,
                               connectTimeout: Duration = .seconds(30), commandTimeout: Duration = .seconds(120),
                               maxLineLength: Int = 64 * 1024, maxLiteralSize: Int = 4 * 1024 * 1024)
        async throws(ManageSieveError) -> ManageSieveClient {
        let stream: NetworkStream
        do {
            if case .implicit(let tls) = security {
                stream = try await NetworkStream.connect(host: host, port: port, tls: tls, connectTimeout: connectTimeout)
            } else {
                stream = try await NetworkStream.connect(host: host, port: port, connectTimeout: connectTimeout)
            }
        } catch {
            throw ManageSieveError(.transport, "ManageSieve \(host):\(port): \(error.message)")
        }
        let client = ManageSieveClient(stream: stream,
            parser: ManageSieveParser(maxLineLength: maxLineLength, maxLiteralSize: maxLiteralSize),
            commandTimeout: commandTimeout)
        do throws(ManageSieveError) {
            let greeting = try await client.response(what: "the greeting")
            client.capabilities = ManageSieveParser.capabilities(greeting)
            if case .startTLS(let tls) = security {
                guard client.capabilities["STARTTLS"] != nil else {
                    throw ManageSieveError(.unsupported,
                        "ManageSieve \(client.endpoint) does not offer STARTTLS; refusing to send a password unencrypted")
                }
                _ = try await client.command(Array("STARTTLS\r\n".utf8))
                guard client.parser.pending == 0 else {
                    throw ManageSieveError(.malformed, "ManageSieve \(client.endpoint) sent data after STARTTLS's OK")
                }
                do {
                    try await stream.startTLS(tls, timeout: connectTimeout)
                } catch {
                    throw ManageSieveError(.transport, "ManageSieve \(client.endpoint): TLS: \(error.message)")
                }
                // RFC 5804 §2.2: the server sends its capabilities again after the handshake.
                client.capabilities = ManageSieveParser.capabilities(try await client.response(what: "STARTTLS"))
            }
        } catch {
            stream.close()
            throw error
        }
        return client
    }

    /// Whether the stream is encrypted.
    public var isEncrypted: Bool {
        if case .tls = stream.security { return true }
        return false
    }

    /// AUTHENTICATE "PLAIN" with the initial response. `authorization` is the user to act as
    /// when `user` is an admin (master) login.
    public func authenticate(user: String, password: String, authorization: String? = nil)
        async throws(ManageSieveError) {
        let mechanisms = (capabilities["SASL"] ?? "").uppercased().split(separator: " ")
        guard mechanisms.contains("PLAIN") else {
            throw ManageSieveError(.unsupported, "ManageSieve \(endpoint) does not offer SASL PLAIN (offers: \(capabilities["SASL"] ?? "none"))")
        }
        let initial = ManageSieveEncoding.plain(authorization: authorization, user: user, password: password)
        do throws(ManageSieveError) {
            _ = try await command(Array("AUTHENTICATE \"PLAIN\" \"\(initial)\"\r\n".utf8))
        } catch let error where error.code == .refused {
            let who = authorization.map { "\($0) (as \(user))" } ?? user
            throw ManageSieveError(.refused, "ManageSieve \(endpoint): login of \(who) refused: \(error.status?.text ?? "NO")",
                status: error.status)
        }
    }

    public func putScript(name: String, content: String) async throws(ManageSieveError) {
        _ = try await command(Array("PUTSCRIPT ".utf8) + ManageSieveEncoding.string(name) + [32]
            + ManageSieveEncoding.literal(Array(content.utf8)) + Array("\r\n".utf8), what: "PUTSCRIPT \(name)")
    }

    public func setActive(name: String) async throws(ManageSieveError) {
        _ = try await command(Array("SETACTIVE ".utf8) + ManageSieveEncoding.string(name) + Array("\r\n".utf8),
            what: "SETACTIVE \(name)")
    }

    public func listScripts() async throws(ManageSieveError) -> [(name: String, active: Bool)] {
        try ManageSieveParser.scriptList(try await command(Array("LISTSCRIPTS\r\n".utf8), what: "LISTSCRIPTS"))
    }

    /// The script's text, or nil when there is no such script (NO (NONEXISTENT)).
    public func getScript(name: String) async throws(ManageSieveError) -> String? {
        do throws(ManageSieveError) {
            let lines = try await command(Array("GETSCRIPT ".utf8) + ManageSieveEncoding.string(name) + Array("\r\n".utf8),
                what: "GETSCRIPT \(name)")
            guard case .string(let text)? = lines.first?.first else {
                throw ManageSieveError(.malformed, "ManageSieve \(endpoint): GETSCRIPT \(name) returned no script")
            }
            return text
        } catch let error where error.code == .refused && error.status?.code?.uppercased() == "NONEXISTENT" {
            return nil
        }
    }

    public func deleteScript(name: String) async throws(ManageSieveError) {
        _ = try await command(Array("DELETESCRIPT ".utf8) + ManageSieveEncoding.string(name) + Array("\r\n".utf8),
            what: "DELETESCRIPT \(name)")
    }

    /// LOGOUT and close; errors are ignored (the work is done).
    public func logout() async {
        _ = try? await command(Array("LOGOUT\r\n".utf8))
        stream.close()
    }

    public func close() { stream.close() }

    /// Sends a command and collects data lines until its OK; NO and BYE throw with the
    /// server's words.
    func command(_ bytes: [UInt8], what: String? = nil) async throws(ManageSieveError) -> [[ManageSieveToken]] {
        do {
            try await stream.write(bytes)
        } catch {
            throw ManageSieveError(.transport, "ManageSieve \(endpoint): \(error.message)")
        }
        do throws(ManageSieveError) {
            return try await response(what: what ?? String(decoding: bytes.prefix { $0 != 32 && $0 != 13 }, as: UTF8.self))
        } catch let error where error.code == .refused && what != nil {
            throw ManageSieveError(.refused, "ManageSieve \(endpoint): \(what!) refused: "
                + [error.status?.code.map { "(\($0))" }, error.status?.text].compactMap { $0 }.joined(separator: " "),
                status: error.status)
        }
    }

    /// Reads one answer; past `commandTimeout` the stream is closed and the wait ends with a
    /// time-out naming the server, `what` and the limit.
    func response(what: String) async throws(ManageSieveError) -> [[ManageSieveToken]] {
        let seconds = commandTimeout.components.seconds
        let watchdog = Task { [self] in
            try await Task.sleep(for: commandTimeout)
            expired.withLock { $0 = what }
            stream.close()
        }
        defer { watchdog.cancel() }
        do throws(ManageSieveError) {
            return try await readAnswer()
        } catch {
            if let late = expired.withLock({ $0 }) {
                throw ManageSieveError(.timeout, "ManageSieve \(endpoint): \(late) not answered within \(seconds) s "
                    + "(the server kept the connection open); closed it. Check the server, or allow more with "
                    + "--sieve-timeout")
            }
            throw error
        }
    }

    private func readAnswer() async throws(ManageSieveError) -> [[ManageSieveToken]] {
        var data: [[ManageSieveToken]] = []
        while true {
            while let line = try parser.next() {
                switch line {
                case .data(let tokens): data.append(tokens)
                case .status(let status):
                    switch status.kind {
                    case .ok: return data
                    case .no: throw ManageSieveError(.refused, "ManageSieve \(endpoint): \(status.text ?? "NO")", status: status)
                    case .bye:
                        stream.close()
                        throw ManageSieveError(.closed, "ManageSieve \(endpoint) closed the connection: \(status.text ?? "BYE")",
                            status: status)
                    }
                }
            }
            let bytes: [UInt8]
            do {
                bytes = try await stream.read()
            } catch {
                throw ManageSieveError(.transport, "ManageSieve \(endpoint): \(error.message)")
            }
            if bytes.isEmpty { throw ManageSieveError(.closed, "ManageSieve \(endpoint) closed the connection") }
            parser.feed(bytes)
        }
    }
}
