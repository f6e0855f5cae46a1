import Foundation
import TernCore
import TernIMAP

/// After an admin login for a user, makes sure the session is the user's and not the admin's
/// own: a server without proxy logins (Courier-IMAP) accepts the admin's PLAIN login, ignores
/// the authorization identity and opens the admin's mailbox, and Tern would migrate the wrong
/// account.
///
/// IMAP has no command that names the session's user, so the check asks the admin's own
/// session: an admin that cannot log in alone (Dovecot master users) or owns no INBOX (Cyrus
/// admins) has no mailbox to be confused with — learnt once per server and process. Otherwise
/// a subscription to a name made up for the check, taken in the admin's own session and
/// looked for in the user's, tells whether they are one; it is removed at once. A server that
/// refuses the subscription is compared by INBOX's message count and top-level folders instead
/// (alike counts as one: the safe side).
public enum AdminSessionCheck {
    /// What a session shows of whose it is, where a subscription cannot tell.
    struct Marker: Equatable, Sendable {
        var inbox: [StatusAttribute: Int64]?
        var topLevel: [String]
    }

    /// Servers whose admin has no mailbox of its own ("host:port admin").
    private actor AdminsWithoutMailbox {
        static let shared = AdminsWithoutMailbox()
        private var keys: Set<String> = []
        func contains(_ key: String) -> Bool { keys.contains(key) }
        func insert(_ key: String) { keys.insert(key) }
    }

    /// Throws a mailbox error when `session`, logged in with `credentials` (an admin acting
    /// for a user), turns out to be the admin's own.
    public static func verify(_ session: IMAPConnection, configuration: ConnectionConfiguration,
                              credentials: Credentials, label: String) async throws(StoreError) {
        guard let admin = credentials.admin else { return }
        let key = "\(configuration.host):\(configuration.port) \(admin)"
        if await AdminsWithoutMailbox.shared.contains(key) { return }
        let alone = Credentials(user: admin, secret: credentials.secret, mechanism: nil)
        guard let own = try await login(configuration, alone, label: label) else {
            await AdminsWithoutMailbox.shared.insert(key)
            return
        }
        let same: Bool?
        do {
            same = try await sameUser(own, session, label: label)
        } catch {
            await own.logout()
            throw error
        }
        await own.logout()
        guard let same else {
            await AdminsWithoutMailbox.shared.insert(key)
            return
        }
        if !same { return }
        throw StoreError(scope: .mailbox, retry: .never, category: .auth,
            message: "\(label): the server logged \(admin) in as itself, not as \(credentials.user): it ignored the "
                + "authorization identity (Courier-IMAP has no admin logins), so this session shows the admin's own "
                + "mailbox. Log in as \(credentials.user) with its own password (--credentials FILE.csv or "
                + "--password-file) instead of --admin-user")
    }

    /// Whether `own` (the admin alone) and `session` are one user's; nil when the admin owns
    /// no INBOX.
    private static func sameUser(_ own: IMAPConnection, _ session: IMAPConnection, label: String)
        async throws(StoreError) -> Bool?
    {
        let purpose = "check whose session the admin login opened"
        let ownMarker = try await marker(of: own, label: label)
        if ownMarker.inbox == nil { return nil }
        let name = MailboxName(decoded: "tern-session-check-\(UUID().uuidString.lowercased())")
        do {
            let subscribed = try await own.execute(.subscribe(name))
            if subscribed.isOK {
                let seen = try await session.execute(.lsub(reference: MailboxName(decoded: ""), pattern: name))
                _ = try await own.execute(.unsubscribe(name))
                return seen.untagged.contains { if case .lsub = $0 { true } else { false } }
            }
        } catch {
            throw StoreErrorClassifier.classify(error, during: purpose, label: label)
        }
        return try await marker(of: session, label: label) == ownMarker
    }

    /// Logs in; nil when the server refuses the credentials.
    private static func login(_ configuration: ConnectionConfiguration, _ credentials: Credentials, label: String)
        async throws(StoreError) -> IMAPConnection?
    {
        let purpose = "check whose session the admin login opened"
        let connection: IMAPConnection
        do {
            connection = try await IMAPConnection.connect(configuration)
        } catch {
            throw StoreErrorClassifier.classify(error, during: purpose, label: label)
        }
        do {
            try await connection.authenticate(credentials)
            // As the stores do: Courier drops a session without it that lists an emoji folder.
            _ = try await connection.enable(["UTF8=ACCEPT"])
        } catch {
            await connection.close()
            if error.code == .authenticationFailed || error.code == .unsupported { return nil }
            throw StoreErrorClassifier.classify(error, during: purpose, label: label)
        }
        return connection
    }

    private static func marker(of connection: IMAPConnection, label: String) async throws(StoreError) -> Marker {
        do {
            // Message count only: Courier's UIDVALIDITY and UIDNEXT of an unselected folder vary.
            let status = try await connection.execute(.status(MailboxName(decoded: "INBOX"), [.messages]))
            var inbox: [StatusAttribute: Int64]?
            if status.isOK {
                for case .status(_, let values) in status.untagged { inbox = values }
            }
            let listing = try await connection.execute(.list(reference: MailboxName(decoded: ""),
                pattern: MailboxName(decoded: "%")))
            var names: [String] = []
            for case .list(let entry) in listing.untagged { names.append(entry.name.decoded) }
            return Marker(inbox: inbox, topLevel: names.sorted())
        } catch {
            throw StoreErrorClassifier.classify(error, during: "check whose session the admin login opened",
                label: label)
        }
    }
}
