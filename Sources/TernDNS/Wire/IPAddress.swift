#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// An IPv4 or IPv6 address, parsed and printed with the C library's `inet_pton`/`inet_ntop`
/// (strict dotted-quad; RFC 5952 text for IPv6).
public enum IPAddress: Hashable, Sendable, CustomStringConvertible, Codable {
    case v4([UInt8])
    case v6([UInt8])

    public init?(_ text: String) {
        if let bytes = Self.parse(text, family: AF_INET, size: 4) {
            self = .v4(bytes)
        } else if let bytes = Self.parse(text, family: AF_INET6, size: 16) {
            self = .v6(bytes)
        } else {
            return nil
        }
    }

    private static func parse(_ text: String, family: Int32, size: Int) -> [UInt8]? {
        var buffer = [UInt8](repeating: 0, count: size)
        let status = text.withCString { inet_pton(family, $0, &buffer) }
        return status == 1 ? buffer : nil
    }

    public var bytes: [UInt8] {
        switch self {
        case .v4(let bytes), .v6(let bytes): bytes
        }
    }

    public var isIPv4: Bool { if case .v4 = self { true } else { false } }

    /// An IPv4-mapped IPv6 address (`::ffff:a.b.c.d`) as IPv4; anything else unchanged.
    public var unmapped: IPAddress {
        if case .v6(let bytes) = self, bytes[0..<10].allSatisfy({ $0 == 0 }), bytes[10] == 0xFF, bytes[11] == 0xFF {
            return .v4(Array(bytes[12..<16]))
        }
        return self
    }

    public var description: String {
        var buffer = [CChar](repeating: 0, count: 64)
        let family = isIPv4 ? AF_INET : AF_INET6
        let bytes = self.bytes
        let ok = bytes.withUnsafeBytes { raw in
            inet_ntop(family, raw.baseAddress, &buffer, socklen_t(buffer.count)) != nil
        }
        guard ok else { return "?" }
        return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// True when the first `prefix` bits equal those of `network` (same family required).
    public func matches(_ network: IPAddress, prefix: Int) -> Bool {
        let mine = bytes, theirs = network.bytes
        guard mine.count == theirs.count, prefix >= 0, prefix <= mine.count * 8 else { return false }
        var bits = prefix
        for index in 0..<mine.count where bits > 0 {
            let take = min(8, bits)
            let mask = UInt8(truncatingIfNeeded: 0xFF << (8 - take))
            if mine[index] & mask != theirs[index] & mask { return false }
            bits -= take
        }
        return true
    }

    /// The reverse-lookup name (RFC 1035 §3.5 `in-addr.arpa`, RFC 3596 §2.5 `ip6.arpa`).
    public var reverseName: DNSName {
        switch self {
        case .v4(let bytes):
            let labels = bytes.reversed().map { Array(String($0).utf8) } + [Array("in-addr".utf8), Array("arpa".utf8)]
            return DNSName(uncheckedLabels: labels)
        case .v6(let bytes):
            var labels: [[UInt8]] = []
            for byte in bytes.reversed() {
                labels.append(Array(String(byte & 0xF, radix: 16).utf8))
                labels.append(Array(String(byte >> 4, radix: 16).utf8))
            }
            return DNSName(uncheckedLabels: labels + [Array("ip6".utf8), Array("arpa".utf8)])
        }
    }

    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        guard let address = IPAddress(text) else { throw DNSError(.badInput, "'\(text)' is not an IP address") }
        self = address
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}

func hexString(_ bytes: [UInt8]) -> String {
    let digits = Array("0123456789abcdef".utf8)
    var out: [UInt8] = []
    out.reserveCapacity(bytes.count * 2)
    for byte in bytes {
        out.append(digits[Int(byte >> 4)])
        out.append(digits[Int(byte & 0xF)])
    }
    return String(decoding: out, as: UTF8.self)
}

func bytesFromHex(_ text: String) -> [UInt8]? {
    let chars = Array(text.utf8)
    guard chars.count % 2 == 0 else { return nil }
    var out: [UInt8] = []
    var index = 0
    while index < chars.count {
        guard let high = hexValue(chars[index]), let low = hexValue(chars[index + 1]) else { return nil }
        out.append(high << 4 | low)
        index += 2
    }
    return out
}

private func hexValue(_ char: UInt8) -> UInt8? {
    switch char {
    case 0x30...0x39: char - 0x30
    case 0x61...0x66: char - 0x61 + 10
    case 0x41...0x46: char - 0x41 + 10
    default: nil
    }
}
