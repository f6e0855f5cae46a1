import Foundation
import Testing
import TernTestSupport

/// `tern batch` with a good row, a wrong password and a malformed row: the good mailbox is
/// copied, the others are reported, and the exit code says "partly failed".
@Suite struct BatchEndToEndTests {
    /// A global preset that cannot load stops the batch before any row runs, as bad input
    /// (not as every row failing), and names the file and line.
    @Test func brokenGlobalPresetIsBadInput() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("tern-batch-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let preset = directory.appendingPathComponent("broken.lua").path
        try "return {\n  name = 'broken',\n  imap = { host = }\n}\n".write(toFile: preset, atomically: true, encoding: .utf8)
        let csv = directory.appendingPathComponent("users.csv").path
        try "u12,u12-pw-1,u12,u12-pw-1\n".write(toFile: csv, atomically: true, encoding: .utf8)
        let result = try await TernBinary.run(["batch", csv, "--preset1", preset, "--host2", "127.0.0.1",
            "--state", directory.appendingPathComponent("state.sqlite").path])
        #expect(result.status == 20, "\(result.stdout)\(result.stderr)")
        #expect(result.stderr.contains("--preset1") && result.stderr.contains("broken.lua:3"), "\(result.stderr)")
        #expect(!FileManager.default.fileExists(atPath: directory.appendingPathComponent("state.sqlite").path),
            "nothing ran")
    }

    @Test func goodBadPasswordAndMalformedRows() async throws {
        let good = try AccountFixture(user: "u12")
        let wrong = try AccountFixture(user: "u13")
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("tern-batch-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        try await good.wipe()
        try await wrong.wipe()
        try await good.seed(.source, numberedMessages(4))
        try await wrong.seed(.source, numberedMessages(2))

        let csv = directory.appendingPathComponent("users.csv").path
        let text = """
            # wave 1
            u12,u12-pw-1,u12,u12-pw-1
            u13,not-the-password,u13,u13-pw-1
            u14,u14-pw-1,u14

            """
        try text.write(toFile: csv, atomically: true, encoding: .utf8)
        let result = try await TernBinary.run(["batch", csv, "--parallel", "2", "--json",
            "--state", directory.appendingPathComponent("state.sqlite").path]
            + good.cliServerArguments(directory: directory, withUsers: false))

        #expect(result.status == 2, "\(result.stderr)")
        #expect(result.stderr.contains("\(csv):4:"), "the malformed row is named by file:line: \(result.stderr)")
        let lines = result.stdout.split(separator: "\n").map(String.init)
        let last = try #require(lines.last)
        let summary = try #require(try JSONSerialization.jsonObject(with: Data(last.utf8)) as? [String: Any])
        #expect(summary["kind"] as? String == "summary")
        #expect(summary["exitCode"] as? Int == 2)
        let mailboxes = try #require(summary["mailboxes"] as? [[String: Any]])
        #expect(mailboxes.count == 2)
        let goodReport = try #require(mailboxes.first { ($0["source"] as? String)?.hasPrefix("u12") == true })
        let badReport = try #require(mailboxes.first { ($0["source"] as? String)?.hasPrefix("u13") == true })
        #expect(goodReport["error"] == nil || goodReport["error"] is NSNull)
        #expect(badReport["errorCategory"] as? String == "auth", "\(badReport)")
        #expect((badReport["error"] as? String)?.lowercased().contains("auth") == true
            || (badReport["error"] as? String)?.lowercased().contains("log in") == true, "\(badReport)")
        #expect(!result.stdout.contains("not-the-password") && !result.stderr.contains("not-the-password"))

        #expect(try await good.messages(.destination, ["INBOX"]).compactMap(\.messageID).sorted()
            == numberedMessages(4).compactMap(\.messageID).sorted())
        #expect(try await wrong.count(.destination, ["INBOX"]) == 0)
    }

    func numberedMessages(_ count: Int) -> [SeedMessage] {
        (1...count).map { SeedMessage(messageID: "batch-\($0)@tern.test", subject: "Batch \($0)") }
    }
}
