import Foundation
import Testing
@testable import TernMigration
@testable import TernState

/// The pre-cutover checklist's evaluation: each item fails (or is manual) when its piece is
/// missing and passes when present. The inputs are what the CLI gathers, given directly here.
@Suite struct ChecklistTests {
    static let source = InventoryObject.Source(file: "t.csv", line: 1)
    static let inventory: [InventoryObject] = [
        InventoryObject(kind: .mailbox, address: "big@acme.example", sources: [source], sizeBytes: 9_000_000_000),
        InventoryObject(kind: .mailbox, address: "small@acme.example", sources: [source], sizeBytes: 1_000),
        InventoryObject(kind: .forwarder, address: "info@acme.example", targets: ["owner@gmail.example"],
            sources: [source], keepCopy: true),
    ]

    static func record(_ user: String, _ status: MailboxStatus) -> MailboxRecord {
        MailboxRecord(id: 1, source: "\(user)@old.example:993", destination: "\(user)@new.example:993", status: status,
            lastError: nil, updatedAt: Date())
    }

    /// Everything present: nothing fails, and every item is ok.
    static var complete: ChecklistInputs {
        ChecklistInputs(
            inventory: inventory,
            destinationLogins: ["big@acme.example": ChecklistCheck(ok: true, evidence: "logged in"),
                                "small@acme.example": ChecklistCheck(ok: true, evidence: "logged in")],
            routingVerify: [RoutingApplier.Outcome(kind: .forwarder, address: "info@acme.example", status: .ok,
                detail: "installed and active")],
            sourceTLS: ChecklistCheck(ok: true, evidence: "logged in over TLS"),
            syncRecords: [record("big", .done), record("small", .done)],
            mx: [MXObservation(domain: "acme.example", nameserver: "ns1.acme.example", values: ["10 mx.old.example."], ttl: 300),
                 MXObservation(domain: "acme.example", nameserver: "ns2.acme.example", values: ["10 mx.old.example."], ttl: 60)],
            settings: ["old-mx": "acme.example: 10 mx.old.example.", "final-delta": "2026-12-05 22:00 UTC",
                       "test-mailbox": "test@acme.example", "monitoring-owner": "Dana"],
            largestCount: 1)
    }

    @Test func allPresentPasses() {
        let report = Checklist.evaluate(Self.complete)
        #expect(report.passed)
        #expect(report.items.allSatisfy { $0.status == .ok }, "\(report.items.filter { $0.status != .ok })")
        #expect(report.items.count == 9)
        #expect(report["mx-ttl"]?.evidence.contains { $0.contains("ns2.acme.example: MX TTL 60s") } == true)
    }

    @Test func destinationLoginFailsOrIsMissing() {
        var inputs = Self.complete
        inputs.destinationLogins?["small@acme.example"] = ChecklistCheck(ok: false, evidence: "AUTHENTICATIONFAILED")
        var report = Checklist.evaluate(inputs)
        #expect(!report.passed)
        #expect(report["destination-mailboxes"]?.status == .fail)
        #expect(report["destination-mailboxes"]?.evidence.contains("small@acme.example: AUTHENTICATIONFAILED") == true)

        inputs.destinationLogins = ["big@acme.example": ChecklistCheck(ok: true, evidence: "logged in")]
        report = Checklist.evaluate(inputs)
        #expect(report["destination-mailboxes"]?.status == .fail)
        #expect(report["destination-mailboxes"]?.evidence.contains("small@acme.example: not checked") == true)

        inputs.destinationLogins = nil
        #expect(Checklist.evaluate(inputs)["destination-mailboxes"]?.status == .manual)
    }

    @Test func forwarderMissingFails() {
        var inputs = Self.complete
        inputs.routingVerify = [RoutingApplier.Outcome(kind: .forwarder, address: "info@acme.example", status: .missing,
            detail: "no Sieve script tern-forward in info@acme.example")]
        let report = Checklist.evaluate(inputs)
        #expect(!report.passed)
        #expect(report["routing"]?.status == .fail)
        #expect(report["routing"]?.evidence.first?.contains("no Sieve script") == true)

        inputs.routingVerify = []
        #expect(Checklist.evaluate(inputs)["routing"]?.status == .fail)
        inputs.routingVerify = nil
        #expect(Checklist.evaluate(inputs)["routing"]?.status == .manual)
    }

    @Test func aliasesAndGroupsAreManual() {
        var inputs = Self.complete
        inputs.inventory.append(InventoryObject(kind: .alias, address: "sales@acme.example",
            targets: ["big@acme.example"], sources: [Self.source]))
        let item = Checklist.evaluate(inputs)["routing"]
        #expect(item?.status == .manual)
        #expect(item?.evidence.contains { $0.contains("sales@acme.example: manual: create in the provider's admin console") } == true)
    }

    @Test func sourceWithoutTLSFails() {
        var inputs = Self.complete
        inputs.sourceTLS = ChecklistCheck(ok: false, evidence: "--tls1 plain: the source is not reached over TLS")
        #expect(Checklist.evaluate(inputs)["source-tls"]?.status == .fail)
        #expect(!Checklist.evaluate(inputs).passed)
        inputs.sourceTLS = nil
        #expect(Checklist.evaluate(inputs)["source-tls"]?.status == .manual)
    }

    @Test func largestMailboxNotFinishedFails() {
        var inputs = Self.complete
        inputs.syncRecords = [Self.record("big", .partial), Self.record("small", .done)]
        var report = Checklist.evaluate(inputs)
        #expect(report["largest-prestaged"]?.status == .fail)
        #expect(report["largest-prestaged"]?.evidence == ["big@acme.example (9.0 GB): partial"])

        inputs.syncRecords = [Self.record("small", .done)]
        report = Checklist.evaluate(inputs)
        #expect(report["largest-prestaged"]?.evidence == ["big@acme.example (9.0 GB): never synced"])

        // Only the largest count: the small one unfinished does not matter with --largest 1.
        inputs.syncRecords = [Self.record("big", .done), Self.record("small", .failed)]
        #expect(Checklist.evaluate(inputs)["largest-prestaged"]?.status == .ok)
        inputs.largestCount = 2
        #expect(Checklist.evaluate(inputs)["largest-prestaged"]?.status == .fail)
    }

    @Test func mxTTLOnOneServerTooHighFails() {
        var inputs = Self.complete
        inputs.mx?[1].ttl = 3600
        var report = Checklist.evaluate(inputs)
        #expect(report["mx-ttl"]?.status == .fail)
        #expect(report["mx-ttl"]?.evidence.contains { $0.contains("ns2.acme.example: MX TTL 3600s (over 300s)") } == true)

        inputs.mx?[1] = MXObservation(domain: "acme.example", nameserver: "ns2.acme.example", values: [], ttl: nil,
            error: "timed out")
        report = Checklist.evaluate(inputs)
        #expect(report["mx-ttl"]?.status == .fail)

        inputs.mx = nil
        #expect(Checklist.evaluate(inputs)["mx-ttl"]?.status == .manual)
        inputs.mx = []
        #expect(Checklist.evaluate(inputs)["mx-ttl"]?.evidence == ["the project has no domains"])
    }

    @Test func operatorValuesMissingAreManual() {
        for key in ["old-mx", "final-delta", "test-mailbox", "monitoring-owner"] {
            var inputs = Self.complete
            inputs.settings[key] = nil
            let report = Checklist.evaluate(inputs)
            #expect(report[key]?.status == .manual, "\(key)")
            #expect(report.passed, "manual does not fail")
            inputs.settings[key] = "  "
            #expect(Checklist.evaluate(inputs)[key]?.status == .manual)
        }
    }

    @Test func oldMXFromObservations() {
        #expect(Checklist.oldMX(Self.complete.mx!) == "acme.example: 10 mx.old.example.")
        #expect(Checklist.oldMX([MXObservation(domain: "a.example", nameserver: "ns", values: [], ttl: nil, error: "x")]) == nil)
    }

    @Test func settingsRoundTrip() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("tern-checklist-\(UUID())").path
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let project = try MigrationProject.create(at: directory,
            config: ProjectConfig(from: "cpanel", to: "trekmail", domains: ["acme.example"]))
        let file = ChecklistSettings(project: project)
        #expect(try file.load() == [:])
        try file.save(["monitoring-owner": "Dana"])
        #expect(try file.load() == ["monitoring-owner": "Dana"])
    }

    @Test func checklistJSONSaysWhetherItPassed() throws {
        let report = ChecklistReport(items: [ChecklistItem(key: "k", title: "t", status: .fail, evidence: ["e"])])
        let json = String(decoding: try JSONEncoder().encode(report), as: UTF8.self)
        #expect(json.contains("\"passed\":false"))
        #expect(try JSONDecoder().decode(ChecklistReport.self, from: Data(json.utf8)) == report)
    }
}
