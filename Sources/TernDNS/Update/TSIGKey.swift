import Foundation
import TernTLS
import TernCore

/// A TSIG shared secret (RFC 8945 §4): key name, algorithm and secret. The secret is a
/// `Secret`, so it never prints.
public struct TSIGKey: Sendable {
    public var name: DNSName
    public var algorithm: DNSName
    public var secret: Secret

    public init(name: DNSName, algorithm: DNSName = TSIGKey.hmacSHA256, secretBase64: String) throws {
        guard Data(base64Encoded: secretBase64) != nil else {
            throw DNSError(.badKey, "the TSIG secret is not valid base64; copy it again from the key file")
        }
        guard Self.digest(for: algorithm) != nil else {
            throw DNSError(.badKey, "TSIG algorithm \(algorithm) is not supported; use hmac-sha256")
        }
        self.name = name
        self.algorithm = algorithm
        self.secret = Secret(secretBase64)
    }

    public static let hmacSHA256 = DNSName(uncheckedLabels: [Array("hmac-sha256".utf8)])

    static func digest(for algorithm: DNSName) -> HMAC.Algorithm? {
        switch algorithm.lowercased.text {
        case "hmac-sha256": .sha256
        case "hmac-sha384": .sha384
        case "hmac-sha512": .sha512
        case "hmac-sha1": .sha1
        default: nil
        }
    }

    var secretBytes: [UInt8] { [UInt8](Data(base64Encoded: secret.revealed) ?? Data()) }

    /// Reads a key file in either BIND/Knot form (`key "name" { algorithm hmac-sha256; secret "…"; };`)
    /// or the keymgr/knsupdate form `hmac-sha256:name:secret`.
    public static func load(path: String) throws -> TSIGKey {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
            throw DNSError(.badKey, "cannot read the TSIG key file \(path); check the path and its permissions")
        }
        return try parse(text)
    }

    public static func parse(_ text: String) throws -> TSIGKey {
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        if !trimmed.contains("{") {
            let parts = trimmed.split(separator: ":", maxSplits: 2).map(String.init)
            if parts.count == 3 {
                return try TSIGKey(name: try DNSName(parts[1]), algorithm: try DNSName(parts[0]), secretBase64: parts[2])
            }
            throw DNSError(.badKey, "the TSIG key file is neither `key \"name\" { algorithm …; secret \"…\"; };` nor `algorithm:name:secret`")
        }
        func capture(_ pattern: String) -> String? {
            guard let regex = try? NSRegularExpression(pattern: pattern),
                  let match = regex.firstMatch(in: trimmed, range: NSRange(trimmed.startIndex..., in: trimmed)),
                  let range = Range(match.range(at: 1), in: trimmed) else { return nil }
            return String(trimmed[range])
        }
        guard let name = capture(#"key\s+"?([^"\s{]+)"?\s*\{"#), let secret = capture(#"secret\s+"([^"]+)""#) else {
            throw DNSError(.badKey, "the TSIG key file has no key name or secret")
        }
        let algorithm = capture(#"algorithm\s+"?([A-Za-z0-9-]+)"?"#) ?? "hmac-sha256"
        return try TSIGKey(name: try DNSName(name), algorithm: try DNSName(algorithm), secretBase64: secret)
    }
}
