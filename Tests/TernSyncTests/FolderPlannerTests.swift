import Testing
import TernCore
@testable import TernSync

/// The folder plan is pure logic: tables of source/destination listings → expected mapping.
@Suite struct FolderPlannerTests {
    static func folder(_ path: String, raw: String? = nil, use: String? = nil, separator: String = "/",
                       selectable: Bool = true, subscribed: Bool = true) -> StoreFolder {
        StoreFolder(path: path.split(separator: "/").map(String.init), raw: raw ?? path, separator: separator,
            specialUse: use, attributes: [], subscribed: subscribed, selectable: selectable)
    }

    /// A cPanel-style source (`INBOX.` prefix, `.` separator) with SPECIAL-USE marks.
    static let cpanel = [
        folder("INBOX", raw: "INBOX", separator: "."),
        folder("Sent", raw: "INBOX.Sent", use: "\\Sent", separator: "."),
        folder("Drafts", raw: "INBOX.Drafts", use: "\\Drafts", separator: "."),
        folder("Trash", raw: "INBOX.Trash", use: "\\Trash", separator: "."),
        folder("Projects/2024", raw: "INBOX.Projects.2024", separator: "."),
        folder("Entwürfe", raw: "INBOX.Entw&APw-rfe", separator: "."),
    ]

    /// An Exchange-like destination with its own special names.
    static let exchange = [
        folder("INBOX"),
        folder("Sent Items", use: "\\Sent"),
        folder("Drafts", use: "\\Drafts"),
        folder("Deleted Items", use: "\\Trash"),
    ]

    func plan(_ source: [StoreFolder], _ destination: [StoreFolder], options: FolderPlanner.Options = .init(),
              rules: any Rules = NoRules()) async throws -> FolderPlanner.Plan {
        try await FolderPlanner(options: options).plan(source: source, destination: destination, rules: rules)
    }

    func target(_ plan: FolderPlanner.Plan, _ source: String) -> String? {
        plan.pairs.first { $0.source.portableName == source }?.destinationPath.joined(separator: "/")
    }

    @Test func specialUseFoldersLandInTheDestinationsOwn() async throws {
        let plan = try await plan(Self.cpanel, Self.exchange)
        #expect(target(plan, "INBOX") == "INBOX")
        #expect(target(plan, "Sent") == "Sent Items")
        #expect(target(plan, "Trash") == "Deleted Items")
        #expect(target(plan, "Drafts") == "Drafts")
        #expect(target(plan, "Projects/2024") == "Projects/2024")
        // A folder *named* like Drafts in German is not the Drafts folder on a server that marks folders.
        #expect(target(plan, "Entwürfe") == "Entwürfe")
        #expect(plan.pairs.first { $0.source.portableName == "Sent" }?.existing?.raw == "Sent Items")
        #expect(plan.collisions.isEmpty)
    }

    @Test func wellKnownNamesStandInWhenAServerMarksNothing() async throws {
        let unmarked = [Self.folder("INBOX"), Self.folder("Sent Messages"), Self.folder("Deleted Messages"), Self.folder("Junk E-mail")]
        let gmailLike = [Self.folder("INBOX"), Self.folder("[Gmail]/Sent Mail"), Self.folder("[Gmail]/Trash"), Self.folder("[Gmail]/Spam")]
        let plan = try await plan(unmarked, gmailLike)
        #expect(target(plan, "Sent Messages") == "[Gmail]/Sent Mail")
        #expect(target(plan, "Deleted Messages") == "[Gmail]/Trash")
        #expect(target(plan, "Junk E-mail") == "[Gmail]/Spam")
    }

    @Test func aGuessByNameNeverBeatsTheSameName() async throws {
        // Courier marks nothing: after a first run created Entwürfe and Drafts, the source's
        // \\Drafts still goes to Drafts, whichever of the two the server lists first.
        let courier = [Self.folder("INBOX", raw: "INBOX", separator: "."),
                       Self.folder("Entwürfe", raw: "INBOX.Entw&APw-rfe", separator: "."),
                       Self.folder("Drafts", raw: "INBOX.Drafts", separator: ".")]
        let plan = try await plan(Self.cpanel, courier)
        #expect(target(plan, "Drafts") == "Drafts")
        #expect(target(plan, "Entwürfe") == "Entwürfe")
        // With only the German one there, the guess stands.
        let guessed = try await self.plan(Self.cpanel, Array(courier.prefix(2)))
        #expect(target(guessed, "Drafts") == "Entwürfe")
    }

    @Test func missingSpecialFoldersAreCreatedWithTheirUse() async throws {
        let plan = try await plan(Self.cpanel, [Self.folder("INBOX")])
        let sent = try #require(plan.pairs.first { $0.source.portableName == "Sent" })
        #expect(sent.existing == nil)
        #expect(sent.destinationPath == ["Sent"])
        #expect(sent.specialUse == "\\Sent")
    }

    @Test func includeExcludeAndSubfolder() async throws {
        let options = FolderPlanner.Options(include: ["^(INBOX|Projects)"], exclude: ["2024$"], subfolder: "Imported_Mail")
        let plan = try await plan(Self.cpanel, Self.exchange, options: options)
        #expect(target(plan, "INBOX") == "Imported_Mail")
        #expect(target(plan, "Projects/2024") == nil)
        #expect(target(plan, "Sent") == nil)
        #expect(plan.skipped.contains { $0.source.portableName == "Projects/2024" && $0.reason.contains("--exclude") })
        #expect(plan.skipped.contains { $0.source.portableName == "Sent" && $0.reason.contains("--include") })
    }

    @Test func subfolderKeepsSpecialFoldersApart() async throws {
        let plan = try await plan(Self.cpanel, Self.exchange, options: .init(subfolder: "Old/Host"))
        #expect(target(plan, "Sent") == "Old/Host/Sent")
        #expect(target(plan, "Projects/2024") == "Old/Host/Projects/2024")
    }

    @Test func presetSkipsAndNoselectFolders() async throws {
        let source = [Self.folder("INBOX"), Self.folder("[Gmail]", selectable: false), Self.folder("[Gmail]/All Mail", use: "\\All")]
        let plan = try await plan(source, [Self.folder("INBOX")], options: .init(presetSkips: ["[Gmail]/All Mail"]))
        #expect(plan.pairs.map(\.source.portableName) == ["INBOX"])
        #expect(plan.skipped.count == 2)
    }

    @Test func rulesRenameSkipAndWinOverDefaults() async throws {
        struct Rename: Rules {
            var mapsFolders: Bool { true }
            var filtersMessages: Bool { false }
            func mapFolder(_ folder: FolderInfo) async throws(ScriptError) -> FolderDecision {
                switch folder.name {
                case "Projects/2024": .rename("Archive/2024")
                case "Trash": .skip
                default: .keep
                }
            }
            func filterMessage(_ message: MessageSummary) async throws(ScriptError) -> FilterDecision { .copy }
        }
        let plan = try await plan(Self.cpanel, Self.exchange, rules: Rename())
        #expect(target(plan, "Projects/2024") == "Archive/2024")
        #expect(target(plan, "Trash") == nil)
        #expect(target(plan, "Sent") == "Sent Items")
    }

    @Test func collisionsAreReported() async throws {
        let source = [Self.folder("INBOX"), Self.folder("Sent", use: "\\Sent"), Self.folder("Sent Items")]
        let plan = try await plan(source, Self.exchange)
        #expect(plan.collisions.count == 1)
    }

    @Test func badRegularExpressionsAreUsageErrors() {
        #expect(throws: PlanError.self) { try FolderPlanner(options: .init(include: ["(unclosed"])) }
    }

    @Test func batchesAreBoundedByBytesAndCount() {
        let sizes: [Int64] = [10, 10, 10, 100, 5, 5]
        let messages = sizes.enumerated().map {
            MessageMeta(uid: UInt32($0.offset + 1), flags: [], internalDate: nil, size: $0.element, modSeq: nil)
        }
        let window = BatchWindow(maxBytes: 25, maxCount: 2)
        var batches: [[UInt32]] = []
        var start = 0
        while start < messages.count {
            let range = BatchWindow.nextBatch(messages, from: start, windows: [window])
            batches.append(messages[range].map(\.uid))
            start = range.upperBound
        }
        #expect(batches == [[1, 2], [3], [4], [5, 6]])
    }
}
