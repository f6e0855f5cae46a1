import Foundation
import Synchronization
import Testing
import TernCore
import TernIMAP
import TernTLS
import TernTestSupport

/// The IMAP client against the real Dovecot pair from scripts/testenv: the source uses `.`
/// and an `INBOX.` prefix, the destination `/` and no prefix.
@Suite(.timeLimit(.minutes(2))) struct IMAPConnectionIntegrationTests {
    let env: TestEnvironment

    init() throws { env = try TestEnvironment.dovecot() }

    func configuration(
        _ server: TestEnvironment.Server, security: TransportSecurity = .implicit, trace: (any ProtocolTrace)? = nil,
        ignoring: Set<Capability> = []
    ) -> ConnectionConfiguration {
        var configuration = ConnectionConfiguration(
            host: "127.0.0.1", port: security == .implicit ? server.tlsPort : server.port, security: security,
            tls: TLSConfiguration(caFile: env.ca, serverName: "localhost"), trace: trace)
        configuration.ignoredCapabilities = ignoring
        return configuration
    }

    func login(_ server: TestEnvironment.Server, user: String, security: TransportSecurity = .implicit,
               ignoring: Set<Capability> = []) async throws -> IMAPConnection {
        let connection = try await IMAPConnection.connect(configuration(server, security: security, ignoring: ignoring))
        try await connection.authenticate(Credentials(user: user, secret: .password(Secret(env.users[user]!))))
        return connection
    }

    @Test func logsInOverImplicitTLSWithPlain() async throws {
        let connection = try await login(env.source, user: "alice")
        #expect(await connection.isAuthenticated)
        #expect(await connection.supports(.uidPlus))
        await connection.logout()
    }

    @Test func logsInOverStartTLSWithLoginCommand() async throws {
        let connection = try await IMAPConnection.connect(configuration(env.destination, security: .starttls))
        guard case .tls(_, _, true) = connection.security else {
            Issue.record("STARTTLS did not produce a verified TLS link")
            return
        }
        let used = try await connection.authenticate(
            Credentials(user: "bob", secret: .password(Secret(env.users["bob"]!)), mechanism: .login))
        #expect(used == .login)
        await connection.logout()
    }

    @Test func masterUserLogsInAsTheUserBothWays() async throws {
        let admin = Secret(env.master.password)
        for style in [Credentials.AdminStyle.authorizationIdentity, .separator("*")] {
            let connection = try await IMAPConnection.connect(configuration(env.source))
            try await connection.authenticate(
                Credentials(user: "alice", secret: .password(admin), admin: env.master.user, adminStyle: style))
            let inbox = try await connection.run(.status(.inbox, [.messages]))
            var messages: Int64 = 0
            for case .status(_, let values) in inbox.untagged { messages = values[.messages] ?? 0 }
            #expect(messages > 0, "the master login should see alice's INBOX (\(style))")
            await connection.logout()
        }
    }

    @Test func wrongPasswordIsAnAuthenticationFailureWithTheServersWords() async throws {
        let connection = try await IMAPConnection.connect(configuration(env.source))
        let error = await #expect(throws: IMAPError.self) {
            try await connection.authenticate(Credentials(user: "alice", secret: .password(Secret("wrong-pw"))))
        }
        #expect(error?.code == .authenticationFailed)
        #expect(error?.responseCode == .authenticationFailed)
        #expect(error?.message.contains("wrong-pw") == false)
        await connection.close()
    }

    @Test func refusesToSendAPasswordOverPlaintext() async throws {
        let connection = try await IMAPConnection.connect(configuration(env.destination, security: .plain))
        let error = await #expect(throws: IMAPError.self) {
            try await connection.authenticate(Credentials(user: "alice", secret: .password(Secret("x"))))
        }
        #expect(error?.code == .plaintextRefused)
        await connection.close()
    }

    @Test func startTLSNeverFallsBackWhenTheServerLacksIt() async throws {
        let config = configuration(env.destination, security: .starttls, ignoring: [.startTLS])
        let error = await #expect(throws: IMAPError.self) { _ = try await IMAPConnection.connect(config) }
        #expect(error?.code == .transport(.startTLSUnavailable))
    }

    @Test func listsBothLayouts() async throws {
        let source = try await login(env.source, user: "alice")
        let sourceList = try await source.run(.list(reference: MailboxName(decoded: ""), pattern: MailboxName(decoded: "*"),
            returnOptions: [.specialUse, .subscribed]))
        let sourceEntries = sourceList.untagged.compactMap { if case .list(let entry) = $0 { entry } else { nil } }
        #expect(sourceEntries.allSatisfy { $0.separator == "." })
        let names = Set(sourceEntries.map(\.name.decoded))
        #expect(names.isSuperset(of: ["INBOX", "INBOX.Sent", "INBOX.Projects.2024", "INBOX.Entwürfe", "INBOX.Réunions"]))
        let sent = sourceEntries.first { $0.name.decoded == "INBOX.Sent" }
        #expect(sent?.specialUse == .sent)
        #expect(sourceEntries.first { $0.name.decoded == "INBOX.Entwürfe" }?.name.wireString == "INBOX.Entw&APw-rfe")
        await source.logout()

        let destination = try await login(env.destination, user: "alice")
        let destinationList = try await destination.run(.list(reference: MailboxName(decoded: ""),
            pattern: MailboxName(decoded: "*"), returnOptions: [.specialUse]))
        let destinationEntries = destinationList.untagged.compactMap { if case .list(let entry) = $0 { entry } else { nil } }
        #expect(destinationEntries.allSatisfy { $0.separator == "/" })
        #expect(destinationEntries.contains { $0.name.decoded == "Sent" && $0.specialUse == .sent })
        await destination.logout()
    }

    @Test(arguments: [false, true])
    func appendsATenMegabyteMessage(literalPlus: Bool) async throws {
        let ignoring: Set<Capability> = literalPlus ? [] : [.literalPlus, .literalMinus]
        let connection = try await login(env.destination, user: "carol", ignoring: ignoring)
        #expect(await connection.supports(.literalPlus) == literalPlus)
        let folder = MailboxName(decoded: "Append-\(literalPlus ? "plus" : "sync")-\(UUID().uuidString.prefix(8))")
        try await connection.run(.create(folder))
        let message = TestMessages.large(bytes: 10 * 1024 * 1024, id: "big-\(literalPlus)@tern.test")
        let appended = try await connection.run(.append(folder, [AppendMessage(flags: [.seen], bytes: message)]))
        guard case .appendUID(_, let uids) = appended.state.code else {
            Issue.record("no APPENDUID in \(appended.state)")
            return
        }
        try await connection.run(.examine(folder))
        let fetched = try await connection.run(.uidFetch(uids, [.rfc822Size, .flags]))
        let sizes = fetched.untagged.compactMap { if case .fetch(_, let a) = $0 { a.rfc822Size } else { nil } }
        #expect(sizes == [Int64(message.count)])
        try await connection.run(.unselect)
        try await connection.run(.delete(folder))
        await connection.logout()
    }

    /// Without LITERAL+ every APPEND waits for a `+`, which the server may send before the
    /// sender starts waiting: many back-to-back appends must never stall on that race.
    @Test func synchronizingLiteralsNeverStall() async throws {
        let connection = try await login(env.destination, user: "carol", ignoring: [.literalPlus, .literalMinus])
        let folder = MailboxName(decoded: "SyncLiterals-\(UUID().uuidString.prefix(8))")
        try await connection.run(.create(folder))
        let appends = (0..<100).map { index in
            Command.append(folder, [AppendMessage(bytes: Array("Subject: \(index)\r\n\r\nbody \(index)\r\n".utf8))])
        }
        let results = try await connection.pipeline(appends)
        #expect(results.count == 100)
        #expect(results.allSatisfy { $0.isOK })
        let status = try await connection.run(.status(folder, [.messages]))
        var count: Int64 = 0
        for case .status(_, let values) in status.untagged { count = values[.messages] ?? 0 }
        #expect(count == 100)
        try await connection.run(.delete(folder))
        await connection.logout()
    }

    @Test func pipelinesManyFetches() async throws {
        let connection = try await login(env.source, user: "alice")
        try await connection.run(.examine(.inbox))
        // 200 single-message FETCHes in one batch: one round trip, answered in order.
        let commands = (0..<200).map { index -> Command in
            .fetch(SequenceSet(ranges: [UInt32(index % 20 + 1)...UInt32(index % 20 + 1)]),
                [.uid, .flags, .internalDate, .rfc822Size, .headerFields(["MESSAGE-ID", "SUBJECT"])])
        }
        let results = try await connection.pipeline(commands)
        #expect(results.count == 200)
        #expect(results.allSatisfy { $0.isOK })
        // Untagged data has no tag and Dovecot runs pipelined FETCHes together, so match by
        // content: every message was fetched exactly ten times, with all attributes.
        let fetched = results.flatMap(\.untagged).compactMap { response -> (Int, FetchAttributes)? in
            if case .fetch(let number, let attributes) = response { (number, attributes) } else { nil }
        }
        #expect(fetched.count == 200)
        #expect(Dictionary(grouping: fetched, by: \.0).mapValues(\.count) == Dictionary(
            uniqueKeysWithValues: (1...20).map { ($0, 10) }))
        #expect(fetched.allSatisfy { $0.1.uid != nil && $0.1.rfc822Size != nil && $0.1.internalDate != nil })
        // And the same through concurrent callers sharing the connection.
        let counts = try await withThrowingTaskGroup(of: Int.self) { group in
            for index in 1...20 {
                group.addTask {
                    let result = try await connection.run(.fetch(
                        SequenceSet(ranges: [UInt32(index)...UInt32(index)]), [.uid, .rfc822Size]))
                    return result.untagged.count
                }
            }
            return try await group.reduce(0, +)
        }
        #expect(counts == 20)
        await connection.logout()
    }

    @Test func traceNeverContainsThePassword() async throws {
        let trace = RecordingTrace()
        let password = env.users["alice"]!
        for mechanism in [Credentials.Mechanism.plain, .login] {
            let connection = try await IMAPConnection.connect(configuration(env.source, trace: trace))
            try await connection.authenticate(
                Credentials(user: "alice", secret: .password(Secret(password)), mechanism: mechanism))
            await connection.logout()
        }
        let text = trace.text
        #expect(text.contains("AUTHENTICATE PLAIN"))
        #expect(text.contains("LOGIN"))
        #expect(!text.contains(password))
        let base64 = Data("\u{0}alice\u{0}\(password)".utf8).base64EncodedString()
        #expect(!text.contains(base64))
    }

    @Test func closingFailsCommandsInFlight() async throws {
        let connection = try await login(env.source, user: "alice")
        await connection.close()
        let error = await #expect(throws: IMAPError.self) { try await connection.run(.noop) }
        #expect(error?.code == .connectionClosed)
    }
}

/// Collects trace lines in memory for assertions.
final class RecordingTrace: ProtocolTrace {
    private let lines = Mutex<[String]>([])

    func record(_ direction: TraceDirection, _ text: String, connection: String) {
        lines.withLock { $0.append("\(direction.rawValue) \(text)") }
    }

    var text: String { lines.withLock { $0.joined(separator: "\n") } }
}

enum TestMessages {
    /// A syntactically valid message of about `bytes` bytes (base64 body lines).
    static func large(bytes: Int, id: String) -> [UInt8] {
        var message = Array("""
            From: Sender <sender@tern.test>\r
            To: Carol <carol@tern.test>\r
            Subject: Large message\r
            Message-ID: <\(id)>\r
            Date: Mon, 02 Mar 2026 10:00:00 +0000\r
            MIME-Version: 1.0\r
            Content-Type: application/octet-stream\r
            Content-Transfer-Encoding: base64\r
            \r\n
            """.utf8)
        let line = Array(String(repeating: "QUJDREVGR0hJSktMTU5PUFFSU1RVVldYWVo", count: 2).utf8) + [13, 10]
        message.reserveCapacity(bytes + line.count)
        while message.count < bytes { message += line }
        return message
    }
}
