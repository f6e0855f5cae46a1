import Foundation
import Testing
import TernTestSupport

/// `tern probe` run as a user would, against the local Dovecot pair.
@Suite(.timeLimit(.minutes(2))) struct ProbeEndToEndTests {
    let env: TestEnvironment
    let secrets: String

    init() throws {
        env = try TestEnvironment.dovecot()
        secrets = env.directory + "/secrets"
    }

    func probe(_ extra: [String], port: Int? = nil, user: String = "alice") async throws -> TernBinary.Outcome {
        try await TernBinary.run(["probe", "--host", "localhost", "--port", String(port ?? env.source.tlsPort),
                            "--user", user] + extra)
    }

    @Test func helpNamesTheCommandsAndTheIMAPLimits() async throws {
        let help = try await TernBinary.run(["--help"])
        #expect(help.status == 0)
        #expect(help.stdout.contains("probe"))
        #expect(help.stdout.contains("dns"))
        #expect(help.stdout.contains("calendars"))
        let probeHelp = try await TernBinary.run(["probe", "--help"])
        #expect(probeHelp.stdout.contains("--password-file"))
        #expect(probeHelp.stdout.contains("--insecure"))
        // No way to put a password on the command line, where `ps` would show it.
        #expect(!probeHelp.stdout.contains("--password "))
        #expect(!probeHelp.stdout.contains("--password <"))
    }

    @Test func probesTheSourceWithItsFoldersAndCounts() async throws {
        let result = try await probe(["--ca-file", env.ca, "--password-file", secrets + "/alice.pw"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("certificate verified"))
        #expect(result.stdout.contains("INBOX.Entwürfe"))
        #expect(result.stdout.contains("INBOX.Entw&APw-rfe"))
        #expect(result.stdout.contains("\\Sent"))
        #expect(result.stdout.contains("personal: \"INBOX.\" separator \".\""))
        #expect(!result.stdout.contains(env.users["alice"]!))
    }

    @Test func jsonReportMatchesTheSeededMailbox() async throws {
        let outcome = try await TernBinary.run(
            ["probe", "--host", "localhost", "--port", String(env.destination.port), "--tls", "starttls",
             "--ca-file", env.ca, "--user", "alice", "--password-env", "TERN_TEST_PW", "--json"],
            environment: ["TERN_TEST_PW": env.users["alice"]!])
        #expect(outcome.status == 0, "\(outcome.stderr)")
        let report = try JSONSerialization.jsonObject(with: Data(outcome.stdout.utf8)) as? [String: Any]
        let folders = report?["folders"] as? [[String: Any]] ?? []
        #expect(folders.contains { $0["name"] as? String == "Sent" && $0["specialUse"] as? String == "\\Sent" })
        #expect((report?["server"] as? [String: Any])?["certificateVerified"] as? Bool == true)
        #expect(report?["separator"] as? String == "/")

        let source = try await probe(["--ca-file", env.ca, "--password-file", secrets + "/alice.pw", "--json"])
        let sourceReport = try JSONSerialization.jsonObject(with: Data(source.stdout.utf8)) as? [String: Any]
        let sourceFolders = sourceReport?["folders"] as? [[String: Any]] ?? []
        let counted = sourceFolders.reduce(0) { $0 + ($1["messages"] as? Int ?? 0) }
        #expect(sourceReport?["totalMessages"] as? Int == counted)
        #expect(counted > 0)
        let inbox = sourceFolders.first { $0["name"] as? String == "INBOX" }
        #expect((inbox?["size"] as? Int ?? 0) > 1_000_000, "the seed has a ~1 MB message in INBOX")
    }

    /// Debian's Cyrus IMAP and Courier-IMAP (scripts/testenv/cyrus.sh, courier.sh): Courier answers
    /// GETQUOTAROOT with `* QUOTA "ROOT"` and no resource list, which probe reads as no limits.
    @Test(arguments: PackagedServer.Kind.allCases)
    func probesThePackagedServers(_ kind: PackagedServer.Kind) async throws {
        let server = try TestEnvironment.packaged(kind)
        let outcome = try await TernBinary.run(["probe", "--host", "localhost", "--port", String(server.tlsPort),
            "--ca-file", server.ca, "--user", "c05", "--password-file", server.passwordFiles["c05"]!, "--json"])
        #expect(outcome.status == 0, "\(outcome.stderr)")
        let report = try JSONSerialization.jsonObject(with: Data(outcome.stdout.utf8)) as? [String: Any]
        #expect(report?["separator"] as? String == server.separator)
        let folders = report?["folders"] as? [[String: Any]] ?? []
        #expect(folders.contains { $0["name"] as? String == "INBOX" })
        let quota = report?["quota"] as? [[String: Any]] ?? []
        if kind == .courier {
            #expect(quota.map { $0["root"] as? String } == ["ROOT"])
            #expect((quota.first?["resources"] as? [Any])?.isEmpty == true)
        }
        #expect(!outcome.stdout.contains(server.users["c05"]!))
    }

    /// An admin login is used only when it opens the user's session: Cyrus's admin may act for
    /// c11; Courier ignores the authorization identity and would show the admin's own mailbox.
    @Test(arguments: PackagedServer.Kind.allCases)
    func adminLoginsLandWhereTheyClaim(_ kind: PackagedServer.Kind) async throws {
        let server = try TestEnvironment.packaged(kind)
        let outcome = try await TernBinary.run(["probe", "--host", "localhost", "--port", String(server.tlsPort),
            "--ca-file", server.ca, "--user", "c11", "--admin-user", server.admin.user,
            "--password-file", server.admin.passwordFile])
        if kind == .courier {
            #expect(outcome.status == 12, "\(outcome.stdout)")
            #expect(outcome.stderr.contains("ignored the authorization identity"), "\(outcome.stderr)")
        } else {
            #expect(outcome.status == 0, "\(outcome.stderr)")
        }
        #expect(!outcome.stderr.contains(server.admin.password))
    }

    @Test func exitCodesSayWhatFailed() async throws {
        let untrusted = try await probe(["--password-file", secrets + "/alice.pw"])
        #expect(untrusted.status == 11)
        #expect(untrusted.stderr.contains("--ca-file"))

        let wrongPassword = try await probe(["--ca-file", env.ca, "--password-file", secrets + "/bob.pw"])
        #expect(wrongPassword.status == 12)
        #expect(!wrongPassword.stderr.contains(env.users["bob"]!))
        #expect(wrongPassword.stderr.split(separator: "\n").count == 1)

        let refused = try await probe(["--password-file", secrets + "/alice.pw"], port: 1)
        #expect(refused.status == 10)

        let plaintext = try await TernBinary.run(
            ["probe", "--host", "localhost", "--port", String(env.destination.port), "--tls", "plain",
             "--user", "alice", "--password-file", secrets + "/alice.pw"])
        #expect(plaintext.status == 11)
        #expect(plaintext.stderr.contains("--allow-plaintext-login"))

        let missingFile = try await probe(["--ca-file", env.ca, "--password-file", "/nonexistent/pw"])
        #expect(missingFile.status == 20)

        let contradictory = try await probe(["--password-file", "a", "--password-env", "B"])
        #expect(contradictory.status == 64)
    }

    @Test func plaintextLoginWorksOnlyWhenAllowedByName() async throws {
        let result = try await TernBinary.run(
            ["probe", "--host", "localhost", "--port", String(env.destination.port), "--tls", "plain",
             "--allow-plaintext-login", "--user", "bob", "--password-file", secrets + "/bob.pw"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stderr.contains("not encrypted"))
        #expect(result.stdout.contains("plaintext"))
    }

    @Test func traceFileIsPrivateAndHoldsNoSecret() async throws {
        let trace = FileManager.default.temporaryDirectory.appendingPathComponent("tern-trace-\(UUID()).log").path
        defer { try? FileManager.default.removeItem(atPath: trace) }
        let result = try await probe(["--ca-file", env.ca, "--password-file", secrets + "/admin.pw",
                                "--admin-user", "admin", "--trace", trace])
        #expect(result.status == 0, "\(result.stderr)")
        let text = try String(contentsOfFile: trace, encoding: .utf8)
        #expect(text.contains("AUTHENTICATE PLAIN <redacted>"))
        #expect(!text.contains(env.master.password))
        let mode = try FileManager.default.attributesOfItem(atPath: trace)[.posixPermissions] as? Int
        #expect(mode == 0o600)
    }
}
