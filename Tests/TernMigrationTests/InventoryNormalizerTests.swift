import Foundation
import Testing
import TernState
@testable import TernMigration

/// Address normalisation, merging duplicates and conflicts, and the inventory's round trip
/// through the state database.
@Suite struct InventoryNormalizerTests {
    static let here = InventoryObject.Source(file: "a.csv", line: 1)
    static let there = InventoryObject.Source(file: "b.csv", line: 7)

    @Test func addressesKeepTheirLocalPartAndLowerTheDomain() throws {
        #expect(try AddressNormalizer.address("  Alice.Smith@ACME.Example. ") == "Alice.Smith@acme.example")
        #expect(try AddressNormalizer.address("<bob@acme.example>") == "bob@acme.example")
        #expect(try AddressNormalizer.address("carol", defaultDomain: "acme.example") == "carol@acme.example")
        #expect(try AddressNormalizer.address("@ACME.example") == "@acme.example")
        #expect(try AddressNormalizer.address("\"john doe\"@acme.example") == "\"john doe\"@acme.example")
        for bad in ["", "carol", "a b@acme.example", "a@", "a@-acme.example", "a@acme..example", ".a@acme.example",
                    "a@ac_me.example", String(repeating: "x", count: 65) + "@acme.example"] {
            #expect(throws: AddressNormalizer.Failure.self, "\(bad)") { try AddressNormalizer.address(bad) }
        }
    }

    @Test func internationalisedDomainsBecomeALabels() throws {
        #expect(try AddressNormalizer.domain("B\u{FC}cher.Example") == "xn--bcher-kva.example")
        // NFC first: u + combining diaeresis is the same label as ü.
        #expect(try AddressNormalizer.domain("bu\u{308}cher.example") == "xn--bcher-kva.example")
        #expect(try AddressNormalizer.domain("\u{4F8B}\u{3048}.\u{30C6}\u{30B9}\u{30C8}")
            == "xn--r8jz45g.xn--zckzah")
        #expect(try AddressNormalizer.domain("m\u{FC}nchen\u{3002}example.") == "xn--mnchen-3ya.example")
        #expect(try AddressNormalizer.address(" Jos\u{E9}@Caf\u{E9}.Example ")
            == "Jos\u{E9}@xn--caf-dma.example")
        #expect(throws: AddressNormalizer.Failure.self) { try AddressNormalizer.domain("xn--abc-9.example") }
        #expect(throws: AddressNormalizer.Failure.self) { try AddressNormalizer.domain("xn--999999999.example") }
    }

    @Test func duplicatesMergeWithAWarning() {
        let first = InventoryObject(kind: .group, address: "team@acme.example", targets: ["a@acme.example"],
            sources: [Self.here])
        let second = InventoryObject(kind: .group, address: "team@acme.example",
            targets: ["b@acme.example", "a@acme.example"], displayName: "Team", sources: [Self.there])
        let merged = InventoryNormalizer.merge(existing: [first], incoming: [second])
        #expect(merged.objects.count == 1)
        #expect(merged.objects[0].targets == ["a@acme.example", "b@acme.example"])
        #expect(merged.objects[0].sources == [Self.here, Self.there])
        #expect(merged.objects[0].displayName == "Team")
        #expect(merged.warnings.map(\.description)
            == ["b.csv:7: duplicate group team@acme.example merged with the record at a.csv:1"])
    }

    @Test func reimportingTheSameRecordIsQuietAndKeepsLaterDecisions() {
        var planned = InventoryObject(kind: .alias, address: "sales@acme.example", targets: ["dana@acme.example"],
            sources: [Self.here])
        planned.wave = "pilot"
        let fixed = InventoryObject(kind: .alias, address: "sales@acme.example", targets: ["erin@acme.example"],
            sources: [Self.here])
        let merged = InventoryNormalizer.merge(existing: [planned], incoming: [fixed])
        #expect(merged.warnings.isEmpty)
        #expect(merged.objects.map(\.targets) == [["erin@acme.example"]])
        #expect(merged.objects[0].wave == "pilot")
    }

    @Test func mailboxAndSharedAreOneObject() {
        let mailbox = InventoryObject(kind: .mailbox, address: "office@acme.example", sources: [Self.here])
        let shared = InventoryObject(kind: .shared, address: "office@acme.example", sources: [Self.there], sizeBytes: 10)
        let merged = InventoryNormalizer.merge(existing: [mailbox], incoming: [shared])
        #expect(merged.objects.map(\.kind) == [.shared])
        #expect(merged.objects[0].sizeBytes == 10)
    }

    @Test func aMailboxThatForwardsIsNoConflictButAnAliasThatIsAMailboxIs() {
        let mailbox = InventoryObject(kind: .mailbox, address: "dana@acme.example", sources: [Self.here])
        let forward = InventoryObject(kind: .forwarder, address: "dana@acme.example", targets: ["d@gmail.example"],
            sources: [Self.there], keepCopy: true)
        let fine = InventoryNormalizer.merge(existing: [mailbox], incoming: [forward])
        #expect(fine.warnings.isEmpty)
        #expect(fine.objects.allSatisfy { $0.status == .planned })

        var lossy = forward
        lossy.keepCopy = false
        let warned = InventoryNormalizer.merge(existing: [mailbox], incoming: [lossy])
        #expect(warned.warnings.first?.message.contains("receives nothing") == true)

        let alias = InventoryObject(kind: .alias, address: "dana@acme.example", targets: ["erin@acme.example"],
            sources: [Self.there])
        let conflict = InventoryNormalizer.merge(existing: [mailbox], incoming: [alias])
        #expect(conflict.objects.count == 2)
        #expect(conflict.objects.allSatisfy { $0.status == .review })
        #expect(conflict.warnings.count == 1 && conflict.warnings[0].source == Self.there)
    }

    @Test func differentDestinationsNeedReview() {
        let a = InventoryObject(kind: .mailbox, address: "carol@acme.example", sources: [Self.here],
            destination: "carol@new.example")
        let b = InventoryObject(kind: .mailbox, address: "carol@acme.example", sources: [Self.there],
            destination: "cjones@new.example")
        let merged = InventoryNormalizer.merge(existing: [a], incoming: [b])
        #expect(merged.objects[0].status == .review)
        #expect(merged.objects[0].destination == "carol@new.example")
    }

    @Test func storeRoundTripThroughTheStateDatabase() async throws {
        let store = try SQLiteStateStore()
        let object = InventoryObject(kind: .forwarder, address: "info@acme.example", targets: ["o@gmail.example"],
            displayName: "Info", sources: [.init(file: "/etc/postfix/virtual", line: 9)], destination: nil,
            wave: "2", status: .review, notes: ["check"], keepCopy: true, action: .deliver, sizeBytes: 42)
        let catchAll = InventoryObject(kind: .catchall, address: "@acme.example", sources: [Self.here], action: .reject,
            actionText: "No such user")
        try await store.saveInventory([object.record, catchAll.record])
        var loaded = try await store.inventory().compactMap(InventoryObject.init(record:))
        #expect(loaded == [catchAll, object])
        var changed = object
        changed.targets = ["x@gmail.example"]
        try await store.saveInventory([changed.record])
        loaded = try await store.inventory().compactMap(InventoryObject.init(record:))
        #expect(loaded.count == 2 && loaded[1].targets == ["x@gmail.example"])
        #expect(try await store.removeInventory([catchAll.record.key]) == 1)
        #expect(try await store.inventory().count == 1)
    }

    @Test func projectFolderIsCreatedAndFoundFromBelow() async throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("tern-project-\(UUID())").path
        defer { try? FileManager.default.removeItem(atPath: root) }
        let project = try MigrationProject.create(at: root + "/acme",
            config: ProjectConfig(from: "cpanel", to: "trekmail", domains: ["acme.example"]))
        for path in [project.statePath, project.logDirectory, project.scriptsDirectory, project.reportsDirectory] {
            #expect(FileManager.default.fileExists(atPath: path))
        }
        let mode = try FileManager.default.attributesOfItem(atPath: project.statePath)[.posixPermissions] as? Int
        #expect(mode == 0o600)
        #expect(throws: ProjectError.self) {
            try MigrationProject.create(at: root + "/acme", config: project.config)
        }
        let below = project.logDirectory + "/deeper"
        try FileManager.default.createDirectory(atPath: below, withIntermediateDirectories: true)
        let found = try #require(try MigrationProject.locate(explicit: nil, from: below))
        #expect(found.directory == project.directory)
        #expect(found.config.domains == ["acme.example"])
        #expect(try MigrationProject.locate(explicit: project.configPath)?.directory == project.directory)
        #expect(try MigrationProject.locate(explicit: nil, from: root) == nil)
        #expect(throws: ProjectError.self) { try MigrationProject.locate(explicit: root) }

        let fixtures = InventoryImporterTests.fixtures
        let first = try await project.importInventory(fixtures + "/users.csv", format: .mailboxCSV)
        #expect(first.objects.count == 4 && first.problems.count == 2)
        let again = try await project.importInventory(fixtures + "/users.csv", format: .mailboxCSV)
        #expect(again.warnings.isEmpty)   // the same records: no duplicates
        #expect(try await project.inventory().count == 4)
    }
}
