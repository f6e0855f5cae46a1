import Foundation
import Testing
@testable import TernDNS

/// Authoritative view, `check` and SPF against the local Knot servers.
struct CheckIntegrationTests {
    let client = TestDNSEnvironment.fastClient

    func view(_ zone: String) -> AuthoritativeView {
        AuthoritativeView(resolver: StubResolver(servers: [TestDNSEnvironment.serverA], client: client),
                          client: client, overrides: TestDNSEnvironment.overrides(zone))
    }

    @Test func disagreementBetweenServersIsReported() async throws {
        try TestDNSEnvironment.require()
        let report = try await DomainChecker(view: view("example.test")).check(try DNSName("example.test"), dkimSelectors: [])
        #expect(report.nameservers.count == 2)
        #expect(report.nameservers.compactMap(\.soaSerial).sorted() == [2024060101, 2024060102])
        #expect(report.disagreements.contains { $0.hasPrefix("SOA serial differs") })
        #expect(report.disagreements.contains { $0.hasPrefix("MX differs") && $0.contains("mx-legacy") })
        #expect(!report.disagreements.contains { $0.hasPrefix("SPF") })
    }

    @Test func cutoverDomainReport() async throws {
        try TestDNSEnvironment.require()
        let report = try await DomainChecker(view: view("cutover.test")).check(try DNSName("cutover.test"), dkimSelectors: ["old", "legacy", "missing"])
        #expect(report.disagreements.isEmpty)
        #expect(report.spf?.totalLookups == 3)
        #expect(report.dkim["old"]?.bits == 2048)
        #expect(report.dkim["legacy"]?.revoked == true)
        #expect(report.findings.contains { $0.area == "DKIM" && $0.status == .fail && $0.message.contains("missing") })
        #expect(report.dmarc?.policy == .quarantine && report.dmarc?.percent == 50)
        #expect(report.findings.contains { $0.area == "MTA-STS" && $0.status == .ok })
        #expect(report.findings.contains { $0.area == "TLS-RPT" && $0.status == .ok })
        #expect(report.services.map(\.service) == ["_imaps._tcp", "_submission._tcp"])
        let mx = try #require(report.nameservers.first?.mx)
        #expect(mx.ttl == 3600 && mx.values == ["10 mail.old-provider.test.", "20 mx2.old-provider.test."])
    }

    @Test func spfOverTheWire() async throws {
        try TestDNSEnvironment.require()
        let evaluator = SPFEvaluator(resolver: StubResolver(servers: [TestDNSEnvironment.serverA], client: client))
        func result(_ domain: String, _ ip: String) async -> SPFEvaluation {
            await evaluator.evaluate(ip: IPAddress(ip)!, sender: "postmaster@\(domain)", helo: domain)
        }
        let crm = await result("cutover.test", "192.0.2.130")
        #expect(crm.result == .pass && crm.lookups == 3 && crm.decidedBy?.contains("crm-sender") == true)
        #expect(await result("cutover.test", "198.51.100.10").result == .pass)
        #expect(await result("cutover.test", "2001:db8:100::1").result == .pass)
        #expect(await result("cutover.test", "203.0.113.10").result == .softfail)
        #expect(await result("loop-a.spf.test", "192.0.2.1").result == .permerror)
        let many = await result("many.spf.test", "192.0.2.99")
        #expect(many.result == .permerror && many.lookups == 11)
        #expect(await result("two.spf.test", "192.0.2.1").result == .permerror)
        #expect(await result("syntax.spf.test", "192.0.2.1").result == .permerror)
        let void = await result("void.spf.test", "192.0.2.1")
        #expect(void.result == .permerror && void.voidLookups == 3)
        #expect(await result("nothing.spf.test", "192.0.2.1").result == .none)
    }
}
