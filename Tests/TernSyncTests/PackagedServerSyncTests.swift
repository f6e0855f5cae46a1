import Foundation
import Testing
import TernCore
import TernSync
import TernTestSupport

/// `MailboxSync` between Dovecot and Debian's Cyrus IMAP and Courier-IMAP (scripts/testenv/cyrus.sh,
/// courier.sh), each way: nested and non-ASCII folders, flags and keywords, zoned arrival
/// dates, a message without Message-ID and one with 8-bit header bytes. Every direction is
/// held to the same standard — each message once, in the folder of the same name, with its
/// flags, date and bytes — a second run copies nothing, and neither does a run without state.
/// Where the destination server itself changes a message (Cyrus's munge8bit), the test names
/// the message: the copy must still be recognised, and verify must call it altered.
/// Accounts: Dovecot u49…u52, Cyrus and Courier c01…c04.
@Suite struct PackagedServerSyncTests {
    static let mailbox: [SeedMessage] = [
        SeedMessage(messageID: "seen@tern.test", subject: "Seen and labelled",
            dateHeader: "Wed, 5 Apr 2023 09:10:11 +0200", flags: ["\\Seen", "$Label1"],
            internalDate: SeedMessage.date(2023, 4, 5, 9, 10, 11, zoneMinutes: 120)),
        SeedMessage(messageID: "flagged@tern.test", subject: "Flagged and answered",
            dateHeader: "Thu, 6 Apr 2023 18:00:01 -0500", flags: ["\\Flagged", "\\Answered"],
            internalDate: SeedMessage.date(2023, 4, 6, 18, 0, 1, zoneMinutes: -300)),
        SeedMessage(messageID: nil, subject: "No Message-ID at all",
            dateHeader: "Fri, 7 Apr 2023 07:00:00 +0000", flags: [],
            internalDate: SeedMessage.date(2023, 4, 7, 7, 0, 0, zoneMinutes: 0)),
        SeedMessage(messageID: "keywords@tern.test", subject: "Two keywords",
            dateHeader: "Sat, 8 Apr 2023 08:00:00 +0100", flags: ["\\Seen", "ProjectX", "$Forwarded"],
            internalDate: SeedMessage.date(2023, 4, 8, 8, 0, 0, zoneMinutes: 60), padding: 20_000),
        SeedMessage(folder: ["Projects", "2024"], messageID: "kickoff@tern.test", subject: "Kick-off",
            dateHeader: "Mon, 15 Jan 2024 10:00:00 +0530", flags: ["\\Seen", "\\Answered"],
            internalDate: SeedMessage.date(2024, 1, 15, 10, 0, 0, zoneMinutes: 330)),
        SeedMessage(folder: ["Projects", "2024"], messageID: "budget@tern.test", subject: "Budget",
            dateHeader: "Tue, 16 Jan 2024 11:00:00 -0800", flags: [],
            internalDate: SeedMessage.date(2024, 1, 16, 11, 0, 0, zoneMinutes: -480)),
        SeedMessage(folder: ["Projects", "2024", "Q1"], messageID: "q1@tern.test", subject: "Q1 figures",
            dateHeader: "Fri, 29 Mar 2024 16:30:00 +0000", flags: ["\\Flagged"],
            internalDate: SeedMessage.date(2024, 3, 29, 16, 30, 0, zoneMinutes: 0)),
        SeedMessage(folder: ["Sent"], messageID: "sent@tern.test", subject: "Re: Kick-off",
            from: "Owner <owner@example.com>", dateHeader: "Mon, 15 Jan 2024 12:00:00 +0100", flags: ["\\Seen"],
            internalDate: SeedMessage.date(2024, 1, 15, 12, 0, 0, zoneMinutes: 60)),
        SeedMessage(folder: ["Réunions"], messageID: "meeting@tern.test", subject: "Meeting Monday",
            dateHeader: "Thu, 18 Jan 2024 15:00:00 +0100", flags: ["$Label1", "\\Seen"],
            internalDate: SeedMessage.date(2024, 1, 18, 15, 0, 0, zoneMinutes: 60)),
        // Raw UTF-8 in a header, as many mailers send it.
        SeedMessage(folder: ["Entwürfe"], messageID: "draft@tern.test", subject: "Entwurf: Grüße",
            dateHeader: "Wed, 17 Jan 2024 14:00:00 +0100", flags: ["\\Draft"],
            internalDate: SeedMessage.date(2024, 1, 17, 14, 0, 0, zoneMinutes: 60)),
    ]

    @Test func dovecotToCyrus() async throws {
        // Debian's Cyrus keeps munge8bit on: each 8-bit byte of a raw header becomes "X".
        try await run(AccountFixture(user: "u49", source: nil, destination: .init(.cyrus, user: "c01")),
            serverAlters: ["Entwürfe draft@tern.test"])
    }

    @Test func cyrusToDovecot() async throws {
        try await run(AccountFixture(user: "u50", source: .init(.cyrus, user: "c02"), destination: nil),
            drafts: "Drafts")
    }

    @Test func dovecotToCourier() async throws {
        try await run(AccountFixture(user: "u51", source: nil, destination: .init(.courier, user: "c03")))
    }

    @Test func courierToDovecot() async throws {
        try await run(AccountFixture(user: "u52", source: .init(.courier, user: "c04"), destination: nil),
            drafts: "Drafts")
    }

    /// Seeds the source, syncs, compares every folder with its copy, syncs again, syncs once
    /// more without state (a lost state file, or a crash before any record: every copy must be
    /// recognised on the destination, also one the server altered) and verifies.
    /// `drafts`: where "Entwürfe" belongs on the destination — the destination's \\Drafts when
    /// the source has no drafts folder of its own (Cyrus and Courier accounts start with INBOX
    /// only), so Tern recognises the German name; beside Dovecot's own Drafts it stays itself.
    /// `serverAlters`: the messages ("folder Message-ID") the destination server stores changed.
    func run(_ fixture: AccountFixture, drafts: String = "Entwürfe", serverAlters: Set<String> = []) async throws {
        let harness = try SyncHarness(fixture: fixture)
        defer { harness.cleanUp() }
        try await fixture.wipe()
        try await fixture.seed(.source, Self.mailbox)
        let source = try await fixture.allMessages(.source)
        try #require(source.values.reduce(0) { $0 + $1.count } == Self.mailbox.count, "seeded \(source)")

        let report = try await harness.sync()
        #expect(report.succeeded, "\(report.error ?? "") \(report.failuresByCategory)")
        #expect(report.totals.copied == Self.mailbox.count)
        let destination = try await fixture.allMessages(.destination)
        let differences = Differences(source: source, destination: destination, renamed: ["Entwürfe": drafts])
        // What differs, per direction, in the test log.
        print("\(fixture.user(.source)) → \(fixture.user(.destination)):\n\(differences.summary)")
        #expect(differences.folders.isEmpty, "folders")
        #expect(differences.messages.isEmpty, "messages (each exactly once)")
        #expect(differences.flags.isEmpty, "flags and keywords")
        #expect(differences.seconds.isEmpty, "arrival dates")
        #expect(differences.zones.isEmpty, "arrival date zones")
        #expect(differences.altered == serverAlters, "bytes: \(differences.bytes)")

        let again = try await harness.sync()
        #expect(again.succeeded)
        #expect(again.totals.copied == 0, "a second run copies nothing")
        try harness.removeState()
        let stateless = try await harness.sync()
        #expect(stateless.succeeded, "\(stateless.error ?? "")")
        #expect(stateless.totals.copied == 0, "without state every copy is recognised, none sent again")
        #expect(stateless.totals.alreadyPresent == Self.mailbox.count)
        let after = try await fixture.allMessages(.destination)
        #expect(after.mapValues(\.count) == destination.mapValues(\.count), "a later run added copies")

        // verify says "matches" exactly when every message arrived unaltered, and names each
        // altered copy as altered (not as missing, and not as a match).
        let verification = try await harness.verify()
        let problems = verification.folders.flatMap(\.entries).filter { $0.status != .copied }
        let altered = Set(problems.filter { $0.status == .altered }.map {
            "\($0.sourceFolder) \(($0.messageID ?? "").trimmingCharacters(in: CharacterSet(charactersIn: "<>")))"
        })
        #expect(verification.matches == differences.isExact, "verify: \(problems)")
        #expect(altered == serverAlters, "verify names the altered copies: \(problems)")
        #expect(problems.count == altered.count, "nothing else differs: \(problems)")
    }
}

/// What differs between a source account and its copy, per kind, each entry naming the folder
/// and message.
struct Differences {
    var folders: [String] = []
    var messages: [String] = []
    var flags: [String] = []
    var seconds: [String] = []
    var zones: [String] = []
    var bytes: [String] = []
    /// The messages ("folder Message-ID") whose copy differs in bytes.
    var altered: Set<String> = []

    /// `renamed`: source folders expected under another name on the destination.
    init(source: [String: [FixtureMessage]], destination: [String: [FixtureMessage]], renamed: [String: String]) {
        let target = { (name: String) in renamed[name] ?? name }
        // Every source folder exists on the destination; the ones with mail hold it there alone.
        for name in source.keys.sorted() where destination[target(name)] == nil {
            folders.append("\(name): not created as \(target(name))")
        }
        let expected = Set(source.filter { !$0.value.isEmpty }.keys.map(target))
        for name in Set(destination.filter { !$0.value.isEmpty }.keys).subtracting(expected).sorted() {
            folders.append("\(name): \(destination[name]?.count ?? 0) unexpected messages")
        }
        for name in source.keys.sorted() {
            var copies = destination[target(name), default: []]
            for message in source[name, default: []] {
                let key = "\(name) \(message.messageID ?? "(no id)")"
                guard let index = copies.firstIndex(where: { $0.messageID == message.messageID }) else {
                    messages.append("\(key): missing")
                    continue
                }
                let copy = copies.remove(at: index)
                if copy.subject != message.subject || copy.size != message.size { altered.insert(key) }
                if copy.subject != message.subject {
                    bytes.append("\(key): subject \(message.subject ?? "-") → \(copy.subject ?? "-")")
                }
                if copy.size != message.size { bytes.append("\(key): size \(message.size) → \(copy.size)") }
                if copy.flags != message.flags { flags.append("\(key): \(message.flags) → \(copy.flags)") }
                let when = { (date: MailDate?) in date.map { Int64($0.date.timeIntervalSince1970.rounded()) } }
                if when(copy.internalDate) != when(message.internalDate) {
                    seconds.append("\(key): \(String(describing: message.internalDate)) → "
                        + String(describing: copy.internalDate))
                } else if copy.internalDate?.zoneMinutes != message.internalDate?.zoneMinutes {
                    zones.append("\(key): \(message.internalDate?.zoneMinutes ?? 0) → "
                        + "\(copy.internalDate?.zoneMinutes ?? 0) min")
                }
            }
            for extra in copies { messages.append("\(name) \(extra.messageID ?? "(no id)"): extra copy") }
        }
    }

    var isExact: Bool { [folders, messages, flags, seconds, zones, bytes].allSatisfy(\.isEmpty) }

    var summary: String {
        [("folders", folders), ("messages", messages), ("flags", flags), ("dates", seconds), ("zones", zones),
         ("bytes", bytes)].map { "\($0.0): \($0.1.isEmpty ? "exact" : $0.1.joined(separator: "; "))" }
            .joined(separator: "\n")
    }
}
