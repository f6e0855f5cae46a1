import Foundation
import Testing
import TernTestSupport

/// `tern sync` killed with SIGKILL at several points and run again: the state database and
/// fingerprint adoption leave exactly one copy of every message, and `tern verify` agrees —
/// into Dovecot (u11), and into Debian's Cyrus (u68 → c12), which stores the raw UTF-8
/// subjects of every fifth message with an X for each 8-bit byte, so the copies an unrecorded
/// APPEND left behind can only be recognised by identity that survives the rewrite.
@Suite struct SyncKillResumeTests {
    @Test(arguments: ["dovecot", "cyrus"])
    func killNineAtSeveralPointsThenResumeLeavesExactlyOneCopy(_ destination: String) async throws {
        let fixture = destination == "cyrus"
            ? try AccountFixture(user: "u68", source: nil, destination: .init(.cyrus, user: "c12"))
            : try AccountFixture(user: "u11")
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("tern-kill-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        try await fixture.wipe()
        // 300 messages, every third 100–300 KB (about 20 MB), so a pass takes a moment.
        let seed = (1...300).map { index in
            SeedMessage(messageID: "kill-\(index)@tern.test",
                subject: index % 5 == 0 ? "Kill test \(index): Grüße" : "Kill test \(index)",
                dateHeader: "Wed, 3 Jan 2024 10:00:00 +0000", flags: index % 2 == 0 ? ["\\Seen"] : [],
                internalDate: SeedMessage.date(2024, 1, 3, index % 24, index % 60, 0, zoneMinutes: 0),
                padding: index % 3 == 0 ? 100_000 + (index * 677) % 200_000 : 0)
        }
        try await fixture.seed(.source, seed)

        let arguments = try ["sync"] + fixture.cliServerArguments(directory: directory)
            // Small, paced batches, so the destination fills step by step and there is a moment to kill.
            + ["--batch-messages", "10", "--max-messages-per-second", "80"]
            + ["--state", directory.appendingPathComponent("state.sqlite").path, "--json",
               "--log-dir", directory.appendingPathComponent("logs").path]
        let monitor = fixture.writableStore(.destination)
        _ = try await monitor.open()
        defer { Task { await monitor.close() } }

        let logDirectory = directory.appendingPathComponent("logs")
        func log() throws -> String {
            let names = (try? FileManager.default.contentsOfDirectory(atPath: logDirectory.path)) ?? []
            return try names.map {
                try String(contentsOf: logDirectory.appendingPathComponent($0), encoding: .utf8)
            }.joined()
        }
        func destinationCount() async throws -> Int {
            guard let inbox = try await monitor.folders().first(where: \.isInbox) else { return 0 }
            return try await monitor.status(inbox).messages
        }

        // Kill the first run once 30 copies are in (mid-APPEND); the second (resuming) run once
        // it has noticed the first was killed and 40 more copies are in — or, when the dead
        // run's server session had already stored nearly everything, as soon as all are in
        // (after the APPENDs, before the run records them and finishes).
        var killedAt: [Int] = []
        for round in 0..<2 {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: TernBinary.path)
            process.arguments = arguments
            process.standardOutput = FileHandle.nullDevice
            process.standardError = FileHandle.nullDevice
            try process.run()
            var count = 0
            var threshold = round == 0 ? 30 : Int.max
            let deadline = Date().addingTimeInterval(60)
            while process.isRunning && Date() < deadline {
                count = try await destinationCount()
                if threshold == .max, try log().contains("did not finish") { threshold = min(count + 40, 300) }
                if count >= threshold { break }
                try await Task.sleep(for: .milliseconds(10))
            }
            if process.isRunning {
                kill(process.processIdentifier, SIGKILL)
                killedAt.append(count)
            }
            process.waitUntilExit()
        }
        #expect(killedAt.count == 2, "both runs were killed part-way (at \(killedAt) of 300)")
        #expect(killedAt.first.map { $0 < 300 } == true, "the first run was killed part-way")

        let finished = try await TernBinary.run(arguments)
        #expect(finished.status == 0, "\(finished.stderr)")
        // Each resumed run knew its predecessor was killed and let the destination settle.
        let text = try log()
        #expect(text.components(separatedBy: "did not finish").count - 1 == 2, "\(text)")
        let verified = try await TernBinary.run(["verify"] + Array(arguments.dropFirst()))
        if destination == "cyrus" {
            // Nothing missing or extra; the 60 rewritten subjects are named as altered.
            #expect(verified.status == 3, "\(verified.stdout)\(verified.stderr)")
            let summary = verified.stdout.split(separator: "\n").compactMap {
                try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any]
            }.first { $0["kind"] as? String == "verification" }
            let folders = summary?["folders"] as? [[String: Any]] ?? []
            let total = { (key: String) in folders.reduce(0) { $0 + ($1[key] as? Int ?? -1) } }
            #expect(total("altered") == 60, "\(verified.stdout)")
            #expect(total("missing") == 0 && total("extra") == 0 && total("flagMismatches") == 0, "\(verified.stdout)")
        } else {
            #expect(verified.status == 0, "\(verified.stdout)\(verified.stderr)")
        }

        let copies = try await fixture.messages(.destination, ["INBOX"]).compactMap(\.messageID)
        let counted = Dictionary(copies.map { ($0, 1) }, uniquingKeysWith: +)
        let duplicated = counted.filter { $0.value > 1 }.keys.sorted()
        let missing = seed.compactMap(\.messageID).filter { counted[$0] == nil }
        #expect(copies.count == 300)
        #expect(duplicated.isEmpty, "copied twice: \(duplicated)")
        #expect(missing.isEmpty, "missing: \(missing)")
    }
}
