import Foundation
import Testing
import TernTestSupport

/// No password reaches stdout, stderr, the log files or the state database — neither the
/// source's, nor the destination's (here a master login), nor a wrong one.
@Suite struct SyncSecretsTests {
    @Test func noPasswordInOutputLogsOrState() async throws {
        let fixture = try AccountFixture(user: "u15")
        let directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("tern-secrets-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        try await fixture.wipe()
        try await fixture.seed(.source, (1...3).map {
            SeedMessage(messageID: "secret-\($0)@tern.test", subject: "Secret test \($0)")
        })
        let master = fixture.env.master
        let state = directory.appendingPathComponent("state.sqlite").path
        let logs = directory.appendingPathComponent("logs").path
        let wrongPassword = "Wr0ng-u15-S3cret"
        let common = [
            "--host1", "127.0.0.1", "--port1", String(fixture.env.source.tlsPort), "--ca-file1", fixture.env.ca,
            "--tls-server-name1", "localhost", "--user1", fixture.user,
            "--password-file1", try fixture.passwordFile(in: directory, name: "source.pw"),
            "--host2", "127.0.0.1", "--port2", String(fixture.env.destination.tlsPort), "--ca-file2", fixture.env.ca,
            "--tls-server-name2", "localhost", "--user2", fixture.user, "--admin-user2", master.user,
            "--state", state, "--log-dir", logs, "--json",
        ]
        let good = try await TernBinary.run(["sync"] + common + [
            "--password-file2", try fixture.passwordFile(in: directory, name: "admin.pw", password: master.password),
        ])
        #expect(good.status == 0, "\(good.stderr)")
        #expect(try await fixture.count(.destination, ["INBOX"]) == 3)
        let bad = try await TernBinary.run(["sync"] + common + [
            "--password-file2", try fixture.passwordFile(in: directory, name: "wrong.pw", password: wrongPassword),
        ])
        #expect(bad.status != 0)

        var haystacks: [(String, Data)] = [
            ("stdout", Data((good.stdout + bad.stdout).utf8)), ("stderr", Data((good.stderr + bad.stderr).utf8)),
        ]
        let logFiles = try FileManager.default.contentsOfDirectory(atPath: logs)
        #expect(!logFiles.isEmpty)
        for name in logFiles {
            haystacks.append((name, try Data(contentsOf: URL(fileURLWithPath: logs).appendingPathComponent(name))))
        }
        for suffix in ["", "-wal", "-shm"] where FileManager.default.fileExists(atPath: state + suffix) {
            haystacks.append(("state\(suffix)", try Data(contentsOf: URL(fileURLWithPath: state + suffix))))
        }
        for password in [fixture.password, master.password, wrongPassword] {
            for (name, data) in haystacks {
                #expect(data.range(of: Data(password.utf8)) == nil, "\(name) contains a password")
            }
        }
    }
}
