import Foundation
import Testing
@testable import TernMigration

/// What `tern routing apply` installs over ManageSieve, decided without a server.
@Suite struct ManageSieveRoutingTests {
    static let source = InventoryObject.Source(file: "t.csv", line: 1)
    static let table = RoutingTable(inventory: [
        InventoryObject(kind: .forwarder, address: "info@acme.example", targets: ["owner@gmail.example"],
            sources: [source], keepCopy: true),
        InventoryObject(kind: .forwarder, address: "pipe@acme.example", sources: [source], status: .review),
        InventoryObject(kind: .alias, address: "sales@acme.example", targets: ["info@acme.example"], sources: [source]),
        InventoryObject(kind: .group, address: "team@acme.example", targets: ["a@acme.example", "b@acme.example"],
            sources: [source]),
    ])

    @Test func forwardersBecomeScriptsTheRestIsManual() {
        let scripts = RoutingApplier.scripts(Self.table)
        #expect(scripts.map(\.address) == ["info@acme.example"])
        #expect(scripts[0].text.contains("redirect :copy \"owner@gmail.example\";"))
        let manual = RoutingApplier.manual(Self.table)
        #expect(manual.map(\.address).sorted() == ["pipe@acme.example", "sales@acme.example", "team@acme.example"])
        #expect(manual.allSatisfy { $0.status == .manual && $0.detail.hasPrefix("manual: ") })
        #expect(manual.first { $0.address == "team@acme.example" }?.detail
            == "manual: create in the provider's admin console (team@acme.example → a@acme.example, b@acme.example)")
    }

    @Test func dryRunConnectsToNothing() async {
        let outcomes = await RoutingApplier(connection: nil).apply(Self.table, dryRun: true)
        #expect(outcomes.first?.status == .planned)
        #expect(outcomes.filter { $0.status == .manual }.count == 3)
    }

    @Test func withoutAServerVerifyFailsRatherThanPasses() async {
        let outcomes = await RoutingApplier(connection: nil).verify(Self.table)
        #expect(outcomes.first { $0.address == "info@acme.example" }?.status == .failed)
    }

    @Test func comparisonIgnoresCommentsAndLineEndings() {
        let installed = "# Forwarder info@, from /elsewhere/virtual:3\r\nrequire [\"copy\"];\r\n\r\nredirect :copy \"o@g.example\";\r\n"
        let expected = "# Forwarder info@, from t.csv:1\nrequire [\"copy\"];\nredirect :copy \"o@g.example\";\n"
        #expect(RoutingApplier.normalised(installed) == RoutingApplier.normalised(expected))
        #expect(RoutingApplier.normalised(expected) != RoutingApplier.normalised("redirect \"o@g.example\";\n"))
    }

    @Test func loginNames() {
        #expect(RoutingApplier.LoginName.address.login(for: "u39@acme.example") == "u39@acme.example")
        #expect(RoutingApplier.LoginName.localPart.login(for: "u39@acme.example") == "u39")
    }
}
