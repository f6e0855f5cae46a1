import Foundation
import Testing
@testable import TernMigration
import TernScript

/// Which routing objects `tern routing apply`/`verify` send to a destination preset's routing
/// functions, what they report, and that one failure does not stop the others — with presets
/// that keep their objects in memory (the HTTP round trip is in the CLI end-to-end test).
@Suite struct RoutingPresetTests {
    static let source = InventoryObject.Source(file: "t.csv", line: 1)

    /// A forwarder under review gets no Sieve script from apply, even with targets: it is a
    /// manual step until someone decides.
    @Test func forwarderUnderReviewIsNotInstalled() {
        let table = RoutingTable(inventory: [
            InventoryObject(kind: .forwarder, address: "info@acme.example", targets: ["owner@gmail.example"],
                sources: [Self.source], keepCopy: true),
            InventoryObject(kind: .forwarder, address: "doubt@acme.example", targets: ["someone@gmail.example"],
                sources: [Self.source], status: .review, notes: ["two files disagree"]),
        ])
        #expect(RoutingApplier.scripts(table).map(\.address) == ["info@acme.example"])
        let manual = RoutingApplier.manual(table)
        #expect(manual.map(\.address) == ["doubt@acme.example"])
        #expect(manual.first?.detail == "manual: under review: decide, then install by hand")
    }
    static let table = RoutingTable(inventory: [
        InventoryObject(kind: .alias, address: "sales@acme.example", targets: ["alice@acme.example"], sources: [source]),
        InventoryObject(kind: .alias, address: "broken@acme.example", targets: ["alice@acme.example"], sources: [source]),
        InventoryObject(kind: .alias, address: "old@acme.example", sources: [source], action: .reject,
            actionText: "gone"),
        InventoryObject(kind: .group, address: "team@acme.example", targets: ["a@acme.example", "b@acme.example"],
            displayName: "The Team", sources: [source]),
        InventoryObject(kind: .forwarder, address: "info@acme.example", targets: ["owner@gmail.example"],
            sources: [source], keepCopy: true),
        InventoryObject(kind: .forwarder, address: "pipe@acme.example", sources: [source], status: .review),
        InventoryObject(kind: .catchall, address: "@acme.example", targets: ["alice@acme.example"], sources: [source]),
    ])

    /// Creates aliases (refusing broken@) and groups, lists aliases only; no forwarders.
    static let aliasesAndGroups = """
        local made = {}
        return {
            name = "memory",
            description = "aliases and groups in memory",
            routing = {
                create_alias = function(obj)
                    if obj.address == "broken@acme.example" then return nil, "the API refused it" end
                    made[#made + 1] = { address = obj.address:upper(), targets = obj.targets }
                    return { detail = "created" }
                end,
                create_group = function(obj)
                    if obj.display_name ~= "The Team" then error("display_name not passed") end
                    return true
                end,
                list_aliases = function() return made end,
            },
        }
        """

    /// Creates and lists forwarders and groups; its group list has other members.
    static let forwardersToo = """
        local forwarders = {}
        return {
            name = "forwarding",
            description = "forwarders in memory",
            routing = {
                create_forwarder = function(obj)
                    if not obj.keep_copy then return nil, "keep_copy not passed" end
                    forwarders[#forwarders + 1] = obj.address
                    return true
                end,
                list_forwarders = function() return forwarders end,
                list_groups = function()
                    return { { address = "team@acme.example", targets = { "a@acme.example" } } }
                end,
            },
        }
        """

    static func api(_ source: String) async throws -> PresetRoutingAPI {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("tern-routing-preset-\(UUID())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let path = directory.appendingPathComponent("memory.lua").path
        try Data(source.utf8).write(to: URL(fileURLWithPath: path))
        let loader = PresetLoader(searchPath: PresetSearchPath(directories: []))
        return try #require(try await PresetRoutingAPI.load(path, loader: loader))
    }

    static func outcome(_ outcomes: [RoutingApplier.Outcome], _ address: String) -> RoutingApplier.Outcome? {
        outcomes.first { $0.address == address }
    }

    @Test func dryRunSaysWhatWouldBeCalledAndCallsNothing() async throws {
        let applier = RoutingApplier(connection: nil, preset: try await Self.api(Self.aliasesAndGroups))
        let outcomes = await applier.apply(Self.table, dryRun: true)
        #expect(outcomes.count == Self.table.entries.count)
        #expect(Self.outcome(outcomes, "sales@acme.example")?.status == .planned)
        #expect(Self.outcome(outcomes, "sales@acme.example")?.detail
            == "would call create_alias in memory.lua (sales@acme.example → alice@acme.example)")
        #expect(Self.outcome(outcomes, "team@acme.example")?.detail.hasPrefix("would call create_group") == true)
        #expect(Self.outcome(outcomes, "info@acme.example")?.detail.contains("Sieve script") == true)
        #expect(Self.outcome(outcomes, "old@acme.example")?.detail
            .hasSuffix("not sent to create_alias: it does not deliver (reject)") == true)
        // Nothing was created: the list is still empty, so verify finds sales@ missing.
        let verified = await applier.verify(Self.table)
        #expect(Self.outcome(verified, "sales@acme.example")?.status == .missing)
    }

    @Test func eachObjectIsCalledAndAFailureStopsNoOther() async throws {
        let applier = RoutingApplier(connection: nil, preset: try await Self.api(Self.aliasesAndGroups))
        #expect(await applier.sieveForwarders(Self.table) == ["info@acme.example"])
        let outcomes = await applier.apply(Self.table, dryRun: false)
        #expect(Self.outcome(outcomes, "sales@acme.example")?.status == .ok)
        #expect(Self.outcome(outcomes, "sales@acme.example")?.detail == "create_alias in memory.lua: created")
        let broken = try #require(Self.outcome(outcomes, "broken@acme.example"))
        #expect(broken.status == .failed)
        #expect(broken.detail.hasPrefix("create_alias failed: ") && broken.detail.hasSuffix("memory.lua:6: the API refused it"),
                "\(broken.detail)")
        #expect(Self.outcome(outcomes, "team@acme.example")?.status == .ok)
        #expect(Self.outcome(outcomes, "info@acme.example")?.status == .failed, "no ManageSieve server given")
        #expect(Self.outcome(outcomes, "pipe@acme.example")?.status == .manual)
        #expect(Self.outcome(outcomes, "@acme.example")?.status == .manual)

        let verified = await applier.verify(Self.table)
        // Listed in upper case: addresses compare without case.
        #expect(Self.outcome(verified, "sales@acme.example")?.status == .ok)
        #expect(Self.outcome(verified, "sales@acme.example")?.detail == "listed by list_aliases in memory.lua with the same targets")
        #expect(Self.outcome(verified, "broken@acme.example")?.status == .missing)
        let team = try #require(Self.outcome(verified, "team@acme.example"))
        #expect(team.status == .manual)
        #expect(team.detail == "manual: created through create_group in memory.lua, which has no list_groups: "
            + "check it in the provider's admin console")
    }

    @Test func aPresetWithCreateForwarderTakesTheForwardersFromSieve() async throws {
        let applier = RoutingApplier(connection: nil, preset: try await Self.api(Self.forwardersToo))
        #expect(await applier.sieveForwarders(Self.table).isEmpty)
        let outcomes = await applier.apply(Self.table, dryRun: false)
        #expect(Self.outcome(outcomes, "info@acme.example")?.status == .ok)
        #expect(Self.outcome(outcomes, "pipe@acme.example")?.detail == "manual: under review: decide, then install by hand")
        #expect(Self.outcome(outcomes, "sales@acme.example")?.detail
            == "manual: create in the provider's admin console (sales@acme.example → alice@acme.example); "
                + "memory.lua has no create_alias")
        let verified = await applier.verify(Self.table)
        #expect(Self.outcome(verified, "info@acme.example")?.status == .ok)
        let team = try #require(Self.outcome(verified, "team@acme.example"))
        #expect(team.status == .missing)
        #expect(team.detail == "list_groups in memory.lua has team@acme.example → a@acme.example; the inventory wants "
            + "a@acme.example, b@acme.example")
        #expect(Self.outcome(verified, "sales@acme.example")?.detail.hasSuffix("memory.lua has no list_aliases") == true)
    }

    @Test func withoutAPresetNothingChanges() async {
        let outcomes = await RoutingApplier(connection: nil).apply(Self.table, dryRun: true)
        #expect(outcomes.filter { $0.status == .planned }.map(\.address) == ["info@acme.example"])
        #expect(outcomes.filter { $0.status == .manual }.map(\.address).sorted()
            == RoutingApplier.manual(Self.table).map(\.address).sorted())
    }
}
