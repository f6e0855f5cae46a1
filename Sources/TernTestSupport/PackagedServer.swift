import Foundation

/// Debian's Cyrus IMAP or Courier-IMAP as `scripts/testenv/cyrus.sh` and `courier.sh` run them
/// (unpacked packages in a private mount namespace, beside the Dovecot pair), read from the
/// `cyrus.json` / `courier.json` facts the scripts write.
public struct PackagedServer: Sendable, Decodable {
    public enum Kind: String, Sendable, CaseIterable {
        case cyrus, courier
    }

    /// The server's administrator. With `authorizationIdentity`, a PLAIN login as the admin
    /// with another user's name as authorization identity opens that user's mailbox (Cyrus's
    /// `admins:`); without it the admin is a plain account (Courier ignores the identity).
    public struct Admin: Sendable, Decodable {
        public var user: String
        public var password: String
        public var authorizationIdentity: Bool
        public var passwordFile: String
    }

    /// Which packages, with their versions.
    public var software: String
    public var host: String
    /// IMAP with STARTTLS (LOGIN also allowed without TLS).
    public var port: Int
    /// IMAPS; the certificate is the test CA's "localhost" one.
    public var tlsPort: Int
    public var ca: String
    public var tlsServerName: String
    public var separator: String
    public var prefix: String
    /// The server's own folder (configuration, data, logs).
    public var dir: String
    public var log: String
    /// Test accounts c01…c08 and their passwords.
    public var users: [String: String]
    public var passwordFiles: [String: String]
    public var admin: Admin
}

extension TestEnvironment {
    /// Starts (idempotently) and describes one of the packaged servers; the Dovecot pair comes
    /// first, since its CA signs their certificates.
    public static func packaged(_ kind: PackagedServer.Kind) throws -> PackagedServer {
        switch kind {
        case .cyrus: try cachedCyrus.get()
        case .courier: try cachedCourier.get()
        }
    }

    private static let cachedCyrus = Result { () throws(TestEnvironmentError) -> PackagedServer in
        try loadPackaged(.cyrus)
    }
    private static let cachedCourier = Result { () throws(TestEnvironmentError) -> PackagedServer in
        try loadPackaged(.courier)
    }

    private static func loadPackaged(_ kind: PackagedServer.Kind) throws(TestEnvironmentError) -> PackagedServer {
        let directory: String
        do {
            directory = try dovecot().directory
        } catch {
            throw TestEnvironmentError(message: "\(error)")
        }
        try runScript("scripts/testenv/\(kind.rawValue).sh", arguments: ["start"])
        let path = directory + "/\(kind.rawValue).json"
        do {
            return try JSONDecoder().decode(PackagedServer.self, from: Data(contentsOf: URL(fileURLWithPath: path)))
        } catch {
            throw TestEnvironmentError(message: "cannot read \(path): \(error)")
        }
    }
}
