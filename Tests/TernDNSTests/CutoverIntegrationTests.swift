import Foundation
import Testing
@testable import TernDNS

/// plan → apply (RFC 2136 + TSIG) → verify against the local Knot servers. apply.test is the only
/// zone tests change; dns.sh resets it on every (re)start.
@Suite(.serialized) struct CutoverIntegrationTests {
    let client = TestDNSEnvironment.fastClient

    func view(_ zone: String) -> AuthoritativeView {
        AuthoritativeView(resolver: StubResolver(servers: [TestDNSEnvironment.serverA], client: client),
                          client: client, overrides: TestDNSEnvironment.overrides(zone))
    }

    static let target = CutoverTarget(
        mx: [.init(host: "mail.new-provider.test", preference: 10), .init(host: "mail2.new-provider.test", preference: 20)],
        spfInclude: "_spf.new-provider.test",
        dkim: [.init(selector: "tern1", cname: "tern1._domainkey.new-provider.test")])

    @Test func planMergesSPFAndComputesTimeline() async throws {
        try TestDNSEnvironment.require()
        let now = Date(timeIntervalSince1970: 1_900_000_000)
        let plan = try await CutoverPlanner(view: view("cutover.test")).plan(try DNSName("cutover.test"), target: Self.target,
                                                                             cutoverAt: now.addingTimeInterval(600), now: now)
        #expect(plan.newSPF == "v=spf1 include:_spf.new-provider.test include:_spf.crm-sender.test ~all")
        #expect(plan.newSPFLookups == 2)
        #expect(plan.oldTTL == 3600)
        #expect(plan.earliestCutover == now.addingTimeInterval(3600))
        #expect(plan.warnings.contains { $0.contains("--cutover-at is before") })
        let removed = plan.changes.filter { $0.action == .remove }.map(\.value)
        #expect(removed.contains("10 mail.old-provider.test.") && removed.contains("20 mx2.old-provider.test."))
        let added = plan.changes.filter { $0.action == .add }.map(\.zoneLine)
        #expect(added.contains("cutover.test. 300 IN MX 10 mail.new-provider.test."))
        #expect(added.contains("tern1._domainkey.cutover.test. 3600 IN CNAME tern1._domainkey.new-provider.test."))
        #expect(plan.nsupdateScript().contains("update add cutover.test. 300 IN MX 20 mail2.new-provider.test."))
    }

    @Test func mergeKeepsOtherSendersAndAll() {
        let (merged, removed) = CutoverPlanner.mergeSPF("v=spf1 ip4:192.0.2.1 include:spf.old.example include:crm.example -all",
                                                        include: "spf.new.example", remove: [], oldProviderOrgs: ["old.example"])
        #expect(merged == "v=spf1 ip4:192.0.2.1 include:spf.new.example include:crm.example -all")
        #expect(removed == ["spf.old.example"])
        #expect(CutoverPlanner.mergeSPF(nil, include: "x.example", remove: [], oldProviderOrgs: []).0 == "v=spf1 include:x.example ~all")
    }

    @Test func applyThenVerifyOnEveryServer() async throws {
        try TestDNSEnvironment.require()
        let domain = try DNSName("apply.test")
        let view = view("apply.test")
        let key = try TSIGKey.load(path: TestDNSEnvironment.tsigKeyPath)
        let verifier = CutoverVerifier(view: view)
        // An earlier run against the same servers may have left apply.test cut over: undo it.
        if try await verifier.verify(domain, target: Self.target).holds { try await restore(view, key: key) }
        let plan = try await CutoverPlanner(view: view).plan(domain, target: Self.target)
        // A wrong key is refused and changes nothing.
        let wrong = try TSIGKey(name: try DNSName("tern-update"), secretBase64: "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=")
        await #expect(throws: DNSError.self) { _ = try await DynamicUpdater(view: view, key: wrong).apply(plan) }
        // A stale plan (MX differs from what the server has) fails its prerequisites.
        var stale = plan
        stale.currentMX = ["10 somewhere-else.test."]
        do {
            _ = try await DynamicUpdater(view: view, key: key).apply(stale)
            Issue.record("a stale plan was applied")
        } catch let error as DNSError {
            #expect(error.code == .prerequisiteFailed)
        }
        let outcome = try await DynamicUpdater(view: view, key: key).apply(plan)
        #expect(outcome.primary.name == "ns1.apply.test")
        let report = try await verifier.wait(domain, target: Self.target, timeout: 15, interval: 0.5)
        #expect(report.holds, "lagging: \(report.lagging)")
        #expect(report.servers.count == 2)
        // Applying the same plan again fails: the records changed since the plan.
        await #expect(throws: DNSError.self) { _ = try await DynamicUpdater(view: view, key: key).apply(plan) }
        // Cut back to the old provider so the next run starts from the same state.
        try await restore(view, key: key)
        #expect(try await verifier.verify(domain, target: Self.target).holds == false)
    }

    /// Plans and applies the way back (old MX, old SPF include), and removes the DKIM CNAME.
    func restore(_ view: AuthoritativeView, key: TSIGKey) async throws {
        let domain = try DNSName("apply.test")
        let back = CutoverTarget(mx: [.init(host: "mail.old-provider.test", preference: 10), .init(host: "mx2.old-provider.test", preference: 20)],
                                 spfInclude: "_spf.old-provider.test", spfRemove: ["_spf.new-provider.test"])
        let plan = try await CutoverPlanner(view: view).plan(domain, target: back)
        #expect(plan.newSPF == "v=spf1 include:_spf.old-provider.test include:_spf.crm-sender.test ~all")
        _ = try await DynamicUpdater(view: view, key: key).apply(plan)
        var update = UpdateMessage(zone: domain)
        update.deleteRRset(name: try DNSName("tern1._domainkey.apply.test"), type: .cname)
        var message = update.message
        try TSIGSigner.sign(&message, key: key, time: UInt64(Date().timeIntervalSince1970))
        let primary = try await DynamicUpdater(view: view, key: key).primary(of: domain)
        let answer = try await view.client.send(message, to: primary.server)
        #expect(answer.message.rcode == .noError)
        _ = try await CutoverVerifier(view: view).wait(domain, target: back, timeout: 15, interval: 0.5)
    }
}
