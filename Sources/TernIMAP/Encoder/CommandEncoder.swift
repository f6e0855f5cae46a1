import TernCore

/// Encodes ``Command`` values into wire parts (RFC 9051 §6, with LITERAL+/- per RFC 7888,
/// UTF8=ACCEPT per RFC 6855, MULTIAPPEND per RFC 3502).
///
/// The connection writes ``EncodedCommand/parts`` in order and waits for a `+` at each
/// ``EncodedCommand/Part/awaitContinuation``. Throws ``IMAPProtocolError`` (kind
/// `.unencodable`) for values that cannot be sent: a NUL in a string, CR/LF in a raw command
/// or tag, an empty set, a flag with atom-specials.
public enum CommandEncoder {
    public static func encode(
        tag: String, command: Command, options: EncoderOptions = .default
    ) throws(IMAPProtocolError) -> EncodedCommand {
        guard !tag.isEmpty, tag.utf8.allSatisfy({ (0x21...0x7E).contains($0) && !"(){%*\"\\]+".utf8.contains($0) })
        else {
            throw IMAPProtocolError(.unencodable, "invalid tag \"\(tag)\"")
        }
        var writer = CommandWriter(options: options)
        writer.text(tag)
        writer.space()
        try write(command, to: &writer)
        return writer.finish(tag: tag)
    }

    /// A response to a SASL challenge (RFC 9051 §6.2.2): base64 of `response`, or `*` to
    /// cancel when nil. Redacted in its trace.
    public static func encodeSASLResponse(_ response: Secret?) -> EncodedCommand {
        let line = response.map { Base64.encode(Array($0.revealed.utf8)) } ?? "*"
        return EncodedCommand(
            tag: "", parts: [.bytes(Array((line + "\r\n").utf8)[...])],
            redactedDescription: response == nil ? "*" : "<redacted>")
    }

    /// `DONE` ending IDLE (RFC 2177).
    public static func encodeIdleDone() -> EncodedCommand {
        EncodedCommand(tag: "", parts: [.bytes(Array("DONE\r\n".utf8)[...])], redactedDescription: "DONE")
    }

    private static func write(_ command: Command, to writer: inout CommandWriter) throws(IMAPProtocolError) {
        switch command {
        case .capability: writer.text("CAPABILITY")
        case .noop: writer.text("NOOP")
        case .logout: writer.text("LOGOUT")
        case .startTLS: writer.text("STARTTLS")
        case .namespace: writer.text("NAMESPACE")
        case .expunge: writer.text("EXPUNGE")
        case .close: writer.text("CLOSE")
        case .unselect: writer.text("UNSELECT")
        case .idle: writer.text("IDLE")
        case .login(let user, let password):
            // login = "LOGIN" SP userid SP password
            writer.text("LOGIN ")
            try writer.astring(Array(user.utf8))
            writer.space()
            try writer.astring(Array(password.revealed.utf8), secret: true)
        case .authenticate(let mechanism, let initialResponse):
            // authenticate = "AUTHENTICATE" SP auth-type [SP initial-resp]; initial-resp = base64 / "="
            try requireAtom(mechanism, "SASL mechanism")
            writer.text("AUTHENTICATE \(mechanism)")
            if let initialResponse {
                let bytes = Array(initialResponse.revealed.utf8)
                writer.space()
                writer.secretText(bytes.isEmpty ? "=" : Base64.encode(bytes))
            }
        case .id(let fields):
            try writeID(fields, to: &writer)
        case .enable(let capabilities):
            writer.text("ENABLE")
            for capability in capabilities {
                try requireAtom(capability, "capability")
                writer.text(" " + capability)
            }
        case .compress(let algorithm):
            try requireAtom(algorithm, "compression algorithm")
            writer.text("COMPRESS \(algorithm)")
        case .raw(let line):
            guard !line.utf8.contains(where: { $0 == 0x0D || $0 == 0x0A || $0 == 0 }) else {
                throw IMAPProtocolError(.unencodable, "raw command contains CR, LF or NUL")
            }
            writer.text(line)
        default:
            try writeMailboxCommand(command, to: &writer)
        }
    }

    /// `id = "ID" SP id-params-list`, `id-params-list = "(" *(string SP nstring) ")" / nil`
    private static func writeID(_ fields: [IDField], to writer: inout CommandWriter) throws(IMAPProtocolError) {
        writer.text("ID ")
        guard !fields.isEmpty else {
            writer.text("NIL")
            return
        }
        writer.text("(")
        for (offset, field) in fields.enumerated() {
            if offset > 0 { writer.space() }
            try writer.string(Array(field.key.utf8))
            writer.space()
            if let value = field.value {
                try writer.string(Array(value.utf8))
            } else {
                writer.text("NIL")
            }
        }
        writer.text(")")
    }

    static func requireAtom(_ text: String, _ what: String) throws(IMAPProtocolError) {
        guard !text.isEmpty, text.utf8.allSatisfy({ (0x21...0x7E).contains($0) && !"(){\"\\]".utf8.contains($0) })
        else {
            throw IMAPProtocolError(.unencodable, "\(what) \"\(text)\" is not an atom")
        }
    }
}

extension CommandWriter {
    /// Text that is a secret: sent as is, shown as `<redacted>`.
    mutating func secretText(_ text: String) {
        appendSecret(Array(text.utf8))
    }
}
