import Foundation
import Testing
import TernCore
import TernIMAP
import TernIMAPStore
import TernTestSupport

/// An admin login must open the user's mailbox or fail: Courier-IMAP accepts the admin's
/// PLAIN login with another user as authorization identity and opens the admin's own mailbox;
/// Cyrus opens the user's. Accounts: Dovecot u67 (fixture only), Courier c09, Cyrus c10.
@Suite struct AdminLoginTests {
    static let marker = [SeedMessage(messageID: "only-the-user-has-this@tern.test", subject: "the user's own mail",
        dateHeader: "Mon, 1 Jan 2024 10:00:00 +0000", flags: [],
        internalDate: SeedMessage.date(2024, 1, 1, 10, 0, 0, zoneMinutes: 0))]

    /// A store for `user` on the packaged server, logged in through the server's admin.
    func adminStore(_ kind: PackagedServer.Kind, user: String) throws -> (IMAPMailStore, AccountFixture) {
        let fixture = try AccountFixture(user: "u67", source: .init(kind, user: user), destination: nil)
        let server = try TestEnvironment.packaged(kind)
        let credentials = Credentials(user: user, secret: .password(Secret(server.admin.password)),
            admin: server.admin.user)
        return (IMAPMailStore(configuration: fixture.configuration(.source), credentials: credentials,
            label: "source \(user)", readOnly: true), fixture)
    }

    @Test func courierIgnoringTheAuthorizationIdentityIsRefused() async throws {
        let (store, fixture) = try adminStore(.courier, user: "c09")
        try await fixture.wipe(.source)
        _ = try await fixture.seed(.source, Self.marker)
        let error = await #expect(throws: StoreError.self) { _ = try await store.open() }
        #expect(error?.scope == .mailbox)
        #expect(error?.category == .auth)
        #expect(error?.message.contains("logged admin in as itself, not as c09") == true, "\(error?.message ?? "")")
        #expect(error?.message.contains("--credentials") == true)
        await store.close()
    }

    @Test func cyrusAdminOpensTheUsersMailbox() async throws {
        let (store, fixture) = try adminStore(.cyrus, user: "c10")
        try await fixture.wipe(.source)
        _ = try await fixture.seed(.source, Self.marker)
        _ = try await store.open()
        let inbox = try #require(try await store.folders().first { $0.isInbox })
        #expect(try await store.status(inbox).messages == 1, "the session is c10's, holding its one message")
        await store.close()
    }
}
