import Foundation
import Testing
import TernTestSupport

/// The same failure ends `probe`, `sync` and `batch` with the same exit code: a wrong password
/// 12, a certificate Tern cannot verify 11 (one mapping, `FailureCategory.exitStatus`).
/// Account u55.
@Suite struct ExitCodeConsistencyTests {
    enum Failure: String, CaseIterable { case wrongPassword, untrustedCertificate }

    @Test(arguments: Failure.allCases)
    func probeSyncAndBatchAgree(_ failure: Failure) async throws {
        let fixture = try AccountFixture(user: "u55")
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("tern-exit-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let env = fixture.env
        let password = failure == .wrongPassword ? "not-the-password" : fixture.password
        let passwordFile = try fixture.passwordFile(in: directory, name: "pw", password: password)
        // Without --ca-file the test CA is not trusted.
        let trust = failure == .untrustedCertificate ? [] : ["--ca-file", env.ca]
        let trust1 = failure == .untrustedCertificate ? [] : ["--ca-file1", env.ca]
        let trust2 = failure == .untrustedCertificate ? [] : ["--ca-file2", env.ca]
        let expected: Int32 = failure == .wrongPassword ? 12 : 11
        let state = directory.appendingPathComponent("state.sqlite").path

        let probe = try await TernBinary.run(["probe", "--host", "localhost", "--port", String(env.source.tlsPort),
            "--user", "u55", "--password-file", passwordFile] + trust)
        let sides = ["--host1", "localhost", "--port1", String(env.source.tlsPort), "--host2", "localhost",
                     "--port2", String(env.destination.tlsPort)] + trust1 + trust2
        let sync = try await TernBinary.run(["sync", "--user1", "u55", "--password-file1", passwordFile,
            "--user2", "u55", "--password-file2", passwordFile, "--state", state] + sides)
        let csv = directory.appendingPathComponent("users.csv").path
        try "u55,\(password),u55,\(password)\n".write(toFile: csv, atomically: true, encoding: .utf8)
        let batch = try await TernBinary.run(["batch", csv, "--state", state] + sides)

        #expect(probe.status == expected, "probe: \(probe.stderr)")
        #expect(sync.status == expected, "sync: \(sync.stdout)\(sync.stderr)")
        #expect(batch.status == expected, "batch: \(batch.stdout)\(batch.stderr)")
    }
}
