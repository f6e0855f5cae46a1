import Foundation
import Testing
import TernTestSupport

/// A server that answers every command with valid untagged lines, one byte every 50 ms, and
/// never with the tagged reply: the idle limit never fires, the command deadline must.
@Suite struct DeadlineEndToEndTests {
    @Test func dripFeedingServerHitsTheCommandDeadline() async throws {
        let server = try await DripServer(greeting: "* OK drip server ready\r\n", readsCommandFirst: true,
            drip: "* OK still working\r\n")
        defer { server.stop() }
        let listening = String(server.port)

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
