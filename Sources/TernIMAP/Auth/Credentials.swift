import TernCore

/// Who to log in as, and with what.
///
/// With `admin` set, the secret is the admin's and the session belongs to `user`: SASL PLAIN
/// with `user` as the authorization identity (RFC 4616; Dovecot master users, Cyrus, Zimbra),
/// or, with `.separator`, Dovecot's `user*admin` login name.
public struct Credentials: Sendable {
    public enum Mechanism: String, Sendable, CaseIterable {
        /// The IMAP LOGIN command.
        case login
        /// SASL PLAIN (RFC 4616), with SASL-IR when offered.
        case plain
        /// Google's and Microsoft's XOAUTH2 (a bearer token).
        case xoauth2
        /// OAUTHBEARER (RFC 7628).
        case oauthbearer

        var usesToken: Bool { self == .xoauth2 || self == .oauthbearer }
    }

    public enum AdminStyle: Sendable, Equatable {
        /// PLAIN with an authorization identity (falls back to `.separator("*")` when the
        /// server offers no AUTH=PLAIN).
        case authorizationIdentity
        /// Log in as `user<separator>admin` (Dovecot's `auth_master_user_separator`).
        case separator(String)
    }

    public var user: String
    public var secret: SecretSource
    /// nil: PLAIN when offered, else LOGIN; OAuth mechanisms must be asked for.
    public var mechanism: Mechanism?
    public var admin: String?
    public var adminStyle: AdminStyle

    public init(user: String, secret: SecretSource, mechanism: Mechanism? = nil, admin: String? = nil,
                adminStyle: AdminStyle = .authorizationIdentity) {
        self.user = user
        self.secret = secret
        self.mechanism = mechanism
        self.admin = admin
        self.adminStyle = adminStyle
    }
}

/// Where a password or OAuth token comes from.
public enum SecretSource: Sendable {
    case password(Secret)
    /// An OAuth access token, fetched anew whenever a fresh one is needed.
    case token(any TokenProvider)
}

/// Gives OAuth access tokens. The protocol client only asks; how a token is got (a file, a
/// command, a refresh grant) is decided above it and passed in (`TokenSource` in TernMigration).
public protocol TokenProvider: Sendable {
    /// A token to log in with now.
    func fetch() async throws(IMAPError) -> Secret
}
