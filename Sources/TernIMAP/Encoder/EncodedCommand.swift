/// What the encoder needs to know about the server (RFC 7888 literals, RFC 6855 UTF-8).
public struct EncoderOptions: Sendable, Equatable {
    /// LITERAL+: every literal may be non-synchronizing (`{n+}`).
    public var literalPlus: Bool
    /// LITERAL-: non-synchronizing literals only up to ``literalMinusLimit`` bytes.
    public var literalMinus: Bool
    /// UTF8=ACCEPT has been ENABLEd: mailbox names and quoted strings go out as UTF-8.
    public var utf8Accept: Bool

    /// RFC 7888 §4: LITERAL- allows `{n+}` only for n ≤ 4096.
    public static let literalMinusLimit = 4096

    public init(literalPlus: Bool = false, literalMinus: Bool = false, utf8Accept: Bool = false) {
        self.literalPlus = literalPlus
        self.literalMinus = literalMinus
        self.utf8Accept = utf8Accept
    }

    /// Options from the server's capabilities; `utf8Enabled` only after `ENABLED UTF8=ACCEPT`.
    public init(capabilities: [Capability], utf8Enabled: Bool = false) {
        self.init(
            literalPlus: capabilities.contains(.literalPlus),
            literalMinus: capabilities.contains(.literalMinus),
            utf8Accept: utf8Enabled)
    }

    /// Plain IMAP4rev1: synchronizing literals, modified UTF-7 names.
    public static let `default` = EncoderOptions()

    /// True when a literal of `count` bytes may be sent without waiting for `+`.
    func allowsNonSynchronizing(_ count: Int) -> Bool {
        literalPlus || (literalMinus && count <= Self.literalMinusLimit)
    }
}

/// A command ready for the wire, as parts to write in order.
///
/// Write each ``Part/bytes(_:)`` part; at ``Part/awaitContinuation`` stop and wait for the
/// server's `+` continuation request before writing the next part (a synchronizing literal,
/// RFC 9051 §4.3). If the server answers the tag with NO/BAD instead, the command is over:
/// drop the remaining parts. The last part always ends in CRLF.
public struct EncodedCommand: Sendable, Equatable {
    /// One piece of the command.
    public enum Part: Sendable, Equatable {
        case bytes(ArraySlice<UInt8>)
        /// Wait for a `+` continuation request before sending the next part.
        case awaitContinuation
    }

    public var tag: String
    public var parts: [Part]
    /// The command as text for traces: passwords, SASL responses and message bodies replaced
    /// by `<redacted>` / `{n bytes}`. Never contains a secret.
    public var redactedDescription: String

    public init(tag: String, parts: [Part], redactedDescription: String) {
        self.tag = tag
        self.parts = parts
        self.redactedDescription = redactedDescription
    }

    /// How many continuation requests the command needs.
    public var continuationCount: Int { parts.filter { $0 == .awaitContinuation }.count }

    /// Total bytes that go on the wire.
    public var byteCount: Int {
        parts.reduce(0) { total, part in
            if case .bytes(let bytes) = part { return total + bytes.count }
            return total
        }
    }

    /// All bytes concatenated, ignoring waits (tests and traces; copies message bodies).
    public var wireBytes: [UInt8] {
        var result: [UInt8] = []
        for case .bytes(let bytes) in parts { result.append(contentsOf: bytes) }
        return result
    }
}
