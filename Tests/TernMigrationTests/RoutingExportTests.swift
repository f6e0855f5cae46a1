import Foundation
import Testing
@testable import TernMigration

/// `RoutingTable` and its writers: Postfix virtual, Sieve, CSV and JSON.
@Suite struct RoutingExportTests {
    static let source = InventoryObject.Source(file: "virtual", line: 3)

    static let inventory: [InventoryObject] = [
        InventoryObject(kind: .mailbox, address: "alice@acme.example", sources: [source]),
        InventoryObject(kind: .mailbox, address: "carol@acme.example", sources: [source],
            destination: "carol.jones@acme.example"),
        InventoryObject(kind: .mailbox, address: "dana@acme.example", sources: [source]),
        InventoryObject(kind: .alias, address: "sales@acme.example", targets: ["dana@acme.example"], sources: [source]),
        InventoryObject(kind: .group, address: "team@acme.example",
            targets: ["alice@acme.example", "carol@acme.example"], sources: [source]),
        InventoryObject(kind: .forwarder, address: "info@acme.example", targets: ["owner@gmail.example"],
            sources: [source], keepCopy: true),
        InventoryObject(kind: .forwarder, address: "billing@acme.example", targets: ["ap@book\"keeper.example"],
            sources: [source]),
        InventoryObject(kind: .alias, address: "old@acme.example", sources: [source], action: .reject,
            actionText: "Gone"),
        InventoryObject(kind: .catchall, address: "@acme.example", targets: ["alice@acme.example"], sources: [source]),
    ]

    @Test func postfixVirtualTable() {
        let text = RoutingTable(inventory: Self.inventory).postfixVirtual()
        let lines = text.split(separator: "\n").map(String.init)
        #expect(lines.contains("sales@acme.example\tdana@acme.example"))
        // Renamed mailboxes are followed.
        #expect(lines.contains("team@acme.example\talice@acme.example, carol.jones@acme.example"))
        // Keeping a copy: the address maps to itself too.
        #expect(lines.contains("info@acme.example\tinfo@acme.example, owner@gmail.example"))
        #expect(lines.contains("billing@acme.example\tap@book\"keeper.example"))
        #expect(lines.contains("@acme.example\talice@acme.example"))
        // A catch-all would swallow mailboxes without an entry: they map to themselves.
        #expect(lines.contains("dana@acme.example\tdana@acme.example"))
        #expect(lines.contains("carol.jones@acme.example\tcarol.jones@acme.example"))
        #expect(lines.contains("alice@acme.example\talice@acme.example"))
        // Rejecting is not an alias table's job: a comment says what to do.
        #expect(lines.contains { $0.hasPrefix("# old@acme.example: reject") && $0.contains("check_recipient_access") })
        #expect(!lines.contains { $0.hasPrefix("old@acme.example") })
        #expect(text.hasSuffix("\n"))
    }

    @Test func noSelfMapsWithoutADeliveringCatchAll() {
        let inventory = Self.inventory.filter { $0.kind != .catchall }
        let text = RoutingTable(inventory: inventory).postfixVirtual()
        #expect(!text.contains("dana@acme.example\tdana@acme.example"))
    }

    @Test func sieveScriptPerForwarder() {
        let scripts = RoutingTable(inventory: Self.inventory).sieveScripts()
        #expect(scripts.map(\.name) == ["billing@acme.example.sieve", "info@acme.example.sieve"])
        let info = scripts[1].text.split(separator: "\n").filter { !$0.hasPrefix("#") }
        #expect(info == ["require [\"copy\"];", "redirect :copy \"owner@gmail.example\";"])
        let billing = scripts[0].text.split(separator: "\n").filter { !$0.hasPrefix("#") }
        // No copy kept: a plain redirect (RFC 5228 §4.2 cancels the implicit keep); quotes escaped (§2.4.2).
        #expect(billing == ["redirect \"ap@book\\\"keeper.example\";"])
        #expect(!scripts[1].text.contains("REVIEW"))

        // A forwarder under review is still exported, marked so a person decides first.
        let doubtful = RoutingTable(inventory: [InventoryObject(kind: .forwarder, address: "doubt@acme.example",
            targets: ["x@gmail.example"], sources: [InventoryObject.Source(file: "v", line: 1)], status: .review,
            notes: ["v:1 and w:2 disagree"])]).sieveScripts()
        #expect(doubtful.first?.text.contains("# REVIEW (v:1 and w:2 disagree): decide before installing") == true,
            "\(doubtful)")
    }

    @Test func csvAndJSON() throws {
        let table = RoutingTable(inventory: Self.inventory)
        let csv = table.csv()
        let rows = csv.components(separatedBy: "\r\n").filter { !$0.isEmpty }
        #expect(rows.first == "kind,address,targets,keep_copy,action,action_text,status,sources,notes")
        #expect(rows.count == 7)   // header + 2 aliases, 1 group, 2 forwarders, 1 catch-all
        #expect(rows.contains("group,team@acme.example,alice@acme.example;carol.jones@acme.example,no,deliver,,planned,virtual:3,"))
        #expect(rows.contains("forwarder,billing@acme.example,\"ap@book\"\"keeper.example\",no,deliver,,planned,virtual:3,"))
        let records = CSVReader.records(csv).dropFirst().map(\.fields)
        #expect(records.allSatisfy { $0.count == 9 })

        let json = try JSONSerialization.jsonObject(with: Data(table.json().utf8)) as? [[String: Any]] ?? []
        #expect(json.count == 6)
        let info = try #require(json.first { $0["address"] as? String == "info@acme.example" })
        #expect(info["kind"] as? String == "forwarder")
        #expect(info["keepCopy"] as? Bool == true)
        #expect(info["targets"] as? [String] == ["owner@gmail.example"])
    }

    @Test func skippedObjectsAreNotExportedAndReviewedOnesCommentedOut() {
        var inventory = Self.inventory
        inventory[3].status = .skipped
        #expect(!RoutingTable(inventory: inventory).entries.contains { $0.address == "sales@acme.example" })
        inventory[3].status = .review
        inventory[3].notes = ["also imported as mailbox (a.csv:2)"]
        let lines = RoutingTable(inventory: inventory).postfixVirtual().split(separator: "\n")
        #expect(lines.contains("# sales@acme.example\tdana@acme.example"))
        #expect(lines.contains { $0.hasPrefix("# REVIEW sales@acme.example: also imported as mailbox (a.csv:2)") })
        #expect(!lines.contains("sales@acme.example\tdana@acme.example"))
    }
}
