import Foundation
import Testing
@testable import TernManageSieve

/// A ManageSieve server that keeps sending valid capability lines, one byte every 50 ms, and
/// never the OK that ends its greeting: without a deadline per exchange Tern would wait for
/// as long as the server drips.
@Suite struct ManageSieveDeadlineTests {
    static let dripServer = #"""
        import os, socket, sys, time
        server = socket.socket()
        server.bind(("127.0.0.1", 0))
        server.listen(1)
        with open(sys.argv[1] + ".tmp", "w") as f:
            f.write(str(server.getsockname()[1]))
        os.rename(sys.argv[1] + ".tmp", sys.argv[1])
        server.settimeout(30)
        client, _ = server.accept()
        end = time.time() + 30
        try:
            while time.time() < end:
                for byte in b'"SIEVE" "fileinto vacation"\r\n':
                    client.sendall(bytes([byte]))
                    time.sleep(0.05)
        except OSError:
            pass
        """#

    @Test func aDrippingGreetingHitsTheDeadline() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("tern-sieve-drip-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let portFile = directory.appendingPathComponent("port").path
        let server = Process()
        server.executableURL = URL(fileURLWithPath: "/usr/bin/python3")
        server.arguments = ["-c", Self.dripServer, portFile]
        try server.run()
        defer { server.terminate() }
        var port: Int?
        for _ in 0..<100 where port == nil {
            port = (try? String(contentsOfFile: portFile, encoding: .utf8)).flatMap { Int($0) }
            if port == nil { try await Task.sleep(for: .milliseconds(50)) }
        }
        let listening = try #require(port)

        let started = ContinuousClock.now
        let error = await #expect(throws: ManageSieveError.self) {
            _ = try await ManageSieveClient.connect(host: "127.0.0.1", port: listening, security: .plain,
                commandTimeout: .seconds(1))
        }
        let seconds = (ContinuousClock.now - started).components.seconds
        #expect(seconds < 10, "connect took \(seconds) s; the server drips for 30")
        #expect(error?.code == .timeout)
        #expect(error?.message.contains("127.0.0.1:\(listening)") == true, "\(error?.message ?? "")")
        #expect(error?.message.contains("the greeting not answered within 1 s") == true, "\(error?.message ?? "")")
        #expect(error?.message.contains("--sieve-timeout") == true)
    }
}
