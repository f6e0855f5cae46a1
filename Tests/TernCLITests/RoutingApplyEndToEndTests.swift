import Foundation
import Testing
import TernTLS
import TernTestSupport

/// `tern routing apply` against the destination Dovecot: a forwarder installed over ManageSieve
/// (STARTTLS, admin login), then proven by delivering a message over LMTP and finding it both in
/// the mailbox (keep-copy) and in the captured sendmail log (the redirect).
@Suite(.serialized) struct RoutingApplyEndToEndTests {
    static let sievePort = 24190
    static let lmtpPort = 24024

    @Test func forwarderInstalledOverManageSieveRedirectsMail() async throws {
        let env = try TestEnvironment.dovecot()
        let fixture = try AccountFixture(user: "u39")
        try await fixture.wipe(.destination)
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("tern-routing-\(UUID())").path
        defer { try? FileManager.default.removeItem(atPath: root) }
        let project = root + "/acme"
        let created = try await TernBinary.run(["init", project, "--from", "cpanel", "--to", "trekmail", "--domain", "acme.example"])
        #expect(created.status == 0, "\(created.stderr)")
        let csv = root + "/inventory.csv"
        try Data("""
            type,address,targets,display_name,destination,size,keep_copy
            forwarder,u39@acme.example,someone@example.test,,,,yes
            alias,sales@acme.example,u39@acme.example,,,,

            """.utf8).write(to: URL(fileURLWithPath: csv))
        let imported = try await TernBinary.run(["inventory", "import", csv, "--format", "csv", "--project", project])
        #expect(imported.status == 0, "\(imported.stderr)")

        let destination = ["--host2", "127.0.0.1", "--sieve-port", "\(Self.sievePort)", "--admin-user2", env.master.user,
                           "--password-file2", env.directory + "/secrets/admin.pw", "--ca-file2", env.ca,
                           "--tls-server-name2", "localhost", "--login-name2", "local-part", "--project", project]

        let dry = try await TernBinary.run(["routing", "apply", "--dry-run", "--project", project])
        #expect(dry.status == 0, "\(dry.stderr)")
        #expect(dry.stdout.contains("planned") && dry.stdout.contains("u39@acme.example"))
        #expect(dry.stdout.contains("manual: create in the provider's admin console"))

        // A wrong password is refused with the server's words; the forwarder failed: exit 2.
        let badPassword = root + "/bad.pw"
        try Data("nope\n".utf8).write(to: URL(fileURLWithPath: badPassword))
        var wrong = destination
        wrong[wrong.firstIndex(of: "--password-file2")! + 1] = badPassword
        let refused = try await TernBinary.run(["routing", "apply"] + wrong)
        #expect(refused.status == 2)
        #expect(refused.stdout.contains("refused"), "\(refused.stdout)")

        for _ in 0..<2 {   // a re-run replaces the same script
            let applied = try await TernBinary.run(["routing", "apply"] + destination)
            #expect(applied.status == 0, "\(applied.stdout)\(applied.stderr)")
            #expect(applied.stdout.contains("installed and activated"))
        }
        let verified = try await TernBinary.run(["routing", "verify", "--json"] + destination)
        #expect(verified.status == 0, "\(verified.stdout)\(verified.stderr)")
        let outcomes = try JSONSerialization.jsonObject(with: Data(verified.stdout.utf8)) as? [[String: Any]] ?? []
        #expect(outcomes.first { $0["address"] as? String == "u39@acme.example" }?["status"] as? String == "ok")
        #expect(outcomes.first { $0["address"] as? String == "sales@acme.example" }?["status"] as? String == "manual")

        let token = "routing-\(UUID().uuidString)@tern.test"
        let messageID = "<\(token)>"
        try await Self.deliver(to: "u39", messageID: messageID)
        var stored = false
        var redirected = false
        for _ in 0..<50 where !(stored && redirected) {
            stored = try await fixture.messages(.destination, ["INBOX"]).contains { $0.messageID?.contains(token) == true }
            let log = (try? String(contentsOfFile: "/tmp/tern-testenv/destination/sent-mail.log", encoding: .utf8)) ?? ""
            redirected = log.components(separatedBy: "From tern-capture ").contains {
                $0.contains(messageID) && $0.contains("someone@example.test")
            }
            if !(stored && redirected) { try await Task.sleep(for: .milliseconds(100)) }
        }
        #expect(stored, "keep-copy: the message is in u39's INBOX")
        #expect(redirected, "the redirect to someone@example.test was sent")
    }

    /// `tern checklist` from real state: IMAP logins at both ends, the test DNS's authoritative
    /// servers (MX TTL 3600: fails; the old MX gets recorded), a mailbox never synced (fails),
    /// the operator's values; a wrong destination password turns the login item to fail.
    @Test func checklistFromRealState() async throws {
        try TestEnvironment.runScript("scripts/testenv/dns.sh", arguments: ["start"])
        let env = try TestEnvironment.dovecot()
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("tern-checklist-\(UUID())").path
        defer { try? FileManager.default.removeItem(atPath: root) }
        let project = root + "/cutover"
        #expect(try await TernBinary.run(["init", project, "--from", "cpanel", "--to", "trekmail", "--domain", "cutover.test"]).status == 0)
        let csv = root + "/inventory.csv"
        try Data("type,address,size\nmailbox,u38@cutover.test,5 GB\n".utf8).write(to: URL(fileURLWithPath: csv))
        #expect(try await TernBinary.run(["inventory", "import", csv, "--format", "csv", "--project", project]).status == 0)
        #expect(try await TernBinary.run(["checklist", "set", "monitoring-owner", "Dana", "--project", project]).status == 0)
        #expect(try await TernBinary.run(["checklist", "set", "no-such-key", "x", "--project", project]).status == 64)

        let options = ["--project", project, "--json", "--login-name2", "local-part",
                       "--host2", "127.0.0.1", "--port2", "\(env.destination.tlsPort)", "--admin-user2", env.master.user,
                       "--password-file2", env.directory + "/secrets/admin.pw", "--ca-file2", env.ca,
                       "--tls-server-name2", "localhost",
                       "--host1", "127.0.0.1", "--port1", "\(env.source.tlsPort)", "--user1", "u38",
                       "--password-file1", env.directory + "/secrets/u38.pw", "--ca-file1", env.ca,
                       "--tls-server-name1", "localhost",
                       "--server", "127.0.0.1:15353", "--nameserver", "ns1.cutover.test=127.0.0.1:15353",
                       "--nameserver", "ns2.cutover.test=127.0.0.1:15354"]
        func items(_ outcome: TernBinary.Outcome) async throws -> [String: (status: String, evidence: [String])] {
            let report = try JSONSerialization.jsonObject(with: Data(outcome.stdout.utf8)) as? [String: Any] ?? [:]
            var result: [String: (status: String, evidence: [String])] = [:]
            for item in report["items"] as? [[String: Any]] ?? [] {
                result[item["key"] as? String ?? ""] = (item["status"] as? String ?? "", item["evidence"] as? [String] ?? [])
            }
            return result
        }
        let run = try await TernBinary.run(["checklist"] + options)
        #expect(run.status == 1, "\(run.stderr)")
        let report = try await items(run)
        #expect(report["destination-mailboxes"]?.status == "ok", "\(report["destination-mailboxes"]?.evidence ?? [])")
        #expect(report["routing"]?.status == "ok")
        #expect(report["source-tls"]?.status == "ok", "\(report["source-tls"]?.evidence ?? [])")
        #expect(report["largest-prestaged"]?.status == "fail")
        #expect(report["largest-prestaged"]?.evidence.first?.contains("never synced") == true)
        #expect(report["mx-ttl"]?.status == "fail")
        #expect(report["mx-ttl"]?.evidence.count == 2, "one line per authoritative server")
        #expect(report["old-mx"]?.status == "ok")
        #expect(report["old-mx"]?.evidence.first?.contains("mail.old-provider.test.") == true)
        #expect(report["monitoring-owner"]?.status == "ok")
        #expect(report["final-delta"]?.status == "manual")

        var wrong = options
        wrong[wrong.firstIndex(of: "--password-file2")! + 1] = env.directory + "/secrets/u38.pw"
        let refused = try await items(try await TernBinary.run(["checklist"] + wrong))
        #expect(refused["destination-mailboxes"]?.status == "fail")
    }

    /// A minimal LMTP (RFC 2033) delivery.
    static func deliver(to user: String, messageID: String) async throws {
        let stream = try await NetworkStream.connect(host: "127.0.0.1", port: lmtpPort)
        defer { stream.close() }
        var buffer = ""
        func reply() async throws -> String {
            while true {
                if let end = buffer.range(of: "\r\n") {
                    let line = String(buffer[..<end.lowerBound])
                    buffer = String(buffer[end.upperBound...])
                    if line.count >= 4, line[line.index(line.startIndex, offsetBy: 3)] == "-" { continue }
                    return line
                }
                let bytes = try await stream.read()
                if bytes.isEmpty { throw TestEnvironmentErrorLike("LMTP closed") }
                buffer += String(decoding: bytes, as: UTF8.self)
            }
        }
        func send(_ line: String, expect code: String) async throws {
            try await stream.write(Array((line + "\r\n").utf8))
            let answer = try await reply()
            guard answer.hasPrefix(code) else { throw TestEnvironmentErrorLike("LMTP \(line): \(answer)") }
        }
        #expect(try await reply().hasPrefix("220"))
        try await send("LHLO localhost", expect: "250")
        try await send("MAIL FROM:<sender@example.test>", expect: "250")
        try await send("RCPT TO:<\(user)>", expect: "250")
        try await send("DATA", expect: "354")
        let message = "From: sender@example.test\r\nTo: \(user)@acme.example\r\nSubject: routing test\r\n"
            + "Message-ID: \(messageID)\r\nDate: Fri, 27 Nov 2026 06:00:00 +0000\r\n\r\nHello.\r\n."
        try await send(message, expect: "250")
        try await stream.write(Array("QUIT\r\n".utf8))
    }
}

struct TestEnvironmentErrorLike: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
