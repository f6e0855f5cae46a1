import Foundation
import Testing
import TernIMAP
import TernIMAPStore
import TernTestSupport

/// The scan's largest message (user u34): the inspector finds the real largest RFC822.SIZE by
/// ESORT, by chunked FETCH and by the STATUS-SIZE-less size pass alike, changes no flag, and
/// stays quiet for `probe`; `inventory scan` stores it and `plan capacity` flags the mailbox
/// against a preset's smaller `max_message_size`, not against a larger one.
@Suite(.timeLimit(.minutes(3))) struct ScanLargestMessageEndToEndTests {
    @Test func largestMessageIsFoundStoredAndCheckedAgainstTheCap() async throws {
        let fixture = try AccountFixture(user: "u34")
        let env = fixture.env
        try await fixture.wipe()
        try await fixture.seed(.source, [
            SeedMessage(messageID: "u34-1@tern.test", subject: "one", padding: 1_000),
            SeedMessage(messageID: "u34-2@tern.test", subject: "two", flags: ["\\Seen"], padding: 5_000),
            SeedMessage(folder: ["Big"], messageID: "u34-3@tern.test", subject: "big", padding: 60_000),
            SeedMessage(folder: ["Big"], messageID: "u34-4@tern.test", subject: "small", padding: 100),
            SeedMessage(folder: ["Misc", "Deep"], messageID: "u34-5@tern.test", subject: "deep", padding: 9_000),
        ])
        let before = try await fixture.allMessages(.source)
        let real = try #require(before.values.flatMap { $0 }.map(\.size).max())
        #expect(real > 60_000)

        func largest(ignoring: Set<Capability> = [], find: Bool = true, chunk: Int = 5_000) async throws -> Int64? {
            var configuration = fixture.configuration(.source)
            configuration.ignoredCapabilities = ignoring
            let connection = try await IMAPConnection.connect(configuration)
            try await connection.authenticate(fixture.credentials())
            var inspector = AccountInspector(findLargestMessage: find)
            inspector.sizeFetchChunk = chunk
            inspector.sizeFetchWindow = 2
            let report = try await inspector.inspect(connection, user: fixture.user, admin: nil,
                authentication: "PLAIN")
            await connection.logout()
            #expect(report.warnings.allSatisfy { !$0.contains("largest") }, "\(report.warnings)")
            return report.largestMessage
        }
        #expect(try await largest() == real, "UID SORT RETURN (MIN) (REVERSE SIZE)")
        #expect(try await largest(ignoring: [.sort, .esort], chunk: 2) == real, "FETCH RFC822.SIZE in chunks of 2")
        #expect(try await largest(ignoring: [.esort, .statusSize]) == real, "the size pass without STATUS=SIZE")
        #expect(try await largest(find: false) == nil, "probe does not look")
        #expect(try await fixture.allMessages(.source) == before, "EXAMINE only: no flag changed")

        // inventory scan stores it; plan capacity compares it with the destination preset's cap.
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("tern-largest-\(UUID())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let project = directory.appendingPathComponent("acme").path
        let created = try await TernBinary.run(["init", project, "--from", "dovecot", "--to", "trekmail",
                                          "--domain", "acme.example"])
        #expect(created.status == 0, "\(created.stderr)")
        let csv = directory.appendingPathComponent("users.csv").path
        try "u34,\(fixture.password),u34,\(fixture.password)\n".write(toFile: csv, atomically: true, encoding: .utf8)
        let imported = try await TernBinary.run(["inventory", "import", csv, "--format", "mailbox-csv", "--project", project])
        #expect(imported.status == 0, "\(imported.stderr)")
        let scan = try await TernBinary.run(["inventory", "scan", "--credentials", csv, "--json", "--project", project,
            "--host1", "127.0.0.1", "--port1", String(env.source.tlsPort), "--ca-file1", env.ca,
            "--tls-server-name1", "localhost"])
        #expect(scan.status == 0, "\(scan.stderr)")
        let scans = try #require(try JSONSerialization.jsonObject(with: Data(scan.stdout.utf8)) as? [[String: Any]])
        #expect((scans.first?["largestMessage"] as? NSNumber)?.int64Value == real, "\(scans)")

        func capacity(cap: Int64) async throws -> (TernBinary.Outcome, [String: Any]?) {
            let preset = directory.appendingPathComponent("capped-\(cap).lua").path
            try """
                return { name = "capped", description = "a destination with a \(cap)-byte message cap",
                         limits = { max_message_size = \(cap) } }
                """.write(toFile: preset, atomically: true, encoding: .utf8)
            let outcome = try await TernBinary.run(["plan", "capacity", "--credentials", csv, "--json",
                "--preset2", preset, "--host2", "127.0.0.1", "--port2", String(env.destination.tlsPort),
                "--ca-file2", env.ca, "--tls-server-name2", "localhost", "--project", project])
            let checks = try JSONSerialization.jsonObject(with: Data(outcome.stdout.utf8)) as? [[String: Any]]
            return (outcome, checks?.first)
        }
        let (capped, over) = try await capacity(cap: 20_000)
        #expect(capped.status == 2, "\(capped.stdout)\(capped.stderr)")
        #expect(over?["status"] as? String == "problem", "\(String(describing: over))")
        #expect((over?["messages"] as? [String] ?? []).contains {
            $0.contains("largest message") && $0.contains("over the destination's message size cap of 20.0 KB")
        }, "\(String(describing: over))")
        let (roomy, fits) = try await capacity(cap: 10_000_000)
        #expect(roomy.status == 0, "\(roomy.stdout)\(roomy.stderr)")
        #expect(fits?["status"] as? String == "ok", "\(String(describing: fits))")
    }
}
