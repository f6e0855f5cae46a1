import Foundation
import TernCore

/// How Tern recognises "the same message" on two servers without a UID map: a fingerprint
/// of identity headers, read in a form that survives what servers do to headers on APPEND.
///
/// - With a Message-ID: Message-ID + Date + From + Subject (two different messages that share
///   a Message-ID — mailing-list copies, broken clients — still differ in the others).
/// - Without one: Date, From, To, Cc, Subject, In-Reply-To and References together.
///
/// Each value is reduced to its skeleton (`skeleton(_:)`): RFC 2047 encoded words decoded,
/// then only ASCII letters and digits kept, lower-cased, without `x`. So a copy still matches
/// when the destination re-folded a header, re-encoded it, or replaced its 8-bit bytes (Cyrus
/// turns each into `X`, others into `?`). Sizes are deliberately left out: servers differ in
/// line endings and added headers, and a size difference must never cause a duplicate.
/// Identical copies inside one folder are handled by counting (a multiset), not by the
/// fingerprint. `verify` tells an altered copy apart with `differences(_:_:)`.
public enum MessageIdentity {
    public static func fingerprint(_ headers: HeaderFields) -> String {
        hash(headers, version: "2", value: skeleton)
    }

    /// The fingerprint older state databases hold (white space collapsed, bytes otherwise as
    /// sent, before skeletons). Only computed to match such stored records; never written.
    static func legacyFingerprint(_ headers: HeaderFields) -> String {
        hash(headers, version: "") { text in
            text.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\r" || $0 == "\n" }).joined(separator: " ")
        }
    }

    /// The recipe both fingerprints share: with a Message-ID (lower-cased), it with Date, From
    /// and Subject; without, Date, From, To, Cc, Subject, In-Reply-To and References. `version`
    /// tags the key ("m2|…"), so two recipes never give the same hash.
    private static func hash(_ headers: HeaderFields, version: String, value read: (String) -> String) -> String {
        func value(_ name: String) -> String { read(headers[name] ?? "") }
        let messageID = value("message-id").lowercased()
        let key: String
        if !messageID.isEmpty {
            key = "m\(version)|\(messageID)|\(value("date"))|\(value("from"))|\(value("subject"))"
        } else {
            key = "h\(version)|" + ["date", "from", "to", "cc", "subject", "in-reply-to", "references"]
                .map(value).joined(separator: "|")
        }
        return StableHash.hex128(Array(key.utf8))
    }

    /// The identity headers whose text differs between a source message and its copy, beyond
    /// folding (for `verify`'s "altered"): `[(field, source, destination)]`, in the order of
    /// `IdentityHeaders.fields`.
    public static func differences(_ source: HeaderFields, _ copy: HeaderFields)
        -> [(field: String, source: String, destination: String)]
    {
        IdentityHeaders.fields.compactMap { name in
            let before = collapsed(source[name] ?? ""), after = collapsed(copy[name] ?? "")
            return before == after ? nil : (name, before, after)
        }
    }

    /// A header value as identity sees it: encoded words decoded to bytes, then only ASCII
    /// letters and digits but `x`, lower-cased. 8-bit bytes carry no identity: servers
    /// replace them (with `X` or `?`) or encode them, each its own way.
    static func skeleton(_ text: String) -> String {
        var kept: [UInt8] = []
        for byte in EncodedWords.decodedBytes(text) {
            let lower = byte | 0x20
            if (byte >= 0x30 && byte <= 0x39) || (lower >= 0x61 && lower <= 0x7A && lower != 0x78) {
                kept.append(byte >= 0x41 && byte <= 0x5A ? lower : byte)
            }
        }
        return String(decoding: kept, as: UTF8.self)
    }

    /// Unfolds and collapses white space, so re-folded headers compare equal.
    static func collapsed(_ text: String) -> String {
        text.split(whereSeparator: \.isWhitespace).joined(separator: " ")
    }
}

/// RFC 2047 encoded words (`=?charset?B|Q?text?=`) decoded to their bytes, whatever the
/// charset: identity keeps only ASCII from them, which every ASCII-compatible charset shares.
enum EncodedWords {
    static func decodedBytes(_ text: String) -> [UInt8] {
        let bytes = Array(text.utf8)
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count)
        var index = 0
        while index < bytes.count {
            if bytes[index] == 0x3D, index + 1 < bytes.count, bytes[index + 1] == 0x3F,
               let (decoded, next) = word(bytes, at: index) {
                out.append(contentsOf: decoded)
                index = next
            } else {
                out.append(bytes[index])
                index += 1
            }
        }
        return out
    }

    /// The encoded word starting at `start` ("=?"), decoded, and the index after its "?=".
    private static func word(_ bytes: [UInt8], at start: Int) -> ([UInt8], Int)? {
        // =?charset?E?text?=  — find the three inner '?' and the closing "?=".
        guard let charsetEnd = bytes[(start + 2)...].firstIndex(of: 0x3F), charsetEnd > start + 2,
              charsetEnd + 2 < bytes.count, bytes[charsetEnd + 2] == 0x3F else { return nil }
        let encoding = bytes[charsetEnd + 1] | 0x20
        let textStart = charsetEnd + 3
        var end = textStart
        while end + 1 < bytes.count, !(bytes[end] == 0x3F && bytes[end + 1] == 0x3D) {
            if bytes[end] == 0x20 { return nil }  // encoded words hold no spaces
            end += 1
        }
        guard end + 1 < bytes.count else { return nil }
        let payload = Array(bytes[textStart..<end])
        switch encoding {
        case 0x62:  // b
            var padded = String(decoding: payload, as: UTF8.self)
            while padded.count % 4 != 0 { padded += "=" }
            guard let data = Data(base64Encoded: padded) else { return nil }
            return (Array(data), end + 2)
        case 0x71:  // q
            var out: [UInt8] = []
            var i = 0
            while i < payload.count {
                if payload[i] == 0x5F {
                    out.append(0x20)
                } else if payload[i] == 0x3D, i + 2 < payload.count,
                          let value = UInt8(String(decoding: payload[(i + 1)...(i + 2)], as: UTF8.self), radix: 16) {
                    out.append(value)
                    i += 2
                } else {
                    out.append(payload[i])
                }
                i += 1
            }
            return (out, end + 2)
        default:
            return nil
        }
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
