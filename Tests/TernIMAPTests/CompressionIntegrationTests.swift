import Foundation
import Testing
import TernCore
import TernIMAP
import TernTLS
import TernTestSupport

/// COMPRESS=DEFLATE (RFC 4978) against the real Dovecot pair: the destination offers it
/// (imap_zlib), the source does not. Only user u32 is used, in folders of its own.
@Suite(.timeLimit(.minutes(3))) struct CompressionIntegrationTests {
    let env: TestEnvironment
    let user = "u32"

    init() throws { env = try TestEnvironment.dovecot() }

    func configuration(_ server: TestEnvironment.Server, security: TransportSecurity = .implicit,
                       trace: (any ProtocolTrace)? = nil, compression: Bool = true,
                       ignoring: Set<Capability> = [], port: Int? = nil) -> ConnectionConfiguration {
        var configuration = ConnectionConfiguration(
            host: "127.0.0.1", port: port ?? (security == .implicit ? server.tlsPort : server.port), security: security,
            tls: TLSConfiguration(caFile: env.ca, serverName: "localhost"), responseTimeout: .seconds(60),
            trace: trace, label: "u32")
        configuration.compression = compression
        configuration.ignoredCapabilities = ignoring
        return configuration
    }

    func login(_ configuration: ConnectionConfiguration) async throws -> IMAPConnection {
        let connection = try await IMAPConnection.connect(configuration)
        try await connection.authenticate(Credentials(user: user, secret: .password(Secret(env.users[user]!))))
        return connection
    }

    /// A text message of about `bytes` bytes: headers and quoted-reply-like lines, so it
    /// compresses, with a line number on each so no two lines are the same.
    static func textMessage(bytes: Int, id: String) -> [UInt8] {
        var text = "From: Sender <sender@tern.test>\r\nTo: u32 <u32@tern.test>\r\nSubject: Compressed\r\n"
            + "Message-ID: <\(id)>\r\nDate: Mon, 02 Mar 2026 10:00:00 +0000\r\nMIME-Version: 1.0\r\n"
            + "Content-Type: text/plain; charset=utf-8\r\n\r\n"
        var line = 0
        while text.utf8.count < bytes {
            line += 1
            text += "> line \(line): the quarterly figures are attached; please review before Friday.\r\n"
        }
        return Array(text.utf8)
    }

    static func lines(_ trace: RecordingTrace) -> [String] { trace.text.split(separator: "\n").map(String.init) }

    @Test(arguments: [false, true])
    func negotiatesAndCarriesListAppendFetchAndPipelines(synchronizingLiterals: Bool) async throws {
        let trace = RecordingTrace()
        let ignoring: Set<Capability> = synchronizingLiterals ? [.literalPlus, .literalMinus] : []
        let connection = try await login(configuration(env.destination, trace: trace, ignoring: ignoring))
        defer { Task { await connection.logout() } }
        let statistics = try #require(await connection.compression, "the destination offers COMPRESS=DEFLATE")
        #expect(statistics.sentBytes == 0 && statistics.receivedBytes == 0)
        let lines = Self.lines(trace)
        let compressAt = try #require(lines.firstIndex { $0.hasPrefix("C: ") && $0.hasSuffix(" COMPRESS DEFLATE") })
        #expect(lines.firstIndex { $0.contains("AUTHENTICATE") }! < compressAt, "COMPRESS only after login")
        #expect(lines[compressAt + 1].hasPrefix("S: t") && lines[compressAt + 1].contains(" OK "))

        // LIST
        let listed = try await connection.run(.list(reference: MailboxName(decoded: ""),
            pattern: MailboxName(decoded: "*")))
        #expect(listed.untagged.contains { if case .list(let entry) = $0 { entry.name.isInbox } else { false } })

        // APPEND of ~2 MB (more than zlib's 32 KiB window and the 64 KiB chunks), then FETCH it back.
        let folder = MailboxName(decoded: "Compress-\(synchronizingLiterals ? "sync" : "plus")-\(UUID().uuidString.prefix(8))")
        try await connection.run(.create(folder))
        let message = Self.textMessage(bytes: 2 * 1024 * 1024 + 123, id: "compress-\(UUID().uuidString)@tern.test")
        let appended = try await connection.run(.append(folder, [AppendMessage(flags: [.seen], bytes: message)]))
        guard case .appendUID(_, let uids) = appended.state.code else {
            Issue.record("no APPENDUID in \(appended.state)")
            return
        }
        try await connection.run(.select(folder))
        let fetched = try await connection.run(.uidFetch(uids, [.uid, .rfc822Size, .bodyPeek()]))
        let body = fetched.untagged.compactMap { if case .fetch(_, let a) = $0 { a.body() } else { nil } }.first
        #expect(body.map(Array.init) == message, "the message must come back byte for byte")

        // Pipelined: small appends interleaved with fetches of the big message, in one batch.
        var commands: [Command] = []
        for index in 1...30 {
            commands.append(.append(folder,
                [AppendMessage(bytes: Array("Subject: p\(index)\r\n\r\nbody \(index)\r\n".utf8))]))
            if index % 10 == 0 { commands.append(.uidFetch(uids, [.uid, .rfc822Size, .headerFields(["SUBJECT"])])) }
        }
        let results = try await connection.pipeline(commands)
        #expect(results.count == commands.count)
        #expect(results.allSatisfy { $0.isOK })
        let sizes = results.flatMap(\.untagged).compactMap { if case .fetch(_, let a) = $0 { a.rfc822Size } else { nil } }
        #expect(sizes == [Int64](repeating: Int64(message.count), count: 3))
        let appendedUIDs = results.compactMap { if case .appendUID(_, let set) = $0.state.code { set } else { nil } }
        #expect(appendedUIDs.count == 30)
        try await connection.run(.noop)
        let all = try await connection.run(.uidFetch(.all, [.uid, .rfc822Size]))
        #expect(all.untagged.filter { if case .fetch = $0 { true } else { false } }.count == 31)

        let after = try #require(await connection.compression)
        #expect(after.sentBytes > message.count)
        #expect(after.receivedBytes > message.count)
        // Text compresses: the wire carried much less than the protocol did, both ways.
        #expect(after.sentCompressedBytes * 4 < after.sentBytes, "\(after)")
        #expect(after.receivedCompressedBytes * 4 < after.receivedBytes, "\(after)")
        // The trace shows the protocol as IMAP, not as compressed bytes.
        let text = trace.text
        #expect(text.contains("APPEND \(folder.decoded)"))
        #expect(text.contains("UID FETCH"))

        try await connection.run(.unselect)
        try await connection.run(.delete(folder))
    }

    /// A compressed link cut in the middle of an APPEND literal fails the command with a
    /// transport error (no hang, no crash), and a fresh connection works.
    @Test func aLinkCutMidAppendFailsCleanly() async throws {
        let proxy = try FaultyTCPProxy(targetPort: env.destination.tlsPort)
        defer { proxy.stop() }
        // Random base64 (about 75 % after DEFLATE), so the cut lands inside the literal.
        var generator = SplitMix64(seed: 32)
        let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)
        var message = Array("Subject: cut\r\nMessage-ID: <cut-\(UUID().uuidString)@tern.test>\r\n\r\n".utf8)
        while message.count < 2 * 1024 * 1024 {
            for _ in 0..<76 { message.append(alphabet[Int(generator.next() % 64)]) }
            message += [13, 10]
        }
        proxy.cut(afterClientBytes: 600_000)
        let connection = try await login(configuration(env.destination, port: proxy.port))
        #expect(await connection.compression != nil)
        let error = await #expect(throws: IMAPError.self) {
            try await connection.run(.append(.inbox, [AppendMessage(bytes: message)]))
        }
        #expect(proxy.cuts == 1)
        #expect(error?.code == .connectionClosed || error?.code == .transport(.closed)
            || error?.code == .transport(.io), "\(String(describing: error))")
        let fresh = try await login(configuration(env.destination))
        #expect(await fresh.compression != nil)
        try await fresh.run(.noop)
        await fresh.logout()
    }

    @Test func overStartTLSToo() async throws {
        let connection = try await login(configuration(env.destination, security: .starttls))
        #expect(await connection.compression != nil)
        guard case .tls = connection.security else {
            Issue.record("not TLS")
            return
        }
        let status = try await connection.run(.status(.inbox, [.messages]))
        #expect(status.untagged.contains { if case .status = $0 { true } else { false } })
        await connection.logout()
    }

    @Test func turnedOffItSendsNoCompress() async throws {
        let trace = RecordingTrace()
        let connection = try await login(configuration(env.destination, trace: trace, compression: false))
        #expect(await connection.supports(.compress("DEFLATE")), "offered, yet not used")
        #expect(await connection.compression == nil)
        try await connection.run(.noop)
        await connection.logout()
        #expect(!trace.text.contains("COMPRESS DEFLATE"))
        #expect(trace.text.contains("NOOP"))
    }

    @Test func theSourceOffersNoCompressionAndStillWorks() async throws {
        let trace = RecordingTrace()
        let connection = try await login(configuration(env.source, trace: trace))
        #expect(await !connection.supports(.compress("DEFLATE")))
        #expect(await connection.compression == nil)
        let status = try await connection.run(.status(.inbox, [.messages]))
        #expect(status.isOK)
        await connection.logout()
        #expect(!trace.text.contains("COMPRESS"))
    }

    @Test func startingTwiceIsANoOp() async throws {
        let trace = RecordingTrace()
        let connection = try await login(configuration(env.destination, trace: trace))
        #expect(try await connection.startCompression())
        #expect(try await connection.startCompression())
        try await connection.run(.noop)
        await connection.logout()
        #expect(Self.lines(trace).filter { $0.hasSuffix(" COMPRESS DEFLATE") }.count == 1)
    }

    /// What the server says when asked again over an already compressed link, sent by hand.
    @Test func aSecondCompressIsRefusedWithCompressionActive() async throws {
        let connection = try await login(configuration(env.destination))
        let again = try await connection.execute(.compress("DEFLATE"))
        #expect(again.state.status == .no)
        if case .other(let code, _) = again.state.code {
            #expect(code == "COMPRESSIONACTIVE")
        } else {
            Issue.record("expected [COMPRESSIONACTIVE], got \(again.state)")
        }
        // Still usable: both ends agree the stream is compressed.
        try await connection.run(.noop)
        await connection.logout()
    }
}
