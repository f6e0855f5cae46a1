import Foundation
import Testing
import TernIMAP
import TernTestSupport

/// `tern plan folders` in a project (user u40): the source gets folders whose names clash on
/// the destination — `Projects` and `projects`, `INBOX.inbox` (INBOX in another spelling), and
/// `Old`, which a rule sends to `Archive` beside the real one. The scan stores the folders and
/// the largest message; the preview flags each clash with exit 2, logged in to the destination
/// or not, a clean selection exits 0, and a wave nobody scanned exits 20.
@Suite(.timeLimit(.minutes(3))) struct PlanFoldersEndToEndTests {
    @Test func previewFlagsCollisionsCaseOnlyAndReservedNames() async throws {
        let fixture = try AccountFixture(user: "u40")
        let env = fixture.env
        try await fixture.wipe()
        try await fixture.seed(.source, [
            SeedMessage(messageID: "u40-1@tern.test", subject: "hello", padding: 2_000),
            SeedMessage(folder: ["Projects"], messageID: "u40-2@tern.test", subject: "plan"),
            SeedMessage(folder: ["projects"], messageID: "u40-3@tern.test", subject: "lower"),
            SeedMessage(folder: ["Old"], messageID: "u40-4@tern.test", subject: "old and big", padding: 40_000),
            SeedMessage(folder: ["Archive"], messageID: "u40-5@tern.test", subject: "archived"),
            SeedMessage(folder: ["Clients", "Zürich"], messageID: "u40-6@tern.test", subject: "deep"),
        ])
        // INBOX.inbox: the fixture's store would treat the path ["inbox"] as INBOX itself.
        let connection = try await fixture.connect(.source)
        let made = try await connection.execute(.create(MailboxName(decoded: "INBOX.inbox")))
        await connection.logout()
        #expect(made.isOK, "\(made.state)")
        let real = try #require(try await fixture.allMessages(.source).values.flatMap { $0 }.map(\.size).max())

        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("tern-folders-\(UUID())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let project = directory.appendingPathComponent("acme").path
        #expect(try await TernBinary.run(["init", project, "--from", "dovecot", "--to", "trekmail",
                                    "--domain", "acme.example"]).status == 0)
        let csv = directory.appendingPathComponent("users.csv").path
        try """
            u40,\(fixture.password),u40,\(fixture.password)
            nobody,x,nobody,x

            """.write(toFile: csv, atomically: true, encoding: .utf8)
        let imported = try await TernBinary.run(["inventory", "import", csv, "--format", "mailbox-csv", "--project", project])
        #expect(imported.status == 0, "\(imported.stderr)")
        let waves = try await TernBinary.run(["plan", "waves", "--pilot", "0", "--pilot-address", "u40@acme.example",
                                        "--project", project])
        #expect(waves.status == 0, "\(waves.stdout)\(waves.stderr)")

        // Nothing scanned yet: nothing to preview.
        let early = try await TernBinary.run(["plan", "folders", "--project", project])
        #expect(early.status == 20, "\(early.stdout)\(early.stderr)")
        #expect(early.stderr.contains("run tern inventory scan"), "\(early.stderr)")

        let scan = try await TernBinary.run(["inventory", "scan", "--credentials", csv, "--address", "u40@acme.example",
            "--json", "--project", project, "--host1", "127.0.0.1", "--port1", String(env.source.tlsPort),
            "--ca-file1", env.ca, "--tls-server-name1", "localhost"])
        #expect(scan.status == 0, "\(scan.stderr)")
        let scanned = try #require(try JSONSerialization.jsonObject(with: Data(scan.stdout.utf8)) as? [[String: Any]])
        #expect((scanned.first?["largestMessage"] as? NSNumber)?.int64Value == real, "\(scanned)")

        let rules = directory.appendingPathComponent("rules.lua").path
        try """
            function map_folder(f)
                if f.name == "Old" then return "Archive" end
                return nil
            end
            """.write(toFile: rules, atomically: true, encoding: .utf8)

        // Without a destination login: "/" and no prefix; every mailbox of the inventory.
        let text = try await TernBinary.run(["plan", "folders", "--script", rules, "--project", project])
        #expect(text.status == 2, "\(text.stdout)\(text.stderr)")
        let lines = text.stdout.split(separator: "\n").map(String.init)
        func row(_ mapping: String) -> String? {
            lines.first { $0.hasPrefix("u40@acme.example") && $0.contains(mapping) }
        }
        #expect(lines.first?.hasPrefix("Destination naming: separator \"/\", no prefix") == true, "\(text.stdout)")
        #expect(lines.contains {
            $0.hasPrefix("ACCOUNT") && $0.contains("SOURCE → DESTINATION") && $0.hasSuffix("NOTE")
        })
        #expect(row("INBOX → INBOX")?.contains("RESERVED") == false)
        #expect(row("INBOX.Old → Archive")?.contains("rule; COLLISION") == true, "\(text.stdout)")
        #expect(row("INBOX.Archive → Archive")?.contains("COLLISION") == true)
        #expect(row("INBOX.Projects → Projects")?.contains("CASE-ONLY") == true)
        #expect(row("INBOX.projects → projects")?.contains("CASE-ONLY") == true)
        #expect(row("INBOX.inbox → INBOX")?.contains("RESERVED") == true)
        #expect(row("INBOX.Clients.Zürich → Clients/Zürich") != nil)
        #expect(row("INBOX.Clients.Zürich → Clients/Zürich")?.contains("COLLISION") == false)
        #expect(text.stdout.contains("nobody@acme.example: never scanned: run tern inventory scan"))
        #expect(text.stdout.contains("u40@acme.example  collision: INBOX.Archive, INBOX.Old → Archive"))
        #expect(text.stdout.contains("u40@acme.example  case-only: Projects, projects differ only in case"))
        #expect(text.stdout.contains("u40@acme.example  reserved: INBOX.inbox → INBOX"))
        #expect(text.stdout.contains("u40@acme.example  collision: INBOX, INBOX.inbox → INBOX"))
        #expect(text.stdout.contains("1 account, 12 folders (11 copied)"), "\(text.stdout)")
        #expect(text.stdout.contains("2 collisions, 1 case-only, 1 reserved, 0 refused; 1 mailbox not previewed"))

        // Logged in to the destination: its own separator, prefix and folders (Archive exists).
        let login = try await TernBinary.run(["plan", "folders", "--wave", "pilot", "--script", rules, "--json",
            "--credentials", csv, "--host2", "127.0.0.1", "--port2", String(env.destination.tlsPort),
            "--ca-file2", env.ca, "--tls-server-name2", "localhost", "--project", project])
        #expect(login.status == 2, "\(login.stdout)\(login.stderr)")
        #expect(!login.stdout.contains(fixture.password))
        let document = try #require(try JSONSerialization.jsonObject(with: Data(login.stdout.utf8)) as? [String: Any])
        #expect(document["destinationNaming"] as? String == "login")
        #expect(document["wave"] as? String == "pilot")
        let accounts = try #require(document["accounts"] as? [[String: Any]])
        #expect(accounts.map { $0["address"] as? String } == ["u40@acme.example"])
        #expect(accounts.first?["destinationSeparator"] as? String == "/")
        let folders = try #require(accounts.first?["folders"] as? [[String: Any]])
        let archive = try #require(folders.first { $0["source"] as? String == "INBOX.Archive" })
        #expect(archive["destination"] as? String == "Archive")
        #expect(archive["exists"] as? Bool == true, "\(archive)")
        #expect(archive["reason"] as? String == "special-use")
        #expect(archive["problems"] as? [String] == ["collision"])
        let summary = try #require(document["summary"] as? [String: Any])
        let problems = try #require(summary["problems"] as? [String: Int])
        #expect(problems == ["collision": 2, "case-only": 1, "reserved": 1, "refused": 0], "\(problems)")
        #expect(summary["notPreviewed"] as? Int == 0)

        // Left out, the troublemakers leave a clean preview.
        let clean = try await TernBinary.run(["plan", "folders", "--wave", "pilot", "--exclude", "^(projects|Old|inbox)$",
                                        "--project", project])
        #expect(clean.status == 0, "\(clean.stdout)\(clean.stderr)")
        #expect(clean.stdout.contains("0 collisions, 0 case-only, 0 reserved, 0 refused; 0 mailboxes not previewed"))
        #expect(clean.stdout.contains("INBOX.Old → —"), "\(clean.stdout)")

        let unscanned = try await TernBinary.run(["plan", "folders", "--wave", "pre-stage", "--project", project])
        #expect(unscanned.status == 20, "\(unscanned.stdout)\(unscanned.stderr)")
        let contradictory = try await TernBinary.run(["plan", "folders", "--credentials", csv, "--separator2", ".",
                                                "--project", project])
        #expect(contradictory.status == 64, "\(contradictory.stderr)")
    }
}
