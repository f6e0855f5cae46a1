extension IMAPConnection {
    /// Whether COMPRESS=DEFLATE is on, and how much it saved so far; nil when it is off.
    public var compression: CompressionStatistics? {
        guard let deflater, let inflater else { return nil }
        return CompressionStatistics(
            sentBytes: deflater.totalIn, sentCompressedBytes: deflater.totalOut,
            receivedBytes: inflater.totalOut, receivedCompressedBytes: inflater.totalIn)
    }

    /// Turns on COMPRESS=DEFLATE (RFC 4978) when the configuration allows it and the server
    /// offers it; `authenticate` (and `connect`, after a PREAUTH greeting) call it, so callers
    /// need not. Returns whether compression is on afterwards.
    ///
    /// RFC 4978 §3: only once authenticated, and never over a SASL security layer — Tern
    /// negotiates none (PLAIN, LOGIN, XOAUTH2 and OAUTHBEARER have no security layer), so TLS
    /// stays the only layer under compression. Nothing else is sent until the answer has
    /// arrived (the send lock is held), and the OK switches both directions over before any
    /// further byte is read or written. A NO or BAD leaves the connection uncompressed and
    /// usable; `NO [COMPRESSIONACTIVE]` while Tern did not turn it on means the two ends
    /// disagree about the stream, and closes the connection.
    @discardableResult
    public func startCompression() async throws(IMAPError) -> Bool {
        if deflater != nil { return true }
        guard configuration.compression, isAuthenticated, capabilities.contains(.compress("DEFLATE")) else {
            return false
        }
        await acquireSendLock()
        defer { releaseSendLock() }
        // Pipelined answers still on their way would arrive compressed or not depending on the
        // server's timing; wait for a quiet connection (a later login-time call finds one).
        guard commandsInFlight == 0 else { return false }
        do {
            pendingCompression = (try Deflater(), try Inflater())
        } catch {
            configuration.trace?.record(.note, "compression not started: \(error)", connection: configuration.label)
            return false
        }
        let tag: String
        do {
            tag = try await send(.compress("DEFLATE"))
        } catch {
            pendingCompression = nil
            throw error
        }
        let result = try await completion(of: tag).get()
        pendingCompression = nil
        if deflater != nil { return true }
        if case .other(let code, _) = result.state.code, code == "COMPRESSIONACTIVE" {
            let failure = IMAPError(.protocolViolation,
                "\(configuration.label) says compression is already active, but Tern did not turn it on; "
                    + "closing (turn compression off for this server: --no-compress1 / --no-compress2)",
                responseCode: result.state.code, serverText: result.state.text, command: "COMPRESS")
            closeNow(failure)
            throw failure
        }
        configuration.trace?.record(.note, "the server refused COMPRESS DEFLATE; continuing uncompressed",
            connection: configuration.label)
        return false
    }

    /// The tagged answer to COMPRESS, seen by the reader before anything after it is read.
    func compressionAnswered(_ state: ResponseState) {
        guard state.status == .ok, let (deflater, inflater) = pendingCompression else { return }
        pendingCompression = nil
        self.deflater = deflater
        self.inflater = inflater
        configuration.trace?.record(.note, "COMPRESS=DEFLATE on: the lines below are as sent and received "
            + "before compression", connection: configuration.label)
    }
}
