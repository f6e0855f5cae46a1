import Foundation
import Testing
@testable import TernMigration

/// Every import format read from a realistic sample file in `Fixtures/`, malformed lines
/// included: bad rows come back as file:line problems, the rest is imported and normalised.
@Suite struct InventoryImporterTests {
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures").path
    static let context = ImportContext(domains: ["acme.example"])

    func read(_ name: String, _ format: InventoryFormat) throws -> ImportResult {
        try format.read(Self.fixtures + "/" + name, context: Self.context)
    }

    func object(_ result: ImportResult, _ kind: InventoryObject.Kind, _ address: String) -> InventoryObject? {
        result.objects.first { $0.kind == kind && $0.address == address }
    }

    func badLines(_ result: ImportResult) -> [Int] { result.problems.map(\.source.line) }

    @Test func mailboxCSVDropsPasswordsAndKeepsRenames() throws {
        let result = try read("users.csv", .mailboxCSV)
        #expect(badLines(result) == [5, 6])
        #expect(result.problems[0].description.hasSuffix("users.csv:5: expected 4 columns (source_user,source_pass,dest_user,dest_pass), found 3"))
        #expect(result.objects.map(\.address) == ["alice@acme.example", "bob@acme.example", "carol@acme.example",
                                                  "frank@acme.example"])
        #expect(object(result, .mailbox, "carol@acme.example")?.destination == "carol.jones@acme.example")
        #expect(object(result, .mailbox, "alice@acme.example")?.destination == nil)
        let encoded = String(decoding: try JSONEncoder().encode(result.objects), as: UTF8.self)
        #expect(!encoded.contains("Winter2024") && !encoded.contains("hunter2"))
    }

    @Test func typedCSVReadsEveryKind() throws {
        let result = try read("inventory.csv", .typedCSV)
        #expect(badLines(result) == [10, 11, 12, 13, 14])
        #expect(result.objects.count == 7)
        let ceo = try #require(object(result, .mailbox, "ceo@acme.example"))
        #expect(ceo.sizeBytes == Int64(48_000_000_000))
        #expect(ceo.displayName == "Dana Boss")
        #expect(ceo.notes == ["oversized: start in the first wave"])
        #expect(object(result, .group, "team@acme.example")?.targets.count == 3)
        #expect(object(result, .forwarder, "info@acme.example")?.keepCopy == true)
        #expect(object(result, .forwarder, "invoices@acme.example")?.keepCopy == false)
        let catchAll = try #require(object(result, .catchall, "@acme.example"))
        #expect(catchAll.action == .reject)
        #expect(catchAll.actionText == "No such person at acme.example")
        #expect(object(result, .shared, "office@acme.example")?.sources.first?.line == 3)
    }

    @Test func postfixVirtualTable() throws {
        let result = try read("virtual", .postfix)
        #expect(badLines(result) == [16, 17, 18])   // line 19 continues line 18 (virtual(5))
        #expect(result.problems.map(\.message).contains { $0.contains("regular-expression") })
        let team = try #require(object(result, .group, "team@acme.example"))
        #expect(team.targets == ["alice@acme.example", "bob@acme.example", "carol@acme.example"])   // continuation line
        #expect(object(result, .alias, "sales@acme.example")?.targets == ["dana@acme.example"])
        let info = try #require(object(result, .forwarder, "info@acme.example"))
        #expect(info.keepCopy && info.targets == ["owner@gmail.example"])
        #expect(object(result, .forwarder, "billing@acme.example")?.keepCopy == false)
        #expect(object(result, .catchall, "@acme.example")?.targets == ["catchall@acme.example"])
        // Domains lower-cased and IDN → Punycode; local parts as given.
        #expect(object(result, .alias, "Jobs@acme.example") != nil)
        #expect(object(result, .alias, "jobs@acme.example") != nil)
        #expect(result.warnings.contains { $0.message.contains("differ only in letter case") })
        #expect(object(result, .alias, "b\u{FC}cher@xn--bcher-kva.example") != nil)
        // The virtual alias domain line declares a domain, not an object.
        #expect(!result.objects.contains { $0.address == "acme.example" })
    }

    @Test func cPanelValiasesWithCatchAllFailAndPipes() throws {
        let result = try read("valiases/acme.example", .cpanel)
        #expect(badLines(result) == [10, 11, 12])
        let catchAll = try #require(object(result, .catchall, "@acme.example"))
        #expect(catchAll.action == .reject && catchAll.actionText == "No Such User Here")
        let old = try #require(object(result, .alias, "old@acme.example"))
        #expect(old.action == .reject && old.actionText == "No longer with Acme, write to office@acme.example")
        #expect(object(result, .alias, "spam-trap@acme.example")?.action == .discard)
        let tickets = try #require(object(result, .forwarder, "tickets@acme.example"))
        #expect(tickets.status == .review && tickets.targets.isEmpty)
        #expect(result.warnings.contains { $0.source.line == 7 })
        #expect(object(result, .forwarder, "info@acme.example")?.keepCopy == true)
        #expect(object(result, .group, "team@acme.example")?.targets.count == 3)
    }

    @Test func cPanelDomainFromTheFileOrTheContext() {
        let text = "*: admin\nsales: dana\n"
        let named = InventoryFormat.cpanel.parse(text, file: "/etc/valiases/shop.example", context: Self.context)
        #expect(named.objects.map(\.address).sorted() == ["@shop.example", "sales@shop.example"])
        #expect(named.objects.first { $0.kind == .catchall }?.targets == ["admin@shop.example"])
        let unnamed = InventoryFormat.cpanel.parse(text, file: "aliases", context: Self.context)
        #expect(unnamed.objects.map(\.address).sorted() == ["@acme.example", "sales@acme.example"])
    }

    @Test func dovecotPasswdFile() throws {
        let result = try read("dovecot-passwd", .dovecot)
        #expect(badLines(result) == [6, 7, 8])
        #expect(result.objects.map(\.address) == ["Frank@acme.example", "alice@acme.example", "bob@acme.example",
                                                  "carol@acme.example", "dave@acme.example"])
        let alice = try #require(object(result, .mailbox, "alice@acme.example"))
        #expect(alice.displayName == "Alice Example")
        #expect(alice.notes == ["quota 2G at the source"])
        #expect(object(result, .mailbox, "carol@acme.example")?.notes == ["mail location maildir:~/Maildir"])
        let encoded = String(decoding: try JSONEncoder().encode(result.objects), as: UTF8.self)
        #expect(!encoded.contains("SHA512") && !encoded.contains("not-hashed"))
    }

    @Test func microsoft365RecipientExport() throws {
        let result = try read("m365-recipients.csv", .m365)
        #expect(badLines(result) == [10, 11, 12])
        let alice = try #require(object(result, .mailbox, "alice@acme.example"))
        #expect(alice.sizeBytes == 1_288_490_188)
        #expect(alice.sources.first?.line == 3)   // BOM and #TYPE line skipped, header on line 2
        // smtp: proxies become aliases; onmicrosoft.com and X500 proxies do not.
        #expect(object(result, .alias, "a.example@acme.example")?.targets == ["alice@acme.example"])
        #expect(!result.objects.contains { $0.address.hasSuffix("onmicrosoft.com") })
        #expect(object(result, .alias, "ceo@acme.example")?.targets == ["Dana@acme.example"])
        #expect(object(result, .alias, "info@xn--bcher-kva.example")?.targets == ["office@acme.example"])
        let forward = try #require(object(result, .forwarder, "Dana@acme.example"))
        #expect(forward.targets == ["dana.boss@gmail.example"] && forward.keepCopy)
        #expect(object(result, .shared, "office@acme.example") != nil)
        #expect(object(result, .shared, "boardroom@acme.example")?.notes.first?.contains("RoomMailbox") == true)
        #expect(object(result, .group, "staff@acme.example")?.targets.count == 3)
        let sales = try #require(object(result, .group, "sales@acme.example"))
        #expect(sales.status == .review)
        #expect(result.warnings.contains { $0.source.line == 9 && $0.message.contains("MailContact") })
    }

    @Test func googleWorkspaceUsersAndGroups() throws {
        let users = try read("google-users.csv", .google)
        #expect(badLines(users) == [5, 6])
        let dana = try #require(object(users, .mailbox, "dana@acme.example"))
        #expect(dana.displayName == "Dana Boss" && dana.sizeBytes == Int64(48_000_000_000))
        #expect(object(users, .alias, "boss@acme.example")?.targets == ["dana@acme.example"])
        #expect(object(users, .mailbox, "gary@acme.example")?.notes == ["suspended at the source"])

        let groups = try read("google-groups.csv", .google)
        #expect(badLines(groups) == [6, 7])
        #expect(object(groups, .group, "team@acme.example")?.targets
            == ["alice@acme.example", "bob@acme.example", "carol@acme.example"])
        #expect(object(groups, .group, "sales@acme.example")?.targets == ["dana@acme.example"])
        #expect(groups.warnings.isEmpty)   // membership rows are one group, not duplicates
    }

    @Test func headerlessOrForeignFilesAreOneProblem() {
        let foreign = InventoryFormat.m365.parse("a,b\n1,2\n", file: "x.csv", context: Self.context)
        #expect(foreign.objects.isEmpty && foreign.problems.map(\.source.line) == [1])
        let google = InventoryFormat.google.parse("name,phone\nA,1\n", file: "g.csv", context: Self.context)
        #expect(google.problems.count == 1)
        let typed = InventoryFormat.typedCSV.parse("address\nx@acme.example\n", file: "t.csv", context: Self.context)
        #expect(typed.problems.first?.description == "t.csv:1: the first line must name the columns, with at least type and address")
    }

    @Test func utf16ExportsAreRead() throws {
        let text = "PrimarySmtpAddress,RecipientTypeDetails\r\nzoe@acme.example,UserMailbox\r\n"
        var data = Data([0xFF, 0xFE])
        data.append(text.data(using: .utf16LittleEndian)!)
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("tern-utf16-\(UUID()).csv").path
        try data.write(to: URL(fileURLWithPath: path))
        defer { try? FileManager.default.removeItem(atPath: path) }
        let result = try InventoryFormat.m365.read(path, context: Self.context)
        #expect(result.objects.map(\.address) == ["zoe@acme.example"])
    }
}

/// Sizes in import files: exact bytes win, SI units are decimal, IEC units binary.
@Suite struct ImportSizeTests {
    @Test(arguments: [
        ("48 GB", Int64(48_000_000_000)), ("1.5 GiB", Int64(1_610_612_736)), ("950 MB", Int64(950_000_000)),
        ("1234567", Int64(1_234_567)), ("2.1 GB (2,254,857,830 bytes)", Int64(2_254_857_830)), ("12 KiB", Int64(12_288)),
        ("5 k", Int64(5_000)), ("3 TB", Int64(3_000_000_000_000)), ("64 bytes", Int64(64)), ("1,500 MB", Int64(1_500_000_000)),
    ])
    func parses(_ text: String, _ bytes: Int64) {
        #expect(ImportText.size(text) == bytes, "\(text)")
    }

    @Test func refusesWhatIsNotASize() {
        #expect(ImportText.size("7 parsecs") == nil)
        #expect(ImportText.size("-3 GB") == nil)
        #expect(ImportText.size("") == nil)
    }
}
