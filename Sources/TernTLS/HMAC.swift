import COpenSSL

/// Keyed-hash and digest helpers over libcrypto's one-shot calls (used by TernDNS for TSIG,
/// RFC 8945, and for DKIM key fingerprints).
public enum HMAC {
    /// Digest algorithms Tern uses, by their OpenSSL names.
    public enum Algorithm: String, Sendable {
        case sha1 = "SHA1"
        case sha256 = "SHA256"
        case sha384 = "SHA384"
        case sha512 = "SHA512"

        var outputSize: Int {
            switch self {
            case .sha1: 20
            case .sha256: 32
            case .sha384: 48
            case .sha512: 64
            }
        }
    }

    /// HMAC of `data` under `key` (RFC 2104). Returns nil only if libcrypto fails.
    public static func authenticationCode(_ algorithm: Algorithm, key: [UInt8], data: [UInt8]) -> [UInt8]? {
        OpenSSLLibrary.ensureInitialized()
        var out = [UInt8](repeating: 0, count: 64)
        let length = key.withUnsafeBytes { keyBytes in
            data.withUnsafeBufferPointer { dataBytes in
                tern_hmac(algorithm.rawValue, keyBytes.baseAddress, key.count, dataBytes.baseAddress, data.count,
                          &out, out.count)
            }
        }
        return length == algorithm.outputSize ? Array(out.prefix(length)) : nil
    }

    /// Message digest of `data`. Returns nil only if libcrypto fails.
    public static func digest(_ algorithm: Algorithm, _ data: [UInt8]) -> [UInt8]? {
        OpenSSLLibrary.ensureInitialized()
        var out = [UInt8](repeating: 0, count: 64)
        let length = data.withUnsafeBytes { tern_digest(algorithm.rawValue, $0.baseAddress, data.count, &out) }
        return Int(length) == algorithm.outputSize ? Array(out.prefix(Int(length))) : nil
    }

    /// Constant-time comparison for MACs.
    public static func equal(_ lhs: [UInt8], _ rhs: [UInt8]) -> Bool {
        guard lhs.count == rhs.count else { return false }
        var difference: UInt8 = 0
        for (left, right) in zip(lhs, rhs) { difference |= left ^ right }
        return difference == 0
    }
}
