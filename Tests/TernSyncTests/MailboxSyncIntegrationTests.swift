import Foundation
import Testing
import TernCore
import TernState
import TernSync
import TernTestSupport

/// `MailboxSync` between the real Dovecot pair: the source (`.` separator, `INBOX.` prefix)
/// and the destination (`/`, no prefix). Each test owns one account (u01…u20) and wipes it
/// on both servers first, so tests run in parallel without sharing mail.
@Suite struct MailboxSyncIntegrationTests {
    /// INBOX, nested, special-use and non-ASCII folders; flags, keywords, zoned dates; a
    /// message without Message-ID and two different messages sharing one.
    static let richMailbox: [SeedMessage] = [
        SeedMessage(messageID: "one@tern.test", subject: "Seen and labelled",
            dateHeader: "Wed, 5 Apr 2023 09:10:11 +0200", flags: ["\\Seen", "$Label1"],
            internalDate: SeedMessage.date(2023, 4, 5, 9, 10, 11, zoneMinutes: 120)),
        SeedMessage(messageID: "two@tern.test", subject: "Flagged and answered",
            dateHeader: "Thu, 6 Apr 2023 18:00:01 -0500", flags: ["\\Flagged", "\\Answered"],
            internalDate: SeedMessage.date(2023, 4, 6, 18, 0, 1, zoneMinutes: -300)),
        SeedMessage(messageID: nil, subject: "No Message-ID at all",
            dateHeader: "Fri, 7 Apr 2023 07:00:00 +0000", flags: [],
            internalDate: SeedMessage.date(2023, 4, 7, 7, 0, 0, zoneMinutes: 0)),
        SeedMessage(messageID: "shared@tern.test", subject: "Shared id, first",
            dateHeader: "Sat, 8 Apr 2023 08:00:00 +0100", flags: ["\\Seen"],
            internalDate: SeedMessage.date(2023, 4, 8, 8, 0, 0, zoneMinutes: 60)),
        SeedMessage(messageID: "shared@tern.test", subject: "Shared id, second",
            dateHeader: "Sat, 8 Apr 2023 08:05:00 +0100", flags: [],
            internalDate: SeedMessage.date(2023, 4, 8, 8, 5, 0, zoneMinutes: 60), padding: 3000),
        // Byte-identical twins (a message filed twice): two copies, never merged into one.
        SeedMessage(messageID: "twin@tern.test", subject: "Twin", dateHeader: "Sun, 9 Apr 2023 09:00:00 +0000",
            flags: ["\\Seen"], internalDate: SeedMessage.date(2023, 4, 9, 9, 0, 0, zoneMinutes: 0)),
        SeedMessage(messageID: "twin@tern.test", subject: "Twin", dateHeader: "Sun, 9 Apr 2023 09:00:00 +0000",
            flags: ["\\Seen"], internalDate: SeedMessage.date(2023, 4, 9, 9, 0, 0, zoneMinutes: 0)),
        SeedMessage(folder: ["Projects", "2024"], messageID: "proj1@tern.test", subject: "Kick-off",
            dateHeader: "Mon, 15 Jan 2024 10:00:00 +0530", flags: ["\\Seen", "\\Answered"],
            internalDate: SeedMessage.date(2024, 1, 15, 10, 0, 0, zoneMinutes: 330)),
        SeedMessage(folder: ["Projects", "2024"], messageID: "proj2@tern.test", subject: "Budget",
            dateHeader: "Tue, 16 Jan 2024 11:00:00 -0800", flags: [],
            internalDate: SeedMessage.date(2024, 1, 16, 11, 0, 0, zoneMinutes: -480), padding: 20_000),
        SeedMessage(folder: ["Sent"], messageID: "sent1@tern.test", subject: "Re: Kick-off",
            from: "Owner <owner@example.com>", dateHeader: "Mon, 15 Jan 2024 12:00:00 +0100", flags: ["\\Seen"],
            internalDate: SeedMessage.date(2024, 1, 15, 12, 0, 0, zoneMinutes: 60)),
        SeedMessage(folder: ["Sent"], messageID: "sent2@tern.test", subject: "Re: Budget",
            from: "Owner <owner@example.com>", dateHeader: "Tue, 16 Jan 2024 13:00:00 +0100",
            flags: ["\\Seen", "\\Answered"], internalDate: SeedMessage.date(2024, 1, 16, 13, 0, 0, zoneMinutes: 60)),
        SeedMessage(folder: ["Entwürfe"], messageID: "draft@tern.test", subject: "Entwurf: Grüße",
            dateHeader: "Wed, 17 Jan 2024 14:00:00 +0100", flags: ["\\Draft"],
            internalDate: SeedMessage.date(2024, 1, 17, 14, 0, 0, zoneMinutes: 60)),
        SeedMessage(folder: ["Réunions"], messageID: "meet@tern.test", subject: "Réunion lundi",
            dateHeader: "Thu, 18 Jan 2024 15:00:00 +0100", flags: ["$Label1", "\\Seen"],
            internalDate: SeedMessage.date(2024, 1, 18, 15, 0, 0, zoneMinutes: 60)),
    ]

    static let richFolders = ["INBOX", "Projects/2024", "Sent", "Entwürfe", "Réunions"]

    func prepare(_ user: String, seed: [SeedMessage] = richMailbox) async throws -> SyncHarness {
        let harness = try SyncHarness(user: user)
        try await harness.fixture.wipe()
        try await harness.fixture.seed(.source, seed)
        return harness
    }

    // 1
    @Test func fullCopyKeepsEveryFolderMessageFlagAndDate() async throws {
        let harness = try await prepare("u01")
        defer { harness.cleanUp() }
        let report = try await harness.sync()
        #expect(report.error == nil)
        #expect(report.failuresByCategory.isEmpty)
        #expect(report.totals.copied == Self.richMailbox.count)
        #expect(report.totals.alreadyPresent == 0)

        let source = try await harness.fixture.allMessages(.source)
        let destination = try await harness.fixture.allMessages(.destination)
        // Exactly the same folders hold mail (the servers' own empty Drafts/Trash/… aside).
        #expect(Set(source.filter { !$0.value.isEmpty }.keys) == Set(Self.richFolders))
        #expect(Set(destination.filter { !$0.value.isEmpty }.keys) == Set(Self.richFolders))
        for folder in Self.richFolders {
            let expected = source[folder, default: []].map(\.essence.description).sorted()
            let actual = destination[folder, default: []].map(\.essence.description).sorted()
            #expect(actual == expected, "folder \(folder)")
        }
        // Arrival dates: the seeded instants survive to the second on both sides.
        let seeded = Set(Self.richMailbox.compactMap { $0.internalDate.map { Int64($0.date.timeIntervalSince1970) } })
        let copied = Set(destination.values.joined().compactMap { $0.internalDate.map {
            Int64($0.date.timeIntervalSince1970.rounded()) } })
        #expect(copied == seeded)
        // Both messages that share a Message-ID, and the one without, arrived once each.
        let inbox = destination["INBOX", default: []]
        #expect(inbox.filter { $0.messageID == "shared@tern.test" }.compactMap(\.subject).sorted()
            == ["Shared id, first", "Shared id, second"])
        #expect(inbox.filter { $0.messageID == nil }.count == 1)
        #expect(inbox.filter { $0.messageID == "twin@tern.test" }.count == 2)
        #expect(inbox.first { $0.messageID == "one@tern.test" }?.flags.contains("$Label1") == true)

        // Special use: the source's \Sent (INBOX.Sent there) went to the destination's own
        // \Sent; the nested folder uses the destination's separator.
        let folders = try await harness.fixture.folders(.destination)
        let sent = try #require(folders.first { $0.specialUse == "\\Sent" })
        #expect(sent.raw == "Sent")
        #expect(destination[sent.portableName]?.count == 2)
        #expect(folders.contains { $0.raw == "Projects/2024" && $0.separator == "/" && $0.selectable })
        #expect(!folders.contains { $0.raw.hasPrefix("INBOX/") || $0.raw.hasPrefix("INBOX.") })
        #expect(report.folder("Sent")?.destination == "Sent")

        let verification = try await harness.verify()
        #expect(verification.matches)
        #expect(verification.folders.reduce(0) { $0 + $1.matched } == Self.richMailbox.count)
    }

    // 2
    @Test func secondRunCopiesNothing() async throws {
        let harness = try await prepare("u02")
        defer { harness.cleanUp() }
        let first = try await harness.sync()
        #expect(first.error == nil && first.totals.copied == Self.richMailbox.count)
        let before = try await harness.fixture.allMessages(.destination)
            .mapValues { $0.map(\.essence.description).sorted() }

        var stores: [CallRecordingStore] = []
        let second = try await harness.sync(wrap: { store in
            let recording = CallRecordingStore(store)
            stores.append(recording)
            return recording
        })
        // Only LIST and STATUS: no folder is opened, no message listed, fetched or appended.
        #expect(stores.count == 2)
        for store in stores {
            #expect(Set(store.calls).isSubset(of: ["open", "folders", "status", "close"]),
                "\(store.label): \(store.calls)")
        }
        #expect(second.error == nil)
        #expect(second.totals.copied == 0)
        #expect(second.totals.alreadyPresent == 0)
        #expect(second.totals.flagsUpdated == 0)
        for folder in second.folders where !folder.outcome.hasPrefix("skipped") {
            // Nothing changed since the first pass: STATUS alone decides.
            #expect(folder.outcome == "unchanged", "\(folder.source): \(folder.outcome)")
        }
        let after = try await harness.fixture.allMessages(.destination)
            .mapValues { $0.map(\.essence.description).sorted() }
        #expect(after == before)
    }

    // 3
    @Test func deltaCopiesNewMailAndAppliesChangedFlags() async throws {
        let harness = try await prepare("u03")
        defer { harness.cleanUp() }
        #expect(try await harness.sync().totals.copied == Self.richMailbox.count)

        try await harness.fixture.append(.source, numberedMessages("delta", 1...2))
        // one@tern.test had \Seen $Label1: now \Flagged and $Urgent, no longer \Seen.
        try await harness.fixture.setFlags(.source, ["INBOX"], messageID: "one@tern.test",
            to: ["\\Flagged", "$Label1", "$Urgent"])

        let delta = try await harness.sync()
        #expect(delta.error == nil)
        #expect(delta.totals.copied == 2)
        #expect(delta.totals.flagsUpdated == 1)
        #expect(delta.folder("INBOX")?.counts.copied == 2)
        let changed = try await harness.fixture.messages(.destination, ["INBOX"])
            .first { $0.messageID == "one@tern.test" }
        #expect(changed?.flags == ["$Label1", "$Urgent", "\\Flagged"])
        #expect(try await harness.essences(.destination, ["INBOX"]) == harness.essences(.source, ["INBOX"]))
        #expect(try await harness.verify().matches)
    }

    // 4
    @Test func messagesWithoutOrSharingMessageIDsSurviveLostState() async throws {
        let harness = try await prepare("u04")
        defer { harness.cleanUp() }
        let seeded = Self.richMailbox.count
        #expect(try await harness.sync().totals.copied == seeded)
        #expect(try await harness.sync().totals.copied == 0)

        try harness.removeState()
        let again = try await harness.sync()
        #expect(again.error == nil)
        #expect(again.totals.copied == 0)
        #expect(again.totals.alreadyPresent == seeded)
        for folder in Self.richFolders {
            let path = folder.split(separator: "/").map(String.init)
            #expect(try await harness.essences(.destination, path) == harness.essences(.source, path), "\(folder)")
        }
        #expect(try await harness.verify().matches)
    }

    // 5
    @Test func sourceUIDValidityChangeAdoptsCopiesByFingerprint() async throws {
        let seed = numberedMessages("uv", 1...6, folder: ["Archive2"], flags: ["\\Seen"])
        let harness = try await prepare("u05", seed: seed)
        defer { harness.cleanUp() }
        #expect(try await harness.sync().folder("Archive2")?.counts.copied == 6)
        let before = try await harness.fixture.count(.destination, ["Archive2"])

        // Delete and re-create the folder with the same mail: a new UIDVALIDITY, new UIDs.
        let beforeValidity = try await harness.fixture.uidValidity(.source, ["Archive2"])
        try await harness.fixture.deleteFolder(.source, ["Archive2"])
        try await harness.fixture.seed(.source, seed)
        #expect(try await harness.fixture.uidValidity(.source, ["Archive2"]) != beforeValidity)

        let report = try await harness.sync()
        #expect(report.error == nil)
        #expect(report.folder("Archive2")?.counts.copied == 0)
        #expect(report.folder("Archive2")?.counts.alreadyPresent == 6)
        #expect(try await harness.fixture.count(.destination, ["Archive2"]) == before)
        // And the run after that is a plain no-op again.
        #expect(try await harness.sync().folder("Archive2")?.outcome == "unchanged")
    }

    @Test func destinationFolderRecreatedGetsWhatItLost() async throws {
        let seed = numberedMessages("lost", 1...5, folder: ["Keep"])
        let harness = try await prepare("u17", seed: seed)
        defer { harness.cleanUp() }
        #expect(try await harness.sync().folder("Keep")?.counts.copied == 5)
        // Someone deletes the destination folder and re-creates it with two of the messages:
        // a new UIDVALIDITY, new UIDs, three messages gone.
        try await harness.fixture.deleteFolder(.destination, ["Keep"])
        try await harness.fixture.seed(.destination, [seed[1], seed[3]])

        let report = try await harness.sync()
        #expect(report.error == nil)
        #expect(report.folder("Keep")?.counts.copied == 3)
        #expect(report.folder("Keep")?.counts.alreadyPresent == 2)
        #expect(try await harness.messageIDs(.destination, ["Keep"]) == harness.messageIDs(.source, ["Keep"]))
        #expect(try await harness.verify().matches)
    }

    // 6
    @Test func prefilledDestinationGetsOnlyTheRest() async throws {
        let seed = numberedMessages("pre", 1...8)
        let harness = try await prepare("u06", seed: seed)
        defer { harness.cleanUp() }
        // Some of the messages already in the destination, e.g. from an earlier tool; one of
        // them carries other flags there than in the source.
        var stale = seed[5]
        stale.flags = ["\\Seen", "$Old"]
        try await harness.fixture.seed(.destination, Array(seed[0..<3]) + [stale])

        let report = try await harness.sync()
        #expect(report.error == nil)
        #expect(report.folder("INBOX")?.counts.copied == 4)
        #expect(report.folder("INBOX")?.counts.alreadyPresent == 4)
        #expect(try await harness.messageIDs(.destination, ["INBOX"]) == harness.messageIDs(.source, ["INBOX"]))
        // The source's flags win for adopted copies too.
        #expect(try await harness.essences(.destination, ["INBOX"]) == harness.essences(.source, ["INBOX"]))
        #expect(try await harness.verify().matches)
    }

    // 7
    @Test func delete2RemovesOnlyVanishedCopiesTernMade() async throws {
        let harness = try await prepare("u07", seed: numberedMessages("del", 1...5))
        defer { harness.cleanUp() }
        #expect(try await harness.sync().totals.copied == 5)
        // The user files a message straight into the destination…
        try await harness.fixture.append(.destination, [SeedMessage(messageID: "users-own@tern.test",
            subject: "Written on the new server")])
        // …and two messages vanish from the source.
        try await harness.fixture.delete(.source, ["INBOX"], messageIDs: ["del-2@tern.test", "del-4@tern.test"])

        let report = try await harness.sync(SyncHarness.options { $0.deleteVanished = true })
        #expect(report.error == nil)
        #expect(report.folder("INBOX")?.counts.deleted == 2)
        #expect(report.folder("INBOX")?.counts.copied == 0)
        #expect(try await harness.messageIDs(.destination, ["INBOX"])
            == ["del-1@tern.test", "del-3@tern.test", "del-5@tern.test", "users-own@tern.test"])
        // Without --delete2 nothing is removed.
        try await harness.fixture.delete(.source, ["INBOX"], messageIDs: ["del-5@tern.test"])
        let plain = try await harness.sync()
        #expect(plain.totals.deleted == 0)
        #expect(try await harness.fixture.count(.destination, ["INBOX"]) == 4)
    }

    @Test func dryRunCreatesNothingAndRecordsNothing() async throws {
        let harness = try await prepare("u09")
        defer { harness.cleanUp() }
        let foldersBefore = try await harness.fixture.folders(.destination).map(\.raw).sorted()

        let report = try await harness.sync(SyncHarness.options { $0.dryRun = true })
        #expect(report.error == nil)
        #expect(report.totals.copied == Self.richMailbox.count, "a dry run reports what it would copy")
        #expect(try await harness.fixture.folders(.destination).map(\.raw).sorted() == foldersBefore)
        #expect(try await harness.fixture.allMessages(.destination).values.allSatisfy(\.isEmpty))
        // State: nothing recorded, so the real run copies everything.
        let state = try SQLiteStateStore(path: harness.statePath)
        for mailbox in try await state.mailboxStatuses() {
            #expect(mailbox.status == .pending)
            #expect(try await state.folders(mailbox: mailbox.id).isEmpty)
        }
        let real = try await harness.sync()
        #expect(real.totals.copied == Self.richMailbox.count)
        #expect(real.totals.alreadyPresent == 0)
    }

    @Test func foldersOnlyCreatesTheTreeWithoutMessages() async throws {
        let harness = try await prepare("u10")
        defer { harness.cleanUp() }
        let report = try await harness.sync(SyncHarness.options { $0.foldersOnly = true })
        #expect(report.error == nil)
        #expect(report.totals.copied == 0)
        let folders = try await harness.fixture.folders(.destination)
        for name in ["Projects/2024", "Entwürfe", "Réunions", "Sent"] {
            #expect(folders.contains { $0.portableName == name && $0.selectable }, "\(name) created")
        }
        #expect(folders.first { $0.portableName == "Réunions" }?.subscribed == true)
        #expect(try await harness.fixture.allMessages(.destination).values.allSatisfy(\.isEmpty))
        #expect(report.folder("Réunions")?.outcome == "folder created")
        // Then a full run copies everything into the tree.
        #expect(try await harness.sync().totals.copied == Self.richMailbox.count)
    }
}
