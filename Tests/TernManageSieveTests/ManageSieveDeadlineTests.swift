import Foundation
import Testing
import TernTestSupport
@testable import TernManageSieve

/// A ManageSieve server that keeps sending valid capability lines, one byte every 50 ms, and
/// never the OK that ends its greeting: without a deadline per exchange Tern would wait for
/// as long as the server drips.
@Suite struct ManageSieveDeadlineTests {
    @Test func aDrippingGreetingHitsTheDeadline() async throws {
        let server = try await DripServer(drip: "\"SIEVE\" \"fileinto vacation\"\r\n")
        defer { server.stop() }
        let listening = server.port

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
