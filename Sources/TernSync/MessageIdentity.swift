import Foundation
import TernCore

/// How Tern recognises "the same message" on two servers without a UID map: a fingerprint
/// of identity headers that servers do not rewrite.
///
/// - With a Message-ID: Message-ID + Date + From + Subject (two different messages that share
///   a Message-ID — mailing-list copies, broken clients — still differ in the others).
/// - Without one: Date, From, To, Cc, Subject, In-Reply-To and References together.
///
/// Sizes are deliberately left out: servers differ in line endings and added headers, and a
/// size difference must never cause a duplicate. Identical copies inside one folder are
/// handled by counting (a multiset), not by the fingerprint.
public enum MessageIdentity {
    /// The header fields a fingerprint reads (fetch these with HEADER.FIELDS).
    public static let fields = ["message-id", "date", "from", "to", "cc", "subject", "in-reply-to", "references"]

    public static func fingerprint(_ headers: HeaderFields) -> String {
        func value(_ name: String) -> String { normalize(headers[name] ?? "") }
        let messageID = value("message-id").lowercased()
        let key: String
        if !messageID.isEmpty {
            key = "m|\(messageID)|\(value("date"))|\(value("from"))|\(value("subject"))"
        } else {
            key = "h|" + ["date", "from", "to", "cc", "subject", "in-reply-to", "references"]
                .map(value).joined(separator: "|")
        }
        return StableHash.hex128(Array(key.utf8))
    }

    /// Unfolds and collapses white space, so re-folded headers compare equal.
    static func normalize(_ text: String) -> String {
        text.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\r" || $0 == "\n" })
            .joined(separator: " ")
    }
}

/// A 128-bit non-cryptographic hash (two FNV-1a lanes), stable across runs and machines:
/// fingerprints are stored in the state database and compared between runs.
enum StableHash {
    static func hex128(_ bytes: [UInt8]) -> String {
        var first: UInt64 = 0xcbf2_9ce4_8422_2325
        var second: UInt64 = 0x8422_2325_cbf2_9ce4
        for byte in bytes {
            first = (first ^ UInt64(byte)) &* 0x0000_0100_0000_01B3
            second = (second ^ UInt64(byte ^ 0x5A)) &* 0x0000_0100_0000_01B3
            second = (second << 7) | (second >> 57)
        }
        return hex(first) + hex(second)
    }

    private static func hex(_ value: UInt64) -> String {
        let text = String(value, radix: 16)
        return String(repeating: "0", count: 16 - text.count) + text
    }
}
