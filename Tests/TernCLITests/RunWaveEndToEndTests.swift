import Foundation
import Testing
import TernTestSupport

/// `tern run wave` in a project over the Dovecot pair with the master login on both sides:
/// users u18–u20 imported, scanned and planned (u20 the pilot); the pilot copies only u20 and
/// verifies it; pre-stage copies u18 and u19 largest first and emits wave events; running it
/// again copies nothing; the final wave moves exactly the one new message; the run history
/// then gives `plan waves` its measured rate.
@Suite struct RunWaveEndToEndTests {
    @Test func pilotPreStageAndFinalWaves() async throws {
        let fixtures = try ["u18", "u19", "u20"].map { try AccountFixture(user: $0) }
        let (u18, u19, u20) = (fixtures[0], fixtures[1], fixtures[2])
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("tern-wave-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        for fixture in fixtures { try await fixture.wipe() }
        try await u18.seed(.source, messages("u18", 2))
        // u19 is over 1 MB so its copy counts as a throughput measurement.
        try await u19.seed(.source, messages("u19", 3, padding: 400_000)
            + messages("u19-work", 1, folder: ["Work"], padding: 1_000))
        try await u20.seed(.source, messages("u20", 1))
        let env = u18.env

        let project = directory.appendingPathComponent("acme").path
        let created = try await TernBinary.run(["init", project, "--from", "dovecot", "--to", "dovecot",
                                          "--domain", "acme.example"])
        #expect(created.status == 0, "\(created.stderr)")
        let csv = directory.appendingPathComponent("inventory.csv").path
        try """
            type,address,targets
            mailbox,u18@acme.example,
            mailbox,u19@acme.example,
            mailbox,u20@acme.example,
            alias,info@acme.example,u18@acme.example

            """.write(toFile: csv, atomically: true, encoding: .utf8)
        let imported = try await TernBinary.run(["inventory", "import", csv, "--format", "csv", "--project", project])
        #expect(imported.status == 0, "\(imported.stderr)")

        let admin = try u18.passwordFile(in: directory, name: "admin.pw", password: env.master.password)
        let sourceServer = ["--host1", "127.0.0.1", "--port1", String(env.source.tlsPort), "--tls1", "implicit",
                            "--ca-file1", env.ca, "--tls-server-name1", "localhost"]
        let servers = sourceServer + [
            "--host2", "127.0.0.1", "--port2", String(env.destination.tlsPort), "--tls2", "implicit",
            "--ca-file2", env.ca, "--tls-server-name2", "localhost",
            "--admin-user1", env.master.user, "--password-file1", admin, "--login-as1", "local-part",
            "--admin-user2", env.master.user, "--password-file2", admin, "--login-as2", "local-part",
            "--project", project,
        ]
        let scan = try await TernBinary.run(["inventory", "scan", "--login-as", "local-part", "--admin-user1", env.master.user,
                                       "--password-file1", admin, "--project", project] + sourceServer)
        #expect(scan.status == 0, "\(scan.stdout)\(scan.stderr)")

        let noWaves = try await TernBinary.run(["run", "wave", "pilot"] + servers)
        #expect(noWaves.status == 20, "no wave planned yet: \(noWaves.stderr)")
        #expect(noWaves.stderr.contains("run tern plan waves first"))
        let bogus = try await TernBinary.run(["run", "wave", "second-wave"] + servers)
        #expect(bogus.status == 64)

        let plan = try await TernBinary.run(["plan", "waves", "--pilot-address", "u20@acme.example", "--project", project])
        #expect(plan.status == 0, "\(plan.stderr)")
        #expect(plan.stdout.contains("10 Mbit/s, default"), "nothing measured yet: \(plan.stdout)")

        // Pilot: only u20, verified.
        let pilot = try await TernBinary.run(["run", "wave", "pilot", "--verify"] + servers)
        #expect(pilot.status == 0, "\(pilot.stdout)\(pilot.stderr)")
        #expect(pilot.stdout.contains("Verification: every copied mailbox matches."), "\(pilot.stdout)")
        #expect(try await u20.count(.destination, ["INBOX"]) == 1)
        let untouched = try await u18.allMessages(.destination).values.reduce(0) { $0 + $1.count }
        #expect(untouched == 0, "u18 is not in the pilot")
        #expect(!pilot.stdout.contains(env.master.password) && !pilot.stderr.contains(env.master.password))

        // Pre-stage: u19 (the largest) starts first; the wave's events are in the JSON lines.
        let preStage = try await TernBinary.run(["run", "wave", "pre-stage", "--json", "--parallel", "1"] + servers)
        #expect(preStage.status == 0, "\(preStage.stdout)\(preStage.stderr)")
        let events = preStage.stdout.split(separator: "\n").compactMap {
            try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any]
        }
        let kinds = events.compactMap { $0["kind"] as? String }
        #expect(kinds.first == "wave_started", "\(kinds)")
        #expect(kinds.contains("wave_finished"))
        let started = events.filter { $0["kind"] as? String == "mailbox_started" }.compactMap { $0["mailbox"] as? String }
        #expect(started.count == 2 && started.first?.hasPrefix("u19@") == true, "largest first: \(started)")
        let finished = try #require(events.first { $0["kind"] as? String == "wave_finished" })
        #expect((finished["details"] as? [String: String])?["wave"] == "pre-stage")
        #expect((finished["counts"] as? [String: Any])?["copied"] as? Int == 6)
        #expect(try await u18.count(.destination, ["INBOX"]) == 2)
        #expect(try await u19.count(.destination, ["INBOX"]) == 3)
        #expect(try await u19.count(.destination, ["Work"]) == 1)

        // Again: nothing is copied twice.
        let again = try await TernBinary.run(["run", "wave", "pre-stage", "--json"] + servers)
        #expect(again.status == 0, "\(again.stderr)")
        #expect(try await u19.count(.destination, ["INBOX"]) == 3)
        #expect(try await u18.count(.destination, ["INBOX"]) == 2)

        // Final: every mailbox's delta pass moves exactly the new message.
        try await u18.append(.source, [SeedMessage(messageID: "u18-late@tern.test", subject: "late")])
        let final = try await TernBinary.run(["run", "wave", "final", "--verify"] + servers)
        #expect(final.status == 0, "\(final.stdout)\(final.stderr)")
        #expect(try await u18.count(.destination, ["INBOX"]) == 3)
        #expect(try await u19.count(.destination, ["INBOX"]) == 3)
        #expect(try await u20.count(.destination, ["INBOX"]) == 1)

        // u19's copy (over 1 MB) is now the measured rate.
        let measured = try await TernBinary.run(["plan", "waves", "--dry-run", "--json", "--project", project])
        let document = try #require(try JSONSerialization.jsonObject(with: Data(measured.stdout.utf8)) as? [String: Any])
        #expect((document["rateSource"] as? String)?.hasPrefix("measured: median of 1 earlier copy") == true,
            "\(document)")
    }

    func messages(_ prefix: String, _ count: Int, folder: [String] = ["INBOX"], padding: Int = 0) -> [SeedMessage] {
        (1...count).map {
            SeedMessage(folder: folder, messageID: "\(prefix)-\($0)@tern.test", subject: "\(prefix) \($0)",
                padding: padding)
        }
    }
}
