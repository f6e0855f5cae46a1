import Testing
import TernIMAP
import TernMigration

/// The state key is durable: a changed format would make every account's migration start over.
@Suite struct StateKeyTests {
    @Test func theKeyIsUserAtHostAndPort() {
        #expect(MailboxJob.stateKey(user: "alice", host: "imap.example.com", port: nil, security: .implicit)
            == "alice@imap.example.com:993")
        #expect(MailboxJob.stateKey(user: "alice", host: "imap.example.com", port: nil, security: .starttls)
            == "alice@imap.example.com:143")
        #expect(MailboxJob.stateKey(user: "bob@acme.example", host: "127.0.0.1", port: 14993, security: .implicit)
            == "bob@acme.example@127.0.0.1:14993")
    }
}
