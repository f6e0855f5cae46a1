import TernTLS

/// The part of a connection before pipelining starts: greeting, and for `.starttls` the
/// upgrade. It reads directly from the stream so nothing sent before TLS is buffered past it.
struct Handshake {
    struct Outcome {
        var state: ResponseState
        var capabilities: [Capability]
        var preauthenticated: Bool
    }

    let stream: NetworkStream
    let configuration: ConnectionConfiguration
    private var framer = ResponseFramer()

    init(stream: NetworkStream, configuration: ConnectionConfiguration) {
        self.stream = stream
        self.configuration = configuration
    }

    mutating func run() async throws(IMAPError) -> Outcome {
        let label = configuration.label
        guard case .untagged(.condition(let status, let code, let text)) = try await readResponse() else {
            throw IMAPError(.protocolViolation, "\(label) did not start with an IMAP greeting")
        }
        var capabilities: [Capability] = []
        if case .capability(let list) = code { capabilities = list }
        let state = ResponseState(status: .ok, code: code, text: text)
        switch status {
        case .ok: break
        case .preauth:
            if configuration.security == .starttls {
                // RFC 9051 §7.1.4: after PREAUTH no STARTTLS is possible; we will not go on in the clear.
                throw IMAPError(.transport(.startTLSUnavailable),
                    "\(label) pre-authenticated the plaintext connection, so STARTTLS cannot be used; "
                        + "use --tls implicit")
            }
            return Outcome(state: state, capabilities: capabilities, preauthenticated: true)
        case .bye:
            throw IMAPError(.connectionClosed, "\(label) refused the connection: \(text)", serverText: text)
        default:
            throw IMAPError(.protocolViolation, "\(label) sent an unexpected greeting: \(status.rawValue) \(text)")
        }
        guard configuration.security == .starttls else {
            return Outcome(state: state, capabilities: capabilities, preauthenticated: false)
        }
        if capabilities.isEmpty {
            let reply = try await command("h1 CAPABILITY")
            for case .capability(let list) in reply.untagged { capabilities = list }
        }
        guard capabilities.contains(.startTLS), !configuration.ignoredCapabilities.contains(.startTLS) else {
            throw IMAPError(.transport(.startTLSUnavailable),
                "\(label) does not offer STARTTLS; use --tls implicit (usually port 993). "
                    + "Tern does not fall back to plaintext")
        }
        let reply = try await command("h2 STARTTLS")
        guard reply.state.status == .ok else {
            throw IMAPError(.transport(.startTLSUnavailable),
                "\(label) refused STARTTLS: \(reply.state.text); Tern does not fall back to plaintext",
                serverText: reply.state.text)
        }
        guard framer.bufferedByteCount == 0 else {
            throw IMAPError(.transport(.startTLSUnavailable),
                "\(label) sent data after agreeing to STARTTLS (possible response injection); refusing")
        }
        do {
            try await stream.startTLS(configuration.tls, timeout: configuration.connectTimeout)
        } catch {
            throw IMAPError(error)
        }
        // Capabilities learned in plaintext are not trusted after the upgrade (RFC 9051 §6.2.1).
        return Outcome(state: state, capabilities: [], preauthenticated: false)
    }

    /// Sends one command line and reads until its tagged completion.
    private mutating func command(_ line: String) async throws(IMAPError) -> CommandResult {
        configuration.trace?.record(.sent, line, connection: configuration.label)
        do {
            try await stream.write(Array((line + "\r\n").utf8))
        } catch {
            throw IMAPError(error)
        }
        let tag = String(line.prefix { $0 != " " })
        var untagged: [UntaggedResponse] = []
        while true {
            switch try await readResponse() {
            case .tagged(let tagged) where tagged.tag == tag:
                return CommandResult(untagged: untagged, state: tagged.state)
            case .untagged(let response):
                untagged.append(response)
            default:
                throw IMAPError(.protocolViolation, "\(configuration.label) answered \(tag) out of order")
            }
        }
    }

    private mutating func readResponse() async throws(IMAPError) -> Response {
        while true {
            do {
                if let frame = try framer.nextFrame() {
                    configuration.trace?.record(.received, TraceFormatting.summarize(frame),
                        connection: configuration.label)
                    return try ResponseParser.parse(frame)
                }
            } catch {
                throw IMAPError(.protocolViolation, "\(configuration.label) sent an invalid response: \(error)")
            }
            let bytes: [UInt8]
            do {
                bytes = try await stream.read()
            } catch {
                throw IMAPError(error)
            }
            if bytes.isEmpty {
                let hint = configuration.security == .implicit ? "" : " (is this a TLS-only port? try --tls implicit)"
                throw IMAPError(.connectionClosed,
                    "\(configuration.label) closed the connection before greeting\(hint)")
            }
            framer.append(bytes)
        }
    }
}

/// Renders received bytes for a trace: short frames in full (control bytes escaped), long
/// ones (message bodies) as their first line and a byte count.
enum TraceFormatting {
    static func summarize(_ frame: [UInt8]) -> String {
        let limit = 1024
        let shown = frame.count <= limit ? frame[...] : frame.prefix { $0 != 10 }.prefix(limit)
        var text = ""
        for byte in shown {
            switch byte {
            case 13, 10: continue
            case 0x20..<0x7F, 0x80...: text.unicodeScalars.append(Unicode.Scalar(byte))
            default: text += "\\x" + String(byte, radix: 16)
            }
        }
        if frame.count > limit { text += " … <\(frame.count) bytes>" }
        return text
    }
}
