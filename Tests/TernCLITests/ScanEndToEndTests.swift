import Foundation
import Testing
import TernTestSupport

/// `tern inventory scan` in a project against the source Dovecot: users u35–u38 seeded with
/// different sizes (u38 with a wrong password in the credentials file), then one mailbox
/// re-scanned through the master login; `inventory list` shows sizes, counts and scan status;
/// `plan capacity` checks them against the destination's quota.
@Suite struct ScanEndToEndTests {
    @Test func scanWithCredentialsFileThenAdminLogin() async throws {
        let fixtures = try ["u35", "u36", "u37", "u38"].map { try AccountFixture(user: $0) }
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("tern-scan-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        for fixture in fixtures { try await fixture.wipe() }
        try await fixtures[0].seed(.source, messages("u35", 3, padding: 20_000)
            + messages("u35-work", 2, folder: ["Work"], padding: 1_000))
        try await fixtures[1].seed(.source, messages("u36", 1))
        try await fixtures[3].seed(.source, messages("u38", 1))
        let env = fixtures[0].env

        let project = directory.appendingPathComponent("acme").path
        let created = try await TernBinary.run(["init", project, "--from", "cpanel", "--to", "trekmail",
                                          "--domain", "acme.example"])
        #expect(created.status == 0, "\(created.stderr)")
        let csv = directory.appendingPathComponent("users.csv").path
        try """
            u35,\(fixtures[0].password),u35,x
            u36,\(fixtures[1].password),u36,x
            u37,\(fixtures[2].password),u37,x
            u38,not-the-password,u38,x

            """.write(toFile: csv, atomically: true, encoding: .utf8)
        let imported = try await TernBinary.run(["inventory", "import", csv, "--format", "mailbox-csv", "--project", project])
        #expect(imported.status == 0, "\(imported.stderr)")

        let server = ["--host1", "127.0.0.1", "--port1", String(env.source.tlsPort), "--tls1", "implicit",
                      "--ca-file1", env.ca, "--tls-server-name1", "localhost"]
        let scan = try await TernBinary.run(["inventory", "scan", "--credentials", csv, "--parallel", "2", "--json",
                                       "--project", project] + server)
        #expect(scan.status == 2, "one login fails: partial. \(scan.stderr)")
        #expect(!scan.stdout.contains("not-the-password") && !scan.stderr.contains("not-the-password"))
        let scans = try #require(try JSONSerialization.jsonObject(with: Data(scan.stdout.utf8)) as? [[String: Any]])
        #expect(scans.count == 4)
        func scanOf(_ user: String) throws -> [String: Any] {
            try #require(scans.first { $0["address"] as? String == "\(user)@acme.example" })
        }
        let u35 = try scanOf("u35")
        #expect(u35["status"] as? String == "ok", "\(u35)")
        #expect(u35["messages"] as? Int == 5)
        #expect((u35["sizeBytes"] as? Int ?? 0) > 60_000)
        #expect((u35["folders"] as? Int ?? 0) >= 2)
        #expect(try scanOf("u36")["messages"] as? Int == 1)
        #expect(try scanOf("u37")["messages"] as? Int == 0)
        let u38 = try scanOf("u38")
        #expect(u38["status"] as? String == "failed")
        #expect(u38["errorCategory"] as? String == "auth", "\(u38)")
        #expect((try scanOf("u36")["sizeBytes"] as? Int ?? 0) < (u35["sizeBytes"] as? Int ?? 0))

        // The master login for one mailbox, by its local part; nothing else is touched.
        let admin = try fixtures[0].passwordFile(in: directory, name: "admin.pw", password: env.master.password)
        let again = try await TernBinary.run(["inventory", "scan", "--address", "u36@acme.example", "--login-as", "local-part",
                                        "--admin-user1", env.master.user, "--password-file1", admin,
                                        "--project", project] + server)
        #expect(again.status == 0, "\(again.stdout)\(again.stderr)")
        #expect(again.stdout.contains("Scanned 1 mailboxes: 1 ok, 0 failed"))

        let list = try await TernBinary.run(["inventory", "list", "--json", "--project", project])
        #expect(list.status == 0, "\(list.stderr)")
        let objects = try #require(try JSONSerialization.jsonObject(with: Data(list.stdout.utf8)) as? [[String: Any]])
        let listed35 = try #require(objects.first { $0["address"] as? String == "u35@acme.example" })
        #expect(listed35["sizeBytes"] as? Int == u35["sizeBytes"] as? Int)
        #expect(listed35["messages"] as? Int == 5)
        #expect(listed35["scanStatus"] as? String == "ok")
        let listed38 = try #require(objects.first { $0["address"] as? String == "u38@acme.example" })
        #expect(listed38["scanStatus"] as? String == "failed")
        #expect(listed38["sizeBytes"] == nil)
        let table = try await TernBinary.run(["inventory", "list", "--project", project])
        #expect(table.stdout.contains("MESSAGES") && table.stdout.contains("failed (auth)"), "\(table.stdout)")

        // The capacity check at the destination (quota 1 GB each): u35 and u36 fit, u37's
        // destination login fails, u38 was never scanned successfully.
        let destinationCSV = directory.appendingPathComponent("destination.csv").path
        try """
            u35,x,u35,\(fixtures[0].password)
            u36,x,u36,\(fixtures[1].password)
            u37,x,u37,wrong-destination-password
            u38,x,u38,\(fixtures[3].password)

            """.write(toFile: destinationCSV, atomically: true, encoding: .utf8)
        let capacity = try await TernBinary.run(["plan", "capacity", "--credentials", destinationCSV, "--json",
            "--host2", "127.0.0.1", "--port2", String(env.destination.tlsPort), "--tls2", "implicit",
            "--ca-file2", env.ca, "--tls-server-name2", "localhost", "--project", project])
        #expect(capacity.status == 2, "\(capacity.stderr)")
        #expect(!capacity.stdout.contains("wrong-destination-password"))
        let checks = try #require(try JSONSerialization.jsonObject(with: Data(capacity.stdout.utf8)) as? [[String: Any]])
        func status(_ user: String) -> String? {
            checks.first { $0["address"] as? String == "\(user)@acme.example" }?["status"] as? String
        }
        #expect(status("u35") == "ok", "\(checks)")
        #expect(status("u36") == "ok")
        #expect(status("u37") == "problem")
        #expect(status("u38") == "unknown")
        let u37check = try #require(checks.first { $0["address"] as? String == "u37@acme.example" })
        #expect((u37check["messages"] as? [String])?.first?.hasPrefix("cannot log in at the destination: auth") == true,
            "\(u37check)")
    }

    func messages(_ prefix: String, _ count: Int, folder: [String] = ["INBOX"], padding: Int = 0) -> [SeedMessage] {
        (1...count).map {
            SeedMessage(folder: folder, messageID: "\(prefix)-\($0)@tern.test", subject: "\(prefix) \($0)",
                padding: padding)
        }
    }
}
