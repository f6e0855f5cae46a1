import Foundation
import Testing
import TernTestSupport

/// A server that answers every command with valid untagged lines, one byte every 50 ms, and
/// never with the tagged reply: the idle limit never fires, the command deadline must.
@Suite struct DeadlineEndToEndTests {
    static let dripServer = #"""
        import socket, sys, time
        server = socket.socket()
        server.bind(("127.0.0.1", 0))
        server.listen(1)
        with open(sys.argv[1] + ".tmp", "w") as f:
            f.write(str(server.getsockname()[1]))
        import os; os.rename(sys.argv[1] + ".tmp", sys.argv[1])
        server.settimeout(30)
        client, _ = server.accept()
        client.sendall(b"* OK drip server ready\r\n")
        client.recv(1000)
        end = time.time() + 30
        try:
            while time.time() < end:
                for byte in b"* OK still working\r\n":
                    client.sendall(bytes([byte]))
                    time.sleep(0.05)
        except OSError:
            pass
        """#

    @Test func dripFeedingServerHitsTheCommandDeadline() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("tern-drip-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let portFile = directory.appendingPathComponent("port").path
        let server = Process()
        server.executableURL = URL(fileURLWithPath: "/usr/bin/python3")
        server.arguments = ["-c", Self.dripServer, portFile]
        try server.run()
        defer { server.terminate() }
        var port: String?
        for _ in 0..<100 where port == nil {
            port = try? String(contentsOfFile: portFile, encoding: .utf8)
            if port == nil { try await Task.sleep(for: .milliseconds(50)) }
        }
        let listening = try #require(port)

        let started = ContinuousClock.now
        let probe = try await TernBinary.run(["probe", "--host", "127.0.0.1", "--port", listening, "--tls", "plain",
            "--allow-plaintext-login", "--user", "nobody", "--password-env", "TERN_DRIP_PASSWORD",
            "--command-timeout", "2"], environment: ["TERN_DRIP_PASSWORD": "not-a-secret"])
        let seconds = (ContinuousClock.now - started).components.seconds
        #expect(probe.status != 0)
        // The 30 s the server keeps dripping would pass without the deadline.
        #expect(seconds < 15, "probe took \(seconds) s")
        #expect(probe.stderr.contains("CAPABILITY"), "\(probe.stderr)")
        #expect(probe.stderr.contains("--command-timeout"), "\(probe.stderr)")
        #expect(probe.stderr.contains("127.0.0.1:\(listening)"), "\(probe.stderr)")
    }
}
