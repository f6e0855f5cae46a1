import Foundation
import TernCore
import TernIMAP

/// After an admin login for a user, makes sure the session is the user's and not the admin's
/// own: a server without proxy logins (Courier-IMAP) accepts the admin's PLAIN login, ignores
/// the authorization identity and opens the admin's mailbox, and Tern would migrate the wrong
/// account.
///
/// IMAP has no command that names the session's user, so the check compares the session with
/// the admin's own session on the same server: INBOX's UIDVALIDITY, UIDNEXT and message count
/// and the top-level folders. An admin that cannot log in alone (Dovecot master users) or has
/// no INBOX (Cyrus admins) has no session to be confused with. When the two look the same
/// (two empty mailboxes created in the same second do), a subscription to a name made up for
/// the check, taken in the admin's own session and looked for in the user's, tells them apart;
/// it is removed at once. The admin's own session is looked at once per server and process.
public enum AdminSessionCheck {
    /// What a session shows of whose it is.
    struct Marker: Equatable, Sendable {
        var inbox: [StatusAttribute: Int64]?
        var topLevel: [String]
    }

    /// The admin's own session on one server: nil when there is none (the login is refused).
    private actor AdminSessions {
        static let shared = AdminSessions()
        private var known: [String: Marker?] = [:]

        func marker(for key: String, _ look: @Sendable () async throws(StoreError) -> Marker?)
            async throws(StoreError) -> Marker?
        {
            if let cached = known[key] { return cached }
            let found = try await look()
            known[key] = .some(found)
            return found
        }
    }

    /// Throws a mailbox error when `session`, logged in with `credentials` (an admin acting
    /// for a user), turns out to be the admin's own.
    public static func verify(_ session: IMAPConnection, configuration: ConnectionConfiguration, credentials: Credentials,
                       label: String) async throws(StoreError) {
        guard let admin = credentials.admin else { return }
        let target = try await marker(of: session, label: label)
        let alone = Credentials(user: admin, secret: credentials.secret, mechanism: nil)
        let key = "\(configuration.host):\(configuration.port) \(admin)"
        let own = try await AdminSessions.shared.marker(for: key) { () async throws(StoreError) -> Marker? in
            guard let connection = try await login(configuration, alone, label: label) else { return nil }
            let found: Result<Marker, StoreError>
            do throws(StoreError) { found = .success(try await marker(of: connection, label: label)) } catch {
                found = .failure(error)
            }
            await connection.logout()
            return try found.get()
        }
        guard let own, own.inbox != nil, own == target else { return }
        // Alike: one more look, with a mark only the admin's own session can have made.
        guard let connection = try await login(configuration, alone, label: label) else { return }
        let mark = "tern-session-check-\(UUID().uuidString.lowercased())"
        let name = MailboxName(decoded: mark)
        var shared = true
        do {
            let subscribed = try await connection.execute(.subscribe(name))
            if subscribed.isOK {
                let seen = try await session.execute(.lsub(reference: MailboxName(decoded: ""), pattern: name))
                shared = seen.untagged.contains { if case .lsub = $0 { true } else { false } }
                _ = try await connection.execute(.unsubscribe(name))
            }
        } catch {
            await connection.logout()
            throw StoreErrorClassifier.classify(error, during: "check whose session the admin login opened",
                label: label)
        }
        await connection.logout()
        guard shared else { return }
        throw StoreError(scope: .mailbox, retry: .never, category: "auth",
            message: "\(label): the server logged \(admin) in as itself, not as \(credentials.user): it ignored the "
                + "authorization identity (Courier-IMAP has no admin logins), so this session shows the admin's own "
                + "mailbox. Log in as \(credentials.user) with its own password (--credentials FILE.csv or "
                + "--password-file) instead of --admin-user")
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
        } catch {
            await connection.close()
            if error.code == .authenticationFailed || error.code == .unsupported { return nil }
            throw StoreErrorClassifier.classify(error, during: purpose, label: label)
        }
        return connection
    }

    private static func marker(of connection: IMAPConnection, label: String) async throws(StoreError) -> Marker {
        do {
            let status = try await connection.execute(.status(MailboxName(decoded: "INBOX"),
                [.messages, .uidNext, .uidValidity]))
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
