/// A resource-record TYPE (RFC 1035 §3.2.2 and later RFCs). Unknown values are kept as numbers.
public struct RecordType: RawRepresentable, Hashable, Sendable, CustomStringConvertible, Codable {
    public let rawValue: UInt16
    public init(rawValue: UInt16) { self.rawValue = rawValue }

    public static let a = RecordType(rawValue: 1)
    public static let ns = RecordType(rawValue: 2)
    public static let cname = RecordType(rawValue: 5)
    public static let soa = RecordType(rawValue: 6)
    public static let ptr = RecordType(rawValue: 12)
    public static let mx = RecordType(rawValue: 15)
    public static let txt = RecordType(rawValue: 16)
    public static let aaaa = RecordType(rawValue: 28)
    public static let srv = RecordType(rawValue: 33)
    public static let opt = RecordType(rawValue: 41)
    public static let spf = RecordType(rawValue: 99)
    public static let tsig = RecordType(rawValue: 250)
    public static let any = RecordType(rawValue: 255)
    public static let caa = RecordType(rawValue: 257)

    static let names: [UInt16: String] = [
        1: "A", 2: "NS", 5: "CNAME", 6: "SOA", 12: "PTR", 15: "MX", 16: "TXT", 28: "AAAA", 33: "SRV",
        41: "OPT", 99: "SPF", 250: "TSIG", 255: "ANY", 257: "CAA",
    ]

    public var description: String { Self.names[rawValue] ?? "TYPE\(rawValue)" }

    /// Parses `MX`, `mx` or `TYPE15`.
    public init?(_ text: String) {
        let upper = text.uppercased()
        if let match = Self.names.first(where: { $0.value == upper }) {
            self.rawValue = match.key
        } else if upper.hasPrefix("TYPE"), let value = UInt16(upper.dropFirst(4)) {
            self.rawValue = value
        } else {
            return nil
        }
    }

    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        guard let value = RecordType(text) else { throw DNSError(.badInput, "unknown record type \(text)") }
        self = value
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}

/// A record CLASS (RFC 1035 §3.2.4; NONE and ANY as used by RFC 2136 updates).
public struct RecordClass: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
    public let rawValue: UInt16
    public init(rawValue: UInt16) { self.rawValue = rawValue }
    public static let internet = RecordClass(rawValue: 1)
    public static let none = RecordClass(rawValue: 254)
    public static let any = RecordClass(rawValue: 255)
    public var description: String {
        switch rawValue {
        case 1: "IN"
        case 254: "NONE"
        case 255: "ANY"
        default: "CLASS\(rawValue)"
        }
    }
}
