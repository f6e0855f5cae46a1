import TernCore
import TernTLS

/// One IMAP connection: drives the I/O-free codec over a `NetworkStream`.
///
/// - Pipelining: any number of commands may be in flight. Sending is serialised (one
///   command's bytes, including synchronizing literals, go out whole before the next), and a
///   reader task matches tagged completions to their commands.
/// - The greeting and STARTTLS happen before the reader starts, so no byte the server sent in
///   plaintext can be read as if it came over TLS.
/// - Closing (or losing) the connection fails every command in flight with `.connectionClosed`
///   (carrying the server's BYE text, if it said one).
/// - COMPRESS=DEFLATE (RFC 4978) sits between the codec and the stream: commands are encoded
///   (and traced) as plain IMAP, then deflated on their way to the stream; received bytes are
///   inflated before the framer sees them. See `IMAPConnection+Compress.swift`.
public actor IMAPConnection {
    public nonisolated let configuration: ConnectionConfiguration
    private let stream: NetworkStream
    private var framer = ResponseFramer()

    /// The server's current capabilities (refreshed after STARTTLS and login), less any the
    /// configuration says to ignore.
    public private(set) var capabilities: Set<Capability> {
        get { offeredCapabilities.subtracting(configuration.ignoredCapabilities) }
        set { offeredCapabilities = newValue }
    }
    private var offeredCapabilities: Set<Capability> = []
    /// The greeting's text and code, e.g. `* OK [CAPABILITY …] Dovecot ready.`
    public private(set) var greeting: ResponseState
    public private(set) var isAuthenticated = false
    /// Extensions turned on with ENABLE (RFC 5161), upper-cased.
    public private(set) var enabled: Set<String> = []
    /// `[ALERT]` texts the server sent; RFC 9051 says a client must show them to the user.
    public private(set) var alerts: [String] = []

    private var nextTag = 1
    private var inFlight: [InFlight] = []
    private var finished: [String: Result<CommandResult, IMAPError>] = [:]
    private var completionWaiters: [String: CheckedContinuation<Result<CommandResult, IMAPError>, Never>] = [:]
    private var continuationWaiter: (tag: String, continuation: CheckedContinuation<ContinuationOutcome, Never>)?
    /// A `+` that arrived before the sender started waiting for it (the server can answer
    /// while our write is still being handed to the kernel).
    private var earlyContinuation: ContinuationRequest?
    private var sending = false
    private var sendWaiters: [CheckedContinuation<Void, Never>] = []
    private var unsolicited: [UntaggedResponse] = []
    private var closedError: IMAPError?
    private var byeText: String?
    private var lastActivity = ContinuousClock.now
    /// Bytes written and read on the wire (compressed, when COMPRESS is on), for the command deadline.
    private var bytesMoved: Int64 = 0
    private var readerTask: Task<Void, Never>?
    private var watchdogTask: Task<Void, Never>?
    /// COMPRESS=DEFLATE, once the server said OK to it: every byte after that goes through these.
    var deflater: Deflater?
    var inflater: Inflater?
    /// zlib streams made ready for a `COMPRESS DEFLATE` in flight; its OK switches them on.
    var pendingCompression: (deflater: Deflater, inflater: Inflater)?

    var commandsInFlight: Int { inFlight.count }

    private struct InFlight {
        var tag: String
        var name: String
        var untagged: [UntaggedResponse] = []
        var started = ContinuousClock.now
        /// `bytesMoved` when the command was sent.
        var bytesBefore: Int64 = 0
    }

    enum ContinuationOutcome {
        case proceed(ContinuationRequest)
        case completed
        case failed(IMAPError)
    }

    private init(configuration: ConnectionConfiguration, stream: NetworkStream, greeting: ResponseState) {
        self.configuration = configuration
        self.stream = stream
        self.greeting = greeting
    }

    /// Connects, reads the greeting, upgrades with STARTTLS when asked, and learns the
    /// server's capabilities. The connection is ready for `authenticate`.
    public static func connect(_ configuration: ConnectionConfiguration) async throws(IMAPError) -> IMAPConnection {
        let stream: NetworkStream
        do {
            stream = try await NetworkStream.connect(
                host: configuration.host, port: configuration.port,
                tls: configuration.security == .implicit ? configuration.tls : nil,
                connectTimeout: configuration.connectTimeout)
        } catch {
            throw IMAPError(error)
        }
        var handshake = Handshake(stream: stream, configuration: configuration)
        do {
            let greeting = try await handshake.run()
            let connection = IMAPConnection(configuration: configuration, stream: stream, greeting: greeting.state)
            await connection.start(capabilities: greeting.capabilities)
            if greeting.preauthenticated { await connection.markAuthenticated() }
            if await connection.capabilities.isEmpty { try await connection.refreshCapabilities() }
            if greeting.preauthenticated { try await connection.startCompression() }
            return connection
        } catch {
            await stream.closeAndWait()
            throw error
        }
    }

    private func start(capabilities: [Capability]) {
        self.capabilities = Set(capabilities)
        readerTask = Task { await self.readLoop() }
        watchdogTask = Task { await self.watchdog() }
    }

    func markAuthenticated() { isAuthenticated = true }
    func replaceCapabilities(_ list: [Capability]) { capabilities = Set(list) }

    /// Whether the link is encrypted, and how.
    public nonisolated var security: StreamSecurity { stream.security }

    public func supports(_ capability: Capability) -> Bool { capabilities.contains(capability) }

    // MARK: - Commands

    /// Sends one command and waits for its completion. A NO or BAD completion is returned,
    /// not thrown: check `isOK`, or use `run` to throw on it.
    public func execute(_ command: Command) async throws(IMAPError) -> CommandResult {
        await acquireSendLock()
        let tag: String
        do {
            tag = try await send(command)
        } catch {
            releaseSendLock()
            throw error
        }
        releaseSendLock()
        return try await completion(of: tag).get()
    }

    /// Sends one command and throws `.commandFailed` unless it ends in OK.
    @discardableResult
    public func run(_ command: Command) async throws(IMAPError) -> CommandResult {
        let result = try await execute(command)
        guard result.isOK else { throw Self.failure(result.state, command: command) }
        return result
    }

    /// Sends all commands back to back without waiting for answers, then collects each
    /// result in order: one round trip for the batch instead of one per command.
    public func pipeline(_ commands: [Command]) async throws(IMAPError) -> [CommandResult] {
        await acquireSendLock()
        var tags: [String] = []
        do {
            for command in commands { tags.append(try await send(command)) }
        } catch {
            releaseSendLock()
            for tag in tags { _ = await completion(of: tag) }
            throw error
        }
        releaseSendLock()
        var results: [CommandResult] = []
        for tag in tags { results.append(try await completion(of: tag).get()) }
        return results
    }

    /// Fetches the capability list anew (after login servers often add some).
    public func refreshCapabilities() async throws(IMAPError) {
        let result = try await run(.capability)
        for case .capability(let list) in result.untagged { capabilities = Set(list) }
    }

    /// Turns on extensions the server offers (RFC 5161); returns what it enabled.
    @discardableResult
    public func enable(_ extensions: [String]) async throws(IMAPError) -> Set<String> {
        let offered = extensions.filter { capabilities.contains(Capability($0)) }
        guard !offered.isEmpty, capabilities.contains(.enable) else { return [] }
        let result = try await run(.enable(offered))
        var now: Set<String> = []
        for case .enabled(let names) in result.untagged { now.formUnion(names.map { $0.uppercased() }) }
        enabled.formUnion(now)
        return now
    }

    /// Untagged responses that arrived with no command in flight (EXISTS after idle, BYE …),
    /// handed over once.
    public func takeUnsolicited() -> [UntaggedResponse] {
        defer { unsolicited = [] }
        return unsolicited
    }

    /// Says LOGOUT (waiting briefly for the answer) and closes the connection; returns once the
    /// connection's I/O has ended (see `close()`).
    public func logout() async {
        if closedError == nil {
            let logout = Task { try await self.execute(.logout) }
            let timer = Task {
                try await Task.sleep(for: .seconds(5))
                logout.cancel()
                self.closeNow(IMAPError(.timeout, "no answer to LOGOUT"))
            }
            _ = await logout.result
            timer.cancel()
        }
        await close()
    }

    /// Closes at once; commands in flight fail with `.connectionClosed`. Returns once the
    /// stream's I/O thread has shut TLS down and closed the socket, so a process may exit
    /// right after without a thread still inside OpenSSL.
    public func close() async {
        closeNow(IMAPError(.connectionClosed, "connection to \(configuration.label) closed"))
        await stream.closeAndWait()
    }

    // MARK: - Sending

    private var encoderOptions: EncoderOptions {
        EncoderOptions(
            literalPlus: capabilities.contains(.literalPlus),
            literalMinus: capabilities.contains(.literalMinus),
            utf8Accept: enabled.contains("UTF8=ACCEPT"))
    }

    private func makeTag() -> String {
        defer { nextTag += 1 }
        return "t\(nextTag)"
    }

    /// Writes one command (the caller holds the send lock) and registers it as in flight.
    func send(_ command: Command) async throws(IMAPError) -> String {
        if let closedError { throw closedError }
        let tag = makeTag()
        earlyContinuation = nil
        let encoded: EncodedCommand
        do {
            encoded = try CommandEncoder.encode(tag: tag, command: command, options: encoderOptions)
        } catch {
            throw IMAPError(.unsupported, "cannot send \(command.name): \(error)", command: command.name)
        }
        inFlight.append(InFlight(tag: tag, name: command.name, bytesBefore: bytesMoved))
        configuration.trace?.record(.sent, encoded.redactedDescription, connection: configuration.label)
        for (index, part) in encoded.parts.enumerated() {
            switch part {
            case .bytes(let bytes):
                // The server must see the whole command, or the line a `+` answers: flush there.
                let flush = index == encoded.parts.count - 1 || encoded.parts[index + 1] == .awaitContinuation
                try await write(bytes, flush: flush)
            case .awaitContinuation:
                switch await waitForContinuation(tag: tag) {
                case .proceed: continue
                case .completed: return tag  // refused before the literal; the tagged NO is the answer
                case .failed(let error): throw error
                }
            }
        }
        return tag
    }

    /// Sends raw bytes while the caller holds the send lock (SASL responses).
    func sendContinuationLine(_ bytes: [UInt8]) async throws(IMAPError) {
        configuration.trace?.record(.sent, "<redacted>", connection: configuration.label)
        try await write((bytes + [13, 10])[...])
    }

    /// Writes bytes (the caller holds the send lock), deflated when COMPRESS is on; `flush`
    /// ends a write batch, after which the server can read everything written so far.
    private func write(_ bytes: ArraySlice<UInt8>, flush: Bool = true) async throws(IMAPError) {
        guard let deflater else { return try await transmit(bytes) }
        var start = bytes.startIndex
        repeat {
            // Chunked, so a 50 MB message never has a 50 MB compressed copy.
            let end = bytes.index(start, offsetBy: Deflater.inputChunk, limitedBy: bytes.endIndex) ?? bytes.endIndex
            let compressed: [UInt8]
            do {
                compressed = try deflater.compress(bytes[start..<end], flush: flush && end == bytes.endIndex)
            } catch {
                let failure = IMAPError(.protocolViolation, "\(configuration.label): \(error)")
                closeNow(failure)
                throw failure
            }
            if !compressed.isEmpty { try await transmit(compressed[...]) }
            start = end
        } while start < bytes.endIndex
    }

    private func transmit(_ bytes: ArraySlice<UInt8>) async throws(IMAPError) {
        if let closedError { throw closedError }
        do {
            try await stream.write(bytes)
            lastActivity = .now
            bytesMoved += Int64(bytes.count)
        } catch {
            let failure = IMAPError(error)
            closeNow(failure)
            throw failure
        }
    }

    func waitForContinuation(tag: String) async -> ContinuationOutcome {
        if let closedError { return .failed(closedError) }
        if let early = earlyContinuation {
            earlyContinuation = nil
            return .proceed(early)
        }
        if finished[tag] != nil { return .completed }
        return await withCheckedContinuation { continuation in
            continuationWaiter = (tag, continuation)
        }
    }

    func acquireSendLock() async {
        if !sending {
            sending = true
            return
        }
        await withCheckedContinuation { sendWaiters.append($0) }
    }

    func releaseSendLock() {
        if sendWaiters.isEmpty {
            sending = false
        } else {
            sendWaiters.removeFirst().resume()
        }
    }

    /// Sends a command whose exchange needs continuation lines (AUTHENTICATE), handing each
    /// server challenge to `respond`, which returns the next line to send.
    func exchange(
        _ command: Command, respond: (ContinuationRequest) async throws(IMAPError) -> [UInt8]
    ) async throws(IMAPError) -> CommandResult {
        await acquireSendLock()
        defer { releaseSendLock() }
        let tag = try await send(command)
        while true {
            switch await waitForContinuation(tag: tag) {
            case .completed: return try await completion(of: tag).get()
            case .failed(let error): throw error
            case .proceed(let challenge):
                try await sendContinuationLine(try await respond(challenge))
            }
        }
    }

    func completion(of tag: String) async -> Result<CommandResult, IMAPError> {
        if let result = finished.removeValue(forKey: tag) { return result }
        return await withCheckedContinuation { completionWaiters[tag] = $0 }
    }

    private func complete(_ tag: String, with result: Result<CommandResult, IMAPError>) {
        if let waiter = completionWaiters.removeValue(forKey: tag) {
            waiter.resume(returning: result)
        } else {
            finished[tag] = result
        }
        if let waiting = continuationWaiter, waiting.tag == tag {
            continuationWaiter = nil
            waiting.continuation.resume(returning: .completed)
        }
    }

    // MARK: - Receiving

    private func readLoop() async {
        while closedError == nil {
            let bytes: [UInt8]
            do {
                bytes = try await stream.read()
            } catch {
                closeNow(IMAPError(error))
                return
            }
            lastActivity = .now
            bytesMoved += Int64(bytes.count)
            if bytes.isEmpty {
                let said = byeText.map { "the server said BYE: \($0)" } ?? "the server closed the connection"
                closeNow(IMAPError(.connectionClosed, "\(configuration.label): \(said)", serverText: byeText))
                return
            }
            do {
                try receive(bytes)
            } catch let error as CompressionError {
                closeNow(IMAPError(.protocolViolation, "\(configuration.label): \(error)"))
                return
            } catch {
                closeNow(IMAPError(.protocolViolation,
                    "\(configuration.label) sent an invalid response: \(error)"))
                return
            }
        }
    }

    /// Frames, parses and delivers what the stream delivered, inflating it first once COMPRESS
    /// is on. The OK to COMPRESS switches over mid-buffer: the bytes behind it are compressed.
    private func receive(_ bytes: [UInt8]) throws {
        if let inflater { inflater.feed(bytes) } else { framer.append(bytes) }
        while true {
            while let frame = try framer.nextFrame() {
                let wasCompressed = inflater != nil
                traceReceived(frame)
                deliver(try ResponseParser.parse(frame))
                if !wasCompressed, let inflater {
                    inflater.feed(framer.takeUnframedBytes())
                    break
                }
            }
            guard let inflater else { return }
            // Bounded steps: each is framed (and checked against the limits) before the next.
            let plain = try inflater.next()
            if plain.isEmpty { return }
            framer.append(plain)
        }
    }

    private func deliver(_ response: Response) {
        switch response {
        case .tagged(let tagged):
            guard let index = inFlight.firstIndex(where: { $0.tag == tagged.tag }) else {
                closeNow(IMAPError(.protocolViolation,
                    "\(configuration.label) answered tag \(tagged.tag), which no command in flight has"))
                return
            }
            let command = inFlight.remove(at: index)
            if command.name == "COMPRESS" { compressionAnswered(tagged.state) }
            if case .alert = tagged.state.code { alerts.append(tagged.state.text) }
            if case .capability(let list) = tagged.state.code { capabilities = Set(list) }
            complete(command.tag, with: .success(CommandResult(untagged: command.untagged, state: tagged.state)))
        case .untagged(let untagged):
            observe(untagged)
            if inFlight.isEmpty {
                unsolicited.append(untagged)
            } else {
                inFlight[0].untagged.append(untagged)
            }
        case .continuation(let request):
            if let waiting = continuationWaiter {
                continuationWaiter = nil
                waiting.continuation.resume(returning: .proceed(request))
            } else if sending {
                // The sender is still writing the line the server answered; it will ask next.
                earlyContinuation = request
            }
            // Otherwise nobody asked for it; RFC 9051 §7.5 lets a client ignore it.
        }
    }

    private func observe(_ untagged: UntaggedResponse) {
        switch untagged {
        case .condition(.bye, _, let text): byeText = text
        case .condition(_, .alert, let text): alerts.append(text)
        case .condition(_, .capability(let list), _), .capability(let list): capabilities = Set(list)
        default: break
        }
    }

    private func traceReceived(_ frame: [UInt8]) {
        guard let trace = configuration.trace else { return }
        trace.record(.received, TraceFormatting.summarize(frame), connection: configuration.label)
    }

    // MARK: - Closing

    func closeNow(_ error: IMAPError) {
        guard closedError == nil else { return }
        closedError = error
        stream.close()
        watchdogTask?.cancel()
        let pending = inFlight
        inFlight = []
        for command in pending { complete(command.tag, with: .failure(error)) }
        if let waiting = continuationWaiter {
            continuationWaiter = nil
            waiting.continuation.resume(returning: .failed(error))
        }
    }

    /// Closes a connection whose server went silent while commands were in flight.
    private func watchdog() async {
        while closedError == nil {
            try? await Task.sleep(for: .seconds(1))
            if Task.isCancelled { return }
            let silent = ContinuousClock.now - lastActivity
            if !inFlight.isEmpty, silent > configuration.responseTimeout {
                closeNow(IMAPError(.timeout,
                    "\(configuration.label) sent nothing for \(configuration.responseTimeout) while "
                        + "\(inFlight[0].name) was waiting; closed the connection"))
            } else if let oldest = inFlight.first, let error = overdue(oldest) {
                closeNow(error)
            }
        }
    }

    /// The deadline error for a command past `commandTimeout` plus its bytes' time at `minimumRate`.
    private func overdue(_ command: InFlight) -> IMAPError? {
        let moved = bytesMoved - command.bytesBefore
        let allowance = configuration.commandTimeout
            + .seconds(Double(moved) / Double(max(1, configuration.minimumRate)))
        let elapsed = ContinuousClock.now - command.started
        guard elapsed > allowance else { return nil }
        let seconds = Int(elapsed.components.seconds)
        return IMAPError(.timeout,
            "\(configuration.label) (\(configuration.host):\(configuration.port)) has not finished \(command.name) "
                + "after \(seconds) s (\(moved) bytes moved; the limit is \(configuration.commandTimeout.components.seconds) s "
                + "plus 1 s per \(configuration.minimumRate) bytes); closed the connection. If the server is only slow, "
                + "raise --command-timeout (--command-timeout1 for a source, --command-timeout2 for a destination)",
            command: command.name)
    }

    static func failure(_ state: ResponseState, command: Command) -> IMAPError {
        let code = state.code.map { " [\($0.name)]" } ?? ""
        return IMAPError(.commandFailed, "\(command.name) failed: \(state.status.rawValue)\(code) \(state.text)",
            responseCode: state.code, serverText: state.text, command: command.name)
    }
}
