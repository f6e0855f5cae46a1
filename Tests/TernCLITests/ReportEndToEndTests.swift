import Foundation
import Testing
import TernTestSupport

/// `tern report` over state made by real commands: a project with u14 and u41, an alias, a
/// group, a forwarder and a catch-all under review (notes with markup); a scan through the
/// master login; u14 the pilot, synced and verified (`tern sync`/`verify --project`: the runs
/// are linked by the account key), u41's sync failing on a wrong password; the checklist
/// without servers. Then the report as JSON (numbers), as an HTML file (0600, escaped) and as
/// Markdown.
@Suite struct ReportEndToEndTests {
    @Test func reportFromRecordedState() async throws {
        let u14 = try AccountFixture(user: "u14")
        let u41 = try AccountFixture(user: "u41")
        let env = u14.env
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("tern-report-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        try await u14.wipe()
        // u41 is only scanned and refused a login: nothing of it is changed.
        try await u14.seed(.source, [
            SeedMessage(messageID: "u14-1@tern.test", subject: "Quote for Acme"),
            SeedMessage(folder: ["Work"], messageID: "u14-2@tern.test", subject: "Contract", padding: 2_000),
        ])

        // The report is refused outside a project.
        let lost = try await TernBinary.run(["report", "--project", directory.path])
        #expect(lost.status == 20, "\(lost.stderr)")
        #expect(lost.stderr.contains("tern init"))

        let project = directory.appendingPathComponent("acme").path
        let created = try await TernBinary.run(["init", project, "--from", "dovecot", "--to", "dovecot",
                                          "--domain", "acme.example"])
        #expect(created.status == 0, "\(created.stderr)")
        let csv = directory.appendingPathComponent("inventory.csv").path
        try """
            type,address,targets,display_name,destination,size,keep_copy,action,notes
            mailbox,u14@acme.example,,,,,,,
            mailbox,u41@acme.example,,,,,,,
            alias,sales@acme.example,u14@acme.example,,,,,,
            group,team@acme.example,u14@acme.example;u41@acme.example,,,,,,
            forwarder,info@acme.example,owner@gmail.example,,,,yes,,
            catchall,@acme.example,u14@acme.example,,,,,,"old <script>alert(1)</script> & R&D | rule"
            catchall,@acme.example,,,,,,reject,

            """.write(toFile: csv, atomically: true, encoding: .utf8)
        let imported = try await TernBinary.run(["inventory", "import", csv, "--format", "csv", "--project", project])
        #expect(imported.status == 0, "\(imported.stderr)")

        let admin = try u14.passwordFile(in: directory, name: "admin.pw", password: env.master.password)
        let sourceServer = ["--host1", "127.0.0.1", "--port1", String(env.source.tlsPort), "--tls1", "implicit",
                            "--ca-file1", env.ca, "--tls-server-name1", "localhost"]
        let scan = try await TernBinary.run(["inventory", "scan", "--login-as", "local-part", "--admin-user1", env.master.user,
                                       "--password-file1", admin, "--project", project] + sourceServer)
        #expect(scan.status == 0, "\(scan.stdout)\(scan.stderr)")
        let waves = try await TernBinary.run(["plan", "waves", "--pilot-address", "u14@acme.example", "--project", project])
        #expect(waves.status == 0, "\(waves.stdout)\(waves.stderr)")

        // u14: copied and verified by tern sync/verify: the runs know only the account keys.
        let u14Arguments = try u14.cliServerArguments(directory: directory) + ["--project", project]
        let sync = try await TernBinary.run(["sync"] + u14Arguments)
        #expect(sync.status == 0, "\(sync.stdout)\(sync.stderr)")
        let verify = try await TernBinary.run(["verify"] + u14Arguments)
        #expect(verify.status == 0, "\(verify.stdout)\(verify.stderr)")
        // u41: the source refuses the login.
        let wrong = try u41.passwordFile(in: directory, name: "u41-wrong.pw", password: "not-the-password")
        let failed = try await TernBinary.run(["sync"] + (try u41.cliServerArguments(directory: directory, withUsers: false))
            + ["--user1", "u41", "--password-file1", wrong, "--user2", "u41",
               "--password-file2", try u41.passwordFile(in: directory, name: "u41.pw"), "--project", project])
        #expect(failed.status == 12, "\(failed.stdout)\(failed.stderr)")
        // The checklist without servers: manual items, and largest-prestaged fails on u41.
        let checklist = try await TernBinary.run(["checklist", "--project", project])
        #expect(checklist.status == 1, "\(checklist.stdout)\(checklist.stderr)")

        // JSON: the numbers.
        let json = try await TernBinary.run(["report", "--format", "json", "--project", project])
        #expect(json.status == 0, "\(json.stderr)")
        let report = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
        let mailboxes = try #require(report["mailboxes"] as? [[String: Any]])
        #expect(mailboxes.compactMap { $0["address"] as? String } == ["u14@acme.example", "u41@acme.example"])
        let row14 = mailboxes[0]
        #expect(row14["state"] as? String == "verified")
        #expect(row14["verification"] as? String == "match")
        let copy14 = try #require(row14["lastCopy"] as? [String: Any])
        #expect(copy14["status"] as? String == "done" && copy14["copied"] as? Int == 2)
        #expect((copy14["bytes"] as? Int ?? 0) > 2_000)
        #expect((copy14["finishedAt"] as? String)?.hasSuffix("Z") == true, "ISO 8601 in UTC")
        #expect((row14["scan"] as? [String: Any])?["messages"] as? Int == 2)
        let row31 = mailboxes[1]
        #expect(row31["state"] as? String == "failed")
        #expect(((row31["lastCopy"] as? [String: Any])?["error"] as? String)?.contains("AUTHENTICATIONFAILED") == true,
            "\(row31)")
        let totals = try #require(report["totals"] as? [String: Any])
        #expect(totals["copyRuns"] as? Int == 2 && totals["verifyRuns"] as? Int == 1 && totals["copiedMessages"] as? Int == 2)
        #expect(totals["scanned"] as? Int == 2)
        let waveRows = try #require(report["waves"] as? [[String: Any]])
        #expect(waveRows.compactMap { $0["wave"] as? String } == ["pilot", "pre-stage", "final"])
        func counts(_ row: [String: Any]) -> [Int] {
            ["mailboxes", "copied", "verified", "failed", "notStarted"].map { row[$0] as? Int ?? -1 }
        }
        #expect(counts(waveRows[0]) == [1, 1, 1, 0, 0], "pilot: u14 copied and verified")
        #expect(counts(waveRows[1]) == [1, 0, 0, 1, 0], "pre-stage: u41 failed")
        #expect(counts(waveRows[2]) == [2, 0, 0, 0, 2], "final: no final pass yet")
        #expect(waveRows[0]["copiedBytes"] as? Int == copy14["bytes"] as? Int)
        let routing = try #require(report["routing"] as? [[String: Any]])
        #expect(routing.compactMap { $0["destinationStatus"] as? String } == ["manual", "manual", "not-checked", "review"])
        let attention = try #require(report["attention"] as? [[String: Any]])
        let listed = attention.compactMap { item in (item["kind"] as? String).map { "\($0) \(item["subject"] as? String ?? "")" } }
        #expect(listed == ["mailbox-failed u41@acme.example", "checklist-failed largest-prestaged", "review @acme.example"],
            "\(listed)")
        let checklistSection = try #require(report["checklist"] as? [String: Any])
        #expect(checklistSection["passed"] as? Bool == false && checklistSection["evaluatedAt"] is String)
        #expect((report["unlinkedRuns"] as? [Any])?.isEmpty == true, "both runs are linked by their account keys")

        // HTML to a file: owner-only, every value escaped, replacing a world-readable file.
        let html = directory.appendingPathComponent("acme/reports/status.html").path
        #expect(FileManager.default.createFile(atPath: html, contents: Data("old".utf8),
            attributes: [.posixPermissions: 0o644]))
        let written = try await TernBinary.run(["report", "--format", "html", "--output", html, "--project", project])
        #expect(written.status == 0, "\(written.stderr)")
        #expect(written.stdout.contains("Wrote the report (html) to \(html): 2 mailboxes, 3 items needing attention"))
        let mode = try FileManager.default.attributesOfItem(atPath: html)[.posixPermissions] as? Int
        #expect(mode == 0o600)
        let page = try String(contentsOfFile: html, encoding: .utf8)
        #expect(page.hasPrefix("<!DOCTYPE html>") && !page.contains("<script"))
        #expect(page.contains("old &lt;script&gt;alert(1)&lt;/script&gt; &amp; R&amp;D | rule"))

        // Markdown to standard output.
        let markdown = try await TernBinary.run(["report", "--project", project])
        #expect(markdown.status == 0, "\(markdown.stderr)")
        let text = markdown.stdout
        #expect(text.hasPrefix("# Migration report: acme.example\n"))
        #expect(text.contains("| u14@acme.example | u14@acme.example | pilot | verified | 2 messages, "))
        #expect(text.contains("| u41@acme.example | u41@acme.example | pre-stage | failed |"))
        #expect(text.contains("old \\<script\\>alert(1)\\</script\\> & R\\&D \\| rule"))
        #expect(text.contains("- **Checklist:** fails — "))

        // No password anywhere (none is stored; make sure none leaks from a run's error).
        for output in [json.stdout, markdown.stdout, page, written.stdout] {
            for secret in [u14.password, u41.password, env.master.password, "not-the-password"] {
                #expect(!output.contains(secret))
            }
        }
    }
}
