/// A domain name (RFC 1035 §3.1): a sequence of labels, each 1–63 octets, at most 255 octets on
/// the wire. Comparison and hashing ignore ASCII case (RFC 4343). Always absolute.
public struct DNSName: Hashable, Sendable, CustomStringConvertible, Codable {
    /// Labels from leftmost to rightmost; the root label is implicit.
    public let labels: [[UInt8]]

    public static let root = DNSName(uncheckedLabels: [])

    init(uncheckedLabels: [[UInt8]]) { self.labels = uncheckedLabels }

    /// Builds a name from labels, enforcing the RFC 1035 length limits.
    public init(labels: [[UInt8]]) throws {
        var wire = 1
        for label in labels {
            guard !label.isEmpty else { throw DNSError(.badInput, "a domain name has an empty label; remove the doubled dot") }
            guard label.count <= DNSLimits.maxLabelLength else {
                throw DNSError(.labelTooLong, "a label is \(label.count) octets; DNS allows at most 63 per label")
            }
            wire += 1 + label.count
        }
        guard wire <= DNSLimits.maxNameWireLength else {
            throw DNSError(.nameTooLong, "the name is \(wire) octets on the wire; DNS allows at most 255")
        }
        self.labels = labels
    }

    /// Parses presentation form: `mail.example.com`, with or without the final dot; `\.` and
    /// `\DDD` escapes. `"."` and `""` are the root.
    public init(_ text: String) throws {
        if text == "." || text.isEmpty { self = .root; return }
        var labels: [[UInt8]] = []
        var current: [UInt8] = []
        let chars = Array(text.utf8)
        var index = 0
        while index < chars.count {
            let byte = chars[index]
            if byte == UInt8(ascii: ".") {
                guard !current.isEmpty else {
                    throw DNSError(.badInput, "'\(text)' has an empty label; remove the doubled or leading dot", name: text)
                }
                labels.append(current)
                current = []
                index += 1
                if index == chars.count { break }
                continue
            }
            if byte == UInt8(ascii: "\\"), index + 1 < chars.count {
                if index + 3 < chars.count, let value = Self.decimal(chars[index + 1...index + 3]) {
                    guard value <= 255 else { throw DNSError(.badInput, "bad \\DDD escape in '\(text)'", name: text) }
                    current.append(UInt8(value))
                    index += 4
                } else {
                    current.append(chars[index + 1])
                    index += 2
                }
                continue
            }
            current.append(byte)
            index += 1
        }
        if !current.isEmpty { labels.append(current) }
        do {
            try self.init(labels: labels)
        } catch let error as DNSError {
            throw error.with(name: text)
        }
    }

    private static func decimal(_ digits: ArraySlice<UInt8>) -> Int? {
        var value = 0
        for digit in digits {
            guard digit >= 0x30, digit <= 0x39 else { return nil }
            value = value * 10 + Int(digit - 0x30)
        }
        return value
    }

    /// Presentation form with the final dot, escaping dots, backslashes and non-printables.
    public var description: String {
        if labels.isEmpty { return "." }
        return labels.map(Self.escape).joined(separator: ".") + "."
    }

    /// Presentation form without the final dot (how mail people write names).
    public var text: String {
        labels.isEmpty ? "." : String(description.dropLast())
    }

    static func escape(_ label: [UInt8]) -> String {
        var out = ""
        for byte in label {
            switch byte {
            case UInt8(ascii: "."), UInt8(ascii: "\\"), UInt8(ascii: "\""), UInt8(ascii: ";"),
                UInt8(ascii: "("), UInt8(ascii: ")"):
                out += "\\" + String(UnicodeScalar(byte))
            case 0x21...0x7E:
                out.append(Character(UnicodeScalar(byte)))
            default:
                let digits = String(byte)
                out += "\\" + String(repeating: "0", count: 3 - digits.count) + digits
            }
        }
        return out
    }

    static func key<C: Collection>(_ labels: C) -> String where C.Element == [UInt8] {
        labels.map { escape($0.map(asciiLower)) }.joined(separator: ".")
    }

    static func asciiLower(_ byte: UInt8) -> UInt8 { (byte >= 0x41 && byte <= 0x5A) ? byte + 0x20 : byte }

    /// The lower-cased (canonical, RFC 4034 §6.2) form.
    public var lowercased: DNSName { DNSName(uncheckedLabels: labels.map { $0.map(Self.asciiLower) }) }

    public static func == (lhs: DNSName, rhs: DNSName) -> Bool {
        guard lhs.labels.count == rhs.labels.count else { return false }
        for (left, right) in zip(lhs.labels, rhs.labels) where left.count != right.count
            || !zip(left, right).allSatisfy({ asciiLower($0) == asciiLower($1) }) {
            return false
        }
        return true
    }

    public func hash(into hasher: inout Hasher) {
        for label in labels { hasher.combine(label.map(Self.asciiLower)) }
    }

    /// Octets this name takes uncompressed on the wire.
    public var wireLength: Int { labels.reduce(1) { $0 + 1 + $1.count } }

    /// The name with its leftmost label removed (the root's parent is the root).
    public var parent: DNSName { labels.isEmpty ? self : DNSName(uncheckedLabels: Array(labels.dropFirst())) }

    /// True when `self` equals `other` or lies below it.
    public func isSubdomain(of other: DNSName) -> Bool {
        guard labels.count >= other.labels.count else { return false }
        return DNSName(uncheckedLabels: Array(labels.suffix(other.labels.count))) == other
    }

    /// `prefix` labels prepended: `DNSName("example.com").prepending("_dmarc")`.
    public func prepending(_ prefix: String) throws -> DNSName {
        let head = try DNSName(prefix)
        return try DNSName(labels: head.labels + labels)
    }

    /// The last `count` labels.
    public func suffix(_ count: Int) -> DNSName { DNSName(uncheckedLabels: Array(labels.suffix(count))) }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        try self.init(try container.decode(String.self))
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}

// MARK: - Wire decoding

extension DNSName {
    /// Decodes a possibly compressed name at `reader.offset` (RFC 1035 §4.1.4). Every pointer must
    /// point strictly before the segment it was found in, so loops are impossible; label and name
    /// lengths are checked as they accumulate.
    static func decode(_ reader: inout ByteReader) throws -> DNSName {
        let bytes = reader.bytes
        var labels: [[UInt8]] = []
        var position = reader.offset
        var segmentStart = reader.offset
        var resumeAt: Int?
        var hops = 0
        var wire = 1
        while true {
            let sequentialLimit = resumeAt == nil ? reader.limit : bytes.count
            guard position < sequentialLimit else { throw ByteReader.truncated() }
            let length = Int(bytes[position])
            switch length & 0xC0 {
            case 0x00:
                if length == 0 {
                    reader.offset = resumeAt ?? position + 1
                    return DNSName(uncheckedLabels: labels)
                }
                guard position + 1 + length <= sequentialLimit else { throw ByteReader.truncated() }
                wire += 1 + length
                guard wire <= DNSLimits.maxNameWireLength else {
                    throw DNSError(.nameTooLong, "a name in the message is over 255 octets; the server sent a malformed answer")
                }
                labels.append(Array(bytes[position + 1..<position + 1 + length]))
                position += 1 + length
            case 0xC0:
                guard position + 1 < sequentialLimit else { throw ByteReader.truncated() }
                let target = (length & 0x3F) << 8 | Int(bytes[position + 1])
                hops += 1
                guard target < segmentStart, hops <= DNSLimits.maxPointerHops else {
                    throw DNSError(.compressionLoop, "a compression pointer does not point backwards (loop or forward reference); the message is malformed")
                }
                if resumeAt == nil { resumeAt = position + 2 }
                position = target
                segmentStart = target
            default:
                throw DNSError(.badLabelType, "label type 0x\(String(length & 0xC0, radix: 16)) is not supported (RFC 6891 deprecates extended labels)")
            }
        }
    }
}
