import Foundation

/// A DKIM public-key record at `selector._domainkey.domain` (RFC 6376 §3.6.1; ed25519 from RFC 8463).
public struct DKIMKey: Sendable, Hashable, Codable {
    public enum KeyType: String, Sendable, Codable { case rsa, ed25519 }

    public var keyType: KeyType
    /// RSA modulus size or 256 for ed25519; 0 when revoked.
    public var bits: Int
    /// An empty `p=`: the key was revoked (RFC 6376 §3.6.1).
    public var revoked: Bool
    /// `s=` service types; `*` or `email` allow email signatures.
    public var services: [String]
    /// `h=` acceptable hash algorithms (empty = all).
    public var hashAlgorithms: [String]
    /// `t=y`: the domain is testing DKIM.
    public var testing: Bool
    /// `t=s`: the i= domain must equal d= exactly.
    public var strict: Bool

    public var usableForEmail: Bool { !revoked && (services.contains("*") || services.contains("email")) }

    /// Parses the joined TXT strings of a key record.
    public init(parsing text: String) throws {
        let tags = try TagList(parsing: text)
        if let version = tags["v"], version != "DKIM1" {
            throw PolicyError("v=\(version) is not DKIM1")
        }
        switch tags["k"]?.lowercased() ?? "rsa" {
        case "rsa": keyType = .rsa
        case "ed25519": keyType = .ed25519
        case let other: throw PolicyError("k=\(other) is not a DKIM key type (rsa or ed25519)")
        }
        hashAlgorithms = tags["h"].map { $0.split(separator: ":").map { $0.trimmingCharacters(in: .whitespacesAndNewlines).lowercased() } } ?? []
        if hashAlgorithms.contains(where: { $0 != "sha1" && $0 != "sha256" }) {
            throw PolicyError("h=\(tags["h"]!) lists an unknown hash algorithm")
        }
        services = tags["s"].map { $0.split(separator: ":").map { $0.trimmingCharacters(in: .whitespacesAndNewlines).lowercased() } } ?? ["*"]
        let flags = tags["t"].map { $0.split(separator: ":").map { $0.trimmingCharacters(in: .whitespacesAndNewlines).lowercased() } } ?? []
        testing = flags.contains("y")
        strict = flags.contains("s")
        guard let key = tags["p"] else { throw PolicyError("the record has no p= tag (public key)") }
        let base64 = key.filter { !$0.isWhitespace }
        if base64.isEmpty {
            revoked = true
            bits = 0
            return
        }
        revoked = false
        guard let data = Data(base64Encoded: base64) else { throw PolicyError("p= is not valid base64") }
        switch keyType {
        case .ed25519:
            guard data.count == 32 else { throw PolicyError("an ed25519 p= must be 32 octets, not \(data.count)") }
            bits = 256
        case .rsa:
            bits = try Self.rsaModulusBits([UInt8](data))
        }
    }

    /// Modulus size of a DER SubjectPublicKeyInfo (or bare RSAPublicKey), with strict lengths.
    static func rsaModulusBits(_ der: [UInt8]) throws -> Int {
        var reader = DER(bytes: der[...])
        var outer = try reader.element(tag: 0x30)
        guard reader.bytes.isEmpty else { throw PolicyError("p= has trailing bytes after the key") }
        var rsaKey: DER
        if outer.bytes.first == 0x30 { // SubjectPublicKeyInfo: AlgorithmIdentifier, BIT STRING
            var algorithm = try outer.element(tag: 0x30)
            let oid = try algorithm.element(tag: 0x06)
            guard Array(oid.bytes) == [0x2A, 0x86, 0x48, 0x86, 0xF7, 0x0D, 0x01, 0x01, 0x01] else {
                throw PolicyError("p= is not an RSA key")
            }
            var bitString = try outer.element(tag: 0x03)
            guard outer.bytes.isEmpty, bitString.bytes.first == 0 else { throw PolicyError("p= has a malformed BIT STRING") }
            bitString.bytes = bitString.bytes.dropFirst()
            rsaKey = try bitString.element(tag: 0x30)
            guard bitString.bytes.isEmpty else { throw PolicyError("p= has trailing bytes in its BIT STRING") }
        } else {
            rsaKey = outer
        }
        let modulus = try rsaKey.element(tag: 0x02)
        let exponent = try rsaKey.element(tag: 0x02)
        guard rsaKey.bytes.isEmpty, !exponent.bytes.isEmpty else { throw PolicyError("p= is not a complete RSA public key") }
        let significant = modulus.bytes.drop { $0 == 0 }
        guard let top = significant.first else { throw PolicyError("p= has a zero modulus") }
        return (significant.count - 1) * 8 + (8 - top.leadingZeroBitCount)
    }

    /// Minimal DER TLV reader: definite lengths only, every length checked against what remains.
    struct DER {
        var bytes: ArraySlice<UInt8>

        mutating func element(tag: UInt8) throws -> DER {
            guard let first = bytes.first, first == tag, bytes.count >= 2 else { throw PolicyError("p= is not a DER-encoded RSA key") }
            var index = bytes.startIndex + 1
            var length = Int(bytes[index])
            index += 1
            if length & 0x80 != 0 {
                let count = length & 0x7F
                guard count >= 1, count <= 3, bytes.endIndex - index >= count else { throw PolicyError("p= has a bad DER length") }
                length = 0
                for _ in 0..<count { length = length << 8 | Int(bytes[index]); index += 1 }
            }
            guard bytes.endIndex - index >= length else { throw PolicyError("p= is truncated (DER length runs past the end)") }
            let body = bytes[index..<index + length]
            bytes = bytes[(index + length)...]
            return DER(bytes: body)
        }
    }
}
