import Foundation
import Testing
import TernTestSupport

/// `tern dns plan --to PRESET` takes the destination's records from a provider preset.
@Suite(.timeLimit(.minutes(2))) struct DNSPresetEndToEndTests {
    init() throws { try TestEnvironment.runScript("scripts/testenv/dns.sh", arguments: ["start"]) }

    @Test func planReadsTheDestinationPresetsDNSTable() async throws {
        let plan = try await TernBinary.run(["dns", "plan", "apply.test", "--to", "trekmail", "--server", "127.0.0.1:15353",
                                       "--nameserver", "ns1.apply.test=127.0.0.1:15353",
                                       "--nameserver", "ns2.apply.test=127.0.0.1:15354"])
        #expect(plan.status == 0, "\(plan.stderr)")
        #expect(plan.stdout.contains("add    apply.test. 300 IN MX 10 mail.trekmail.net."))
        #expect(plan.stdout.contains("include:spf.trekmail.net"))
        #expect(plan.stdout.contains("remove apply.test. 0 IN MX 10 mail.old-provider.test."))
    }

    @Test func anUnknownPresetIsAUsageError() async throws {
        let plan = try await TernBinary.run(["dns", "plan", "apply.test", "--to", "no-such-provider", "--server", "127.0.0.1:15353"])
        #expect(plan.status == 64)
        #expect(plan.stderr.contains("tern preset list"))
    }
}
