import Foundation
import Testing
import TernCore
import TernState
import TernSync
@testable import TernMigration

/// `FolderMappingPreview`: hand-made scanned folder lists (a Dovecot-like source with `.` and
/// `INBOX.`) mapped onto hand-made destinations, and the trouble each mapping must flag.
@Suite struct FolderMappingPreviewTests {
    /// A source folder as the scan stores it: levels below `INBOX.`, `.` between them.
    static func source(_ path: [String], use: String? = nil, selectable: Bool = true) -> ScannedFolder {
        let wire = path == ["INBOX"] ? "INBOX" : "INBOX." + path.map(ModifiedUTF7.encode).joined(separator: ".")
        return ScannedFolder(wireName: wire, name: path.joined(separator: "/"), path: path, separator: ".",
            specialUse: use, attributes: selectable ? [] : ["\\Noselect"], selectable: selectable)
    }

    static func existing(_ path: [String], use: String? = nil) -> StoreFolder {
        StoreFolder(path: path, raw: path.joined(separator: "/"), separator: "/", specialUse: use, attributes: [],
            subscribed: true, selectable: true)
    }

    /// Renames by portable name, as a Lua `map_folder` would.
    struct RenameRules: Rules {
        var renames: [String: String]
        var mapsFolders: Bool { true }
        var filtersMessages: Bool { false }
        func mapFolder(_ folder: FolderInfo) async throws(ScriptError) -> FolderDecision {
            renames[folder.name].map(FolderDecision.rename) ?? .keep
        }
        func filterMessage(_ message: MessageSummary) async throws(ScriptError) -> FilterDecision { .copy }
    }

    static let standard = [
        source(["INBOX"]), source(["Sent"], use: "\\Sent"), source(["Drafts"], use: "\\Drafts"),
        source(["Projects"]), source(["Projects", "2024"]), source(["Entwürfe"]),
    ]

    func preview(_ folders: [ScannedFolder], _ destination: DestinationNaming = .default,
                 options: FolderPlanner.Options = .init(), rules: any Rules = NoRules(),
                 maxNameOctets: Int = FolderMappingPreview.maxNameOctets) async throws -> FolderMappingPreview.Account {
        try await FolderMappingPreview.preview(address: "a@acme.example", source: folders, destination: destination,
            planner: try FolderPlanner(options: options), rules: rules, maxNameOctets: maxNameOctets)
    }

    func mapping(_ account: FolderMappingPreview.Account) -> [String: String] {
        Dictionary(account.rows.map { ($0.source, $0.destination ?? "-") }, uniquingKeysWith: { $1 })
    }

    @Test func aCleanMappingFlagsNothing() async throws {
        let account = try await preview(Self.standard)
        #expect(account.problems.isEmpty, "\(account.problems)")
        #expect(account.rows.map(\.source) == ["INBOX", "INBOX.Sent", "INBOX.Drafts", "INBOX.Projects",
                                                "INBOX.Projects.2024", "INBOX.Entwürfe"])
        #expect(account.rows.map { $0.destination ?? "-" } == ["INBOX", "Sent", "Drafts", "Projects", "Projects/2024",
                                                                "Entwürfe"])
        #expect(account.rows.allSatisfy { $0.problems.isEmpty && !$0.exists })
        #expect(FolderMappingSummary([account], notPreviewed: 0).flagged == false)
    }

    @Test func aLoggedInDestinationGivesPrefixSeparatorAndSpecialFolders() async throws {
        let destination = DestinationNaming(separator: ".", prefix: "INBOX.", folders: [
            StoreFolder(path: ["INBOX"], raw: "INBOX", separator: ".", specialUse: nil, attributes: [],
                        subscribed: true, selectable: true),
            StoreFolder(path: ["Sent Items"], raw: "INBOX.Sent Items", separator: ".", specialUse: "\\Sent",
                        attributes: [], subscribed: true, selectable: true),
        ])
        let account = try await preview(Self.standard, destination)
        let map = mapping(account)
        #expect(map["INBOX.Sent"] == "INBOX.Sent Items")
        #expect(map["INBOX.Projects.2024"] == "INBOX.Projects.2024")
        #expect(map["INBOX.Entwürfe"] == "INBOX.Entwürfe")
        let sent = try #require(account.rows.first { $0.source == "INBOX.Sent" })
        #expect(sent.reason == "special-use" && sent.exists)
        #expect(account.problems.isEmpty, "\(account.problems)")
    }

    @Test func collisionsFromARuleAndFromTheSeparatorReplacement() async throws {
        let folders = Self.standard + [Self.source(["Old"]), Self.source(["Archive"]),
                                       Self.source(["Foo/Bar"]), Self.source(["Foo_Bar"])]
        let account = try await preview(folders, rules: RenameRules(renames: ["Old": "Archive"]))
        let collisions = account.problems.filter { $0.kind == .collision }
        #expect(collisions.count == 2, "\(account.problems)")
        #expect(collisions.contains { $0.folders.sorted() == ["INBOX.Archive", "INBOX.Old"] })
        #expect(collisions.contains { $0.folders.sorted() == ["INBOX.Foo/Bar", "INBOX.Foo_Bar"] })
        #expect(mapping(account)["INBOX.Foo/Bar"] == "Foo_Bar")
        // The separator inside a level is refused by the destination, whatever collides.
        let refused = account.problems.filter { $0.kind == .refused }
        #expect(refused.map(\.folders) == [["INBOX.Foo/Bar"]], "\(refused)")
        let row = try #require(account.rows.first { $0.source == "INBOX.Old" })
        #expect(row.reason == "rule" && row.problems == [.collision])
        #expect(FolderMappingSummary([account], notPreviewed: 0).counts["collision"] == 2)
    }

    @Test func caseOnlyDifferencesAtAnyLevelAndAgainstExistingFolders() async throws {
        let folders = [Self.source(["INBOX"]), Self.source(["Projects"]), Self.source(["projects"]),
                       Self.source(["Work", "A"]), Self.source(["work", "B"]), Self.source(["Clients"]),
                       Self.source(["Archive"])]
        // "archive" exists: the source's Archive goes there by its well-known name, as in sync.
        let destination = DestinationNaming(separator: "/", prefix: "",
            folders: [Self.existing(["clients"]), Self.existing(["archive"])])
        let account = try await preview(folders, destination)
        let caseOnly = account.problems.filter { $0.kind == .caseOnly }
        #expect(caseOnly.count == 3, "\(caseOnly)")
        #expect(caseOnly.contains { $0.message.hasPrefix("Projects, projects differ only in case") })
        #expect(caseOnly.contains { $0.message.hasPrefix("Work, work differ only in case")
            && $0.folders.sorted() == ["INBOX.Work.A", "INBOX.work.B"] })
        #expect(caseOnly.contains { $0.message.hasPrefix("Clients, clients (exists) differ only in case")
            && $0.folders == ["INBOX.Clients"] })
        #expect(mapping(account)["INBOX.Archive"] == "archive")
        #expect(!account.problems.contains { $0.kind == .collision }, "different names are not a collision")
    }

    @Test func aFolderLandingOnInboxIsReservedAndCollides() async throws {
        let account = try await preview([Self.source(["INBOX"]), Self.source(["inbox"]), Self.source(["Projects"])])
        #expect(mapping(account)["INBOX.inbox"] == "INBOX")
        let reserved = account.problems.filter { $0.kind == .reserved }
        #expect(reserved.map(\.folders) == [["INBOX.inbox"]])
        #expect(account.problems.contains { $0.kind == .collision && $0.folders.sorted() == ["INBOX", "INBOX.inbox"] })
        // A rule that sends a folder to "Inbox" is caught the same way.
        let ruled = try await preview([Self.source(["INBOX"]), Self.source(["Old Inbox"])],
            rules: RenameRules(renames: ["Old Inbox": "Inbox"]))
        #expect(ruled.problems.contains { $0.kind == .reserved && $0.folders == ["INBOX.Old Inbox"] })
    }

    @Test func controlCharactersAndOverlongNamesAreRefused() async throws {
        let long = String(repeating: "x", count: 130)
        let account = try await preview([Self.source(["INBOX"]), Self.source(["Bell\u{7}Folder"]),
                                         Self.source([long, long, "leaf"]), Self.source(["Fine"])])
        let refused = account.problems.filter { $0.kind == .refused }
        #expect(refused.count == 2, "\(refused)")
        #expect(refused.contains { $0.message.contains("control character U+0007") })
        #expect(refused.contains { $0.message.contains("266 octets on the wire, over 255") }, "\(refused)")
        #expect(account.rows.first { $0.source == "INBOX.Fine" }?.problems == [])
        // Non-ASCII costs more on the wire (modified UTF-7): the limit counts those octets.
        let umlauts = try await preview([Self.source([String(repeating: "ü", count: 40)])], maxNameOctets: 60)
        #expect(umlauts.problems.map(\.kind) == [.refused])
    }

    @Test func skippedFoldersAreListedNotChecked() async throws {
        var outside = Self.source(["team"])
        outside.wireName = "Shared.team"
        outside.path = nil
        outside.name = "Shared.team"
        let folders = [Self.source(["INBOX"]), Self.source(["All Mail"]), Self.source(["all mail"]),
                       Self.source(["Parent"], selectable: false), Self.source(["Tmp"]), outside]
        let account = try await preview(folders, options: .init(exclude: ["^Tmp$"], presetSkips: ["All Mail"]))
        let skipped = Dictionary(account.rows.filter(\.skipped).map { ($0.source, $0.reason) },
                                 uniquingKeysWith: { $1 })
        #expect(skipped.keys.sorted()
            == ["INBOX.All Mail", "INBOX.Parent", "INBOX.Tmp", "INBOX.all mail", "Shared.team"])
        #expect(skipped["Shared.team"]?.contains("outside the personal namespace") == true)
        #expect(skipped["INBOX.Tmp"] == "matched by --exclude")
        #expect(account.problems.isEmpty, "skipped folders cannot collide: \(account.problems)")
        let summary = FolderMappingSummary([account], notPreviewed: 1)
        #expect(summary.folders == 6 && summary.copied == 1)
        #expect(summary.flagged, "a mailbox left out is flagged")
    }

    @Test func subfolderPutsEverythingUnderOneFolder() async throws {
        let account = try await preview(Self.standard, options: .init(subfolder: "Imported"))
        #expect(mapping(account)["INBOX"] == "Imported")
        #expect(mapping(account)["INBOX.Projects.2024"] == "Imported/Projects/2024")
        #expect(account.problems.isEmpty)
    }
}
