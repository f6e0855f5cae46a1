import TernCore

/// A mailbox name (RFC 9051 §5.1 `mailbox = "INBOX" / astring`).
///
/// Holds the bytes exactly as on the wire: modified UTF-7 (RFC 3501 §5.1.3) from a classic
/// server, or UTF-8 from one where UTF8=ACCEPT is enabled (RFC 6855). ``decoded`` gives the
/// human form either way. `INBOX` compares case-insensitively (RFC 9051 §5.1); every other name
/// compares byte for byte.
public struct MailboxName: Sendable, Hashable, CustomStringConvertible {
    /// The name's bytes as sent or received.
    public let bytes: [UInt8]

    /// Wraps wire bytes as received.
    public init(bytes: [UInt8]) {
        self.bytes = bytes
    }

    /// The name from its human form, stored as modified UTF-7 (the form every server accepts;
    /// the encoder sends UTF-8 instead when UTF8=ACCEPT is enabled).
    public init(decoded: String) {
        self.bytes = Array(ModifiedUTF7.encode(decoded).utf8)
    }

    /// `INBOX`.
    public static let inbox = MailboxName(bytes: Array("INBOX".utf8))

    /// True for any spelling of `INBOX`.
    public var isInbox: Bool {
        bytes.count == 5 && bytes.lazy.map { $0 & 0xDF }.elementsEqual("INBOX".utf8)
    }

    /// True when the bytes contain 8-bit characters, i.e. the server sent UTF-8.
    public var isUTF8: Bool { bytes.contains { $0 >= 0x80 } }

    /// The human-readable name: UTF-8 bytes as such; otherwise modified UTF-7 decoded, or the
    /// raw ASCII if it is not valid modified UTF-7 (some servers store such names verbatim).
    public var decoded: String {
        let raw = String(decoding: bytes, as: UTF8.self)
        if isUTF8 { return raw }
        return (try? ModifiedUTF7.decode(raw)) ?? raw
    }

    /// The name as a Swift string in wire form (modified UTF-7 or UTF-8).
    public var wireString: String { String(decoding: bytes, as: UTF8.self) }

    public var description: String { decoded }

    /// The name split at `separator`, each part decoded.
    public func components(separator: Character?) -> [String] {
        guard let separator else { return [decoded] }
        return decoded.split(separator: separator, omittingEmptySubsequences: false).map(String.init)
    }

    public static func == (lhs: MailboxName, rhs: MailboxName) -> Bool {
        if lhs.isInbox && rhs.isInbox { return true }
        return lhs.bytes == rhs.bytes
    }

    public func hash(into hasher: inout Hasher) {
        if isInbox {
            hasher.combine(MailboxName.inbox.bytes)
        } else {
            hasher.combine(bytes)
        }
    }
}

// MARK: - Encoding

extension MailboxName {
    /// The bytes to send: UTF-8 when UTF8=ACCEPT is enabled, else modified UTF-7 (a name
    /// received as UTF-8 is re-encoded; a 7-bit name goes out exactly as received).
    func wireBytes(utf8Accept: Bool) -> [UInt8] {
        if utf8Accept {
            return isUTF8 ? bytes : Array(decoded.utf8)
        }
        return isUTF8 ? Array(ModifiedUTF7.encode(decoded).utf8) : bytes
    }

    /// `mailbox = "INBOX" / astring`; `pattern` allows the `%` / `*` list wildcards.
    func write(to writer: inout CommandWriter, pattern: Bool = false) throws(IMAPProtocolError) {
        try writer.astring(wireBytes(utf8Accept: writer.options.utf8Accept), wildcards: pattern)
    }
}
