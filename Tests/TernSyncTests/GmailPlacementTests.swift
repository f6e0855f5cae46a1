import Testing
import TernCore
@testable import TernSync

/// Where a Gmail message goes and what flags it carries there: pure logic over label lists.
@Suite struct GmailPlacementTests {
    static func folder(_ path: String, use: String? = nil, selectable: Bool = true) -> StoreFolder {
        StoreFolder(path: path.split(separator: "/").map(String.init), raw: path, separator: "/", specialUse: use,
            attributes: [], subscribed: true, selectable: selectable)
    }

    static let listing = [
        folder("INBOX"), folder("[Gmail]", selectable: false), folder("[Gmail]/All Mail", use: "\\All"),
        folder("[Gmail]/Sent Mail", use: "\\Sent"), folder("[Gmail]/Drafts", use: "\\Drafts"),
        folder("[Gmail]/Starred", use: "\\Flagged"), folder("[Gmail]/Important", use: "\\Important"),
        folder("[Gmail]/Spam", use: "\\Junk"), folder("[Gmail]/Trash", use: "\\Trash"),
        folder("Work"), folder("Work/Projects"), folder("Family"),
    ]

    @Test func recognisesGmailFolders() throws {
        let gmail = try #require(GmailFolders(Self.listing))
        #expect(gmail.allMail.raw == "[Gmail]/All Mail")
        #expect(gmail.inbox?.raw == "INBOX" && gmail.sent?.raw == "[Gmail]/Sent Mail")
        #expect(gmail.drafts?.raw == "[Gmail]/Drafts")
        #expect(Set(gmail.flagLabels.map(\.raw)) == ["[Gmail]/Starred", "[Gmail]/Important"])
        #expect(Set(gmail.userLabels.keys) == ["Work", "Work/Projects", "Family"])
        // Without All Mail there is no way to reach archived mail.
        #expect(GmailFolders(Self.listing.filter { $0.raw != "[Gmail]/All Mail" }) == nil)
        // A server that marks nothing: Gmail's names in the locale prefix.
        let unmarked = ["INBOX", "[Google Mail]/All Mail", "[Google Mail]/Starred", "[Google Mail]/Important", "Work"]
            .map { Self.folder($0) }
        let google = try #require(GmailFolders(unmarked))
        #expect(google.allMail.raw == "[Google Mail]/All Mail")
        #expect(google.flagLabels.count == 2 && Set(google.userLabels.keys) == ["Work"])
    }

    @Test(arguments: [
        (["\\Inbox", "Work", "Family"], GmailPlacement.Target.inbox),
        (["Work", "\\Sent"], .sent),
        (["\\Draft", "\\Inbox"], .drafts),
        (["\\Important", "Family", "Work"], .label("Family")),
        (["Hidden", "Work/Projects"], .label("Work/Projects")),  // a label without a folder is passed over
        (["\\Starred", "\\Important"], .archive),
        ([], .archive),
    ])
    func defaultOrder(labels: [String], expected: GmailPlacement.Target) throws {
        let gmail = try #require(GmailFolders(Self.listing))
        #expect(GmailPlacement.targets(labels: labels, mode: .keywords, folders: gmail) == [expected])
    }

    @Test func ruleChoiceAndFoldersMode() throws {
        let gmail = try #require(GmailFolders(Self.listing))
        let labels = ["\\Inbox", "Work", "Family"]
        #expect(GmailPlacement.targets(labels: labels, mode: .keywords, folders: gmail, choice: "Family") == [.label("Family")])
        #expect(GmailPlacement.targets(labels: labels, mode: .keywords, folders: gmail, choice: "\\Archive") == [.archive])
        #expect(GmailPlacement.targets(labels: labels, mode: .folders, folders: gmail)
            == [.inbox, .label("Work"), .label("Family")])
        #expect(GmailPlacement.targets(labels: ["\\Starred"], mode: .folders, folders: gmail) == [.archive])
    }

    @Test func labelsBecomeFlagsAndKeywords() {
        let labels = ["\\Inbox", "\\Starred", "\\Important", "Work", "Project X", "Équipe"]
        #expect(GmailPlacement.flags(["\\Seen"], labels: labels, at: .inbox, mode: .keywords)
            == ["$Important", "&AMk-quipe", "Project_X", "Work", "\\Flagged", "\\Seen"])
        // The placement's own label is the folder, not a keyword; folders mode makes no keywords.
        #expect(GmailPlacement.flags([], labels: ["Work", "Family"], at: .label("Work"), mode: .keywords) == ["Family"])
        #expect(GmailPlacement.flags([], labels: labels, at: .inbox, mode: .folders) == ["$Important", "\\Flagged"])
        #expect(GmailPlacement.keyword(for: "a(b)c{d}\"e\"%*]\\") == "a_b_c_d}_e_____")  // "}" may stand in an atom
        #expect(GmailPlacement.keyword(for: "") == nil)
    }
}
