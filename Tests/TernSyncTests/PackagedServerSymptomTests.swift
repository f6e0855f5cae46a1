import Foundation
import Testing
import TernCore
import TernIMAPStore
import TernState
import TernSync
import TernTestSupport

/// Issue 11 against the real servers: what Cyrus and Courier answer to CREATE, what becomes of a
/// "." inside a folder name from a "/" server, emoji folder names (UTF8=ACCEPT), Cyrus's limit
/// of 100 keywords per folder, and `--delete2` on a folder whose status looks unchanged.
/// Accounts: Dovecot u63…u66 (on either Dovecot server), Cyrus c05…c08, Courier c05…c08 —
/// one set of stores per test, so the tests run in parallel.
@Suite struct PackagedServerSymptomTests {
    // MARK: - "already exists" as success

    /// The "/" Dovecot lists INBOX last, so with `--subfolder2 Old` the folder Alpha creates
    /// `Old/Alpha` first — and Cyrus creates `INBOX.Old` with it. INBOX's own CREATE of `Old`
    /// then hears "NO Mailbox already exists" (no response code): the folder exists, INBOX's
    /// mail belongs in it.
    @Test func inboxUnderSubfolderAfterItsChildOnCyrus() async throws {
        let pairing = try Pairing(source: .dovecotSlash(user: "u63"), destination: .packaged(.cyrus, user: "c05"))
        defer { pairing.cleanUp() }
        try await pairing.wipe()
        try await pairing.seed(numberedMessages("inbox", 1...3) + numberedMessages("alpha", 1...2, folder: ["Alpha"]))
        let order = try await pairing.sourceFixture.folders(pairing.source.side).map(\.portableName)
        try #require((order.firstIndex(of: "INBOX") ?? 0) > (order.firstIndex(of: "Alpha") ?? 0),
            "the \"/\" Dovecot lists INBOX after Alpha: \(order)")

        let report = try await pairing.sync(Self.options { $0.folders.subfolder = "Old" })
        #expect(report.folder("INBOX")?.failed == false, "\(report.folder("INBOX")?.outcome ?? "no report")")
        #expect(report.succeeded, "\(report.folders.map { "\($0.source): \($0.outcome)" })")
        #expect(try await pairing.messageIDs(.destination, ["Old"]) == (1...3).map { "inbox-\($0)@tern.test" }.sorted())
        #expect(try await pairing.messageIDs(.destination, ["Old", "Alpha"])
            == (1...2).map { "alpha-\($0)@tern.test" }.sorted())
        let again = try await pairing.sync(Self.options { $0.folders.subfolder = "Old" })
        #expect(again.succeeded && again.totals.copied == 0)
    }

    // MARK: - A folder whose destination name differs from the planned one

    /// `Dots v1.2` on the "/" Dovecot cannot keep its "." as a level of Cyrus's "."
    /// hierarchy: Tern creates `INBOX.Dots v1_2`. Later runs and `verify` find it through the
    /// state; a changed `--subfolder2` gets the new place, not the recorded one.
    @Test func dotInFolderNameOnCyrus() async throws {
        let pairing = try Pairing(source: .dovecotSlash(user: "u64"), destination: .packaged(.cyrus, user: "c06"))
        defer { pairing.cleanUp() }
        try await pairing.wipe()
        let seeded = numberedMessages("dots", 1...3, folder: ["Dots v1.2"])
        try await pairing.seed(seeded)
        let expected = seeded.compactMap(\.messageID).sorted()

        let first = try await pairing.sync()
        #expect(first.succeeded, "\(first.folders.map { "\($0.source): \($0.outcome)" })")
        #expect(try await pairing.messageIDs(.destination, ["Dots v1_2"]) == expected)

        let second = try await pairing.sync()
        #expect(second.folder("Dots v1.2")?.failed == false, "\(second.folder("Dots v1.2")?.outcome ?? "no report")")
        #expect(second.succeeded && second.totals.copied == 0)
        #expect(try await pairing.messageIDs(.destination, ["Dots v1_2"]) == expected, "one copy each")

        let verification = try await pairing.verify()
        let dots = verification.folders.first { $0.source == "Dots v1.2" }
        #expect(dots?.matches == true, "verify: missing \(dots?.missing ?? -1), extra \(dots?.extra ?? -1)")

        // A new mapping wins over the recorded folder.
        let moved = try await pairing.sync(Self.options { $0.folders.subfolder = "New" })
        #expect(moved.succeeded, "\(moved.folders.map { "\($0.source): \($0.outcome)" })")
        #expect(try await pairing.messageIDs(.destination, ["New", "Dots v1_2"]) == expected)
        #expect(try await pairing.messageIDs(.destination, ["Dots v1_2"]) == expected, "the old copy is left alone")
    }

    /// The same on Courier, whose answer to CREATE of a folder that exists is "NO Cannot create
    /// this folder." — and with the state lost, so the second run must CREATE again and find the
    /// folder by LIST, then adopt its copies instead of making new ones.
    @Test func dotInFolderNameOnCourierWithLostState() async throws {
        let pairing = try Pairing(source: .dovecotSlash(user: "u65"), destination: .packaged(.courier, user: "c05"))
        defer { pairing.cleanUp() }
        try await pairing.wipe()
        let seeded = numberedMessages("courier-dots", 1...2, folder: ["Dots v1.2"])
        try await pairing.seed(seeded)

        let first = try await pairing.sync()
        #expect(first.succeeded, "\(first.folders.map { "\($0.source): \($0.outcome)" })")
        try pairing.removeState()
        let second = try await pairing.sync()
        #expect(second.folder("Dots v1.2")?.failed == false, "\(second.folder("Dots v1.2")?.outcome ?? "no report")")
        #expect(second.folder("Dots v1.2")?.counts.alreadyPresent == 2)
        #expect(try await pairing.messageIDs(.destination, ["Dots v1_2"]) == seeded.compactMap(\.messageID).sorted())
        let verification = try await pairing.verify()
        #expect(verification.matches, "\(verification.folders.filter { !$0.matches }.map(\.source))")
    }

    // MARK: - Emoji folder names

    static let emoji = ["Ablage 📁", "😀 Emoji"]

    /// Courier offers UTF8=ACCEPT and refuses the emoji in modified UTF-7 ("NO Error in IMAP
    /// command received by server."): with UTF8=ACCEPT enabled the name goes as UTF-8.
    @Test func emojiFolderToCourier() async throws {
        let pairing = try Pairing(source: .dovecotDot(user: "u63"), destination: .packaged(.courier, user: "c06"))
        defer { pairing.cleanUp() }
        try await pairing.wipe()
        let seeded = numberedMessages("emoji", 1...2, folder: Self.emoji)
        try await pairing.seed(seeded)

        let report = try await pairing.sync()
        #expect(report.succeeded, "\(report.folders.map { "\($0.source): \($0.outcome)" })")
        let folders = try await pairing.destinationFixture.folders(pairing.destination.side).map(\.path)
        #expect(folders.contains(Self.emoji), "\(folders)")
        #expect(try await pairing.messageIDs(.destination, Self.emoji) == seeded.compactMap(\.messageID).sorted())
        let again = try await pairing.sync()
        #expect(again.succeeded && again.totals.copied == 0)
        #expect(try await pairing.verify().matches)
    }

    /// Neither Dovecot 2.3 nor Cyrus 3.6 offers UTF8=ACCEPT: the emoji travels in modified
    /// UTF-7, Dovecot → Cyrus → Dovecot, and comes back exactly.
    @Test func emojiFolderRoundTripThroughCyrus() async throws {
        let there = try Pairing(source: .dovecotDot(user: "u64"), destination: .packaged(.cyrus, user: "c07"))
        let back = try Pairing(source: .packaged(.cyrus, user: "c07"), destination: .dovecotSlash(user: "u66"))
        defer { there.cleanUp(); back.cleanUp() }
        try await there.wipe()
        try await back.destinationFixture.wipe(back.destination.side)
        let seeded = numberedMessages("roundtrip", 1...2, folder: Self.emoji)
        try await there.seed(seeded)

        let out = try await there.sync()
        #expect(out.succeeded, "\(out.folders.map { "\($0.source): \($0.outcome)" })")
        let returned = try await back.sync()
        #expect(returned.succeeded, "\(returned.folders.map { "\($0.source): \($0.outcome)" })")
        let names = try await back.destinationFixture.folders(back.destination.side).map(\.path)
        #expect(names.contains(Self.emoji), "\(names)")
        #expect(try await back.messageIDs(.destination, Self.emoji) == seeded.compactMap(\.messageID).sorted())
        #expect(try await there.verify().matches)
        #expect(try await back.verify().matches)
    }

    // MARK: - Cyrus's keyword limit

    /// Cyrus keeps at most 100 keywords per folder and refuses a message that brings a 101st
    /// ("NO Too many user flags in mailbox", no response code, `\*` still in PERMANENTFLAGS).
    /// Every message is stored; the keywords that did not fit are dropped, counted and named.
    @Test func keywordLimitOnCyrus() async throws {
        let pairing = try Pairing(source: .dovecotDot(user: "u65"), destination: .packaged(.cyrus, user: "c08"))
        defer { pairing.cleanUp() }
        try await pairing.wipe()
        // 12 messages of 10 distinct keywords each: 120 keywords in one folder.
        let seeded = (0..<12).map { index in
            SeedMessage(folder: ["Tagged"], messageID: "tagged-\(index)@tern.test", subject: "Tagged \(index)",
                flags: ["\\Seen"] + (0..<10).map { "kw\(String(format: "%03d", index * 10 + $0))" })
        }
        try await pairing.seed(seeded)

        let report = try await pairing.sync()
        let tagged = report.folder("Tagged")
        #expect(report.succeeded, "\(report.folders.map { "\($0.source): \($0.outcome)" }) \(report.failuresByCategory)")
        #expect(tagged?.counts.copied == 12 && tagged?.counts.failed == 0)
        let copies = try await pairing.destinationFixture.messages(pairing.destination.side, ["Tagged"])
        #expect(copies.count == 12)
        let kept = Set(copies.flatMap(\.flags).filter { !$0.hasPrefix("\\") })
        #expect(kept.count == 100, "Cyrus holds 100 keywords per folder")
        let dropped = Set(seeded.flatMap(\.flags).filter { !$0.hasPrefix("\\") }).subtracting(kept)
        #expect(dropped.count == 20)
        #expect(tagged?.droppedKeywords == dropped.sorted(), "the summary names the dropped keywords")
        #expect(copies.allSatisfy { $0.flags.contains("\\Seen") }, "system flags are kept")
        let again = try await pairing.sync()
        #expect(again.succeeded && again.totals.copied == 0)
        #expect(try await pairing.messageIDs(.destination, ["Tagged"]).count == 12)
    }

    // MARK: - --delete2 on an unchanged folder

    /// A message expunged on the source while `--delete2` was off: the next pass records the
    /// folder's new marks, so the folder looks unchanged to the pass with `--delete2` — which
    /// must still remove the copy.
    @Test func deleteVanishedOnUnchangedFolder() async throws {
        let pairing = try Pairing(source: .dovecotDot(user: "u66"), destination: .packaged(.courier, user: "c07"))
        defer { pairing.cleanUp() }
        try await pairing.wipe()
        try await pairing.seed(numberedMessages("vanish", 1...3, folder: ["Kept"]))
        #expect(try await pairing.sync().succeeded)
        try await pairing.sourceFixture.delete(pairing.source.side, ["Kept"], messageIDs: ["vanish-2@tern.test"])
        let without = try await pairing.sync()
        #expect(without.folder("Kept")?.counts.deleted == 0)
        let unchanged = try await pairing.sync()
        try #require(unchanged.folder("Kept")?.outcome == "unchanged", "the folder's status is as recorded")

        let deleting = try await pairing.sync(Self.options { $0.deleteVanished = true })
        #expect(deleting.folder("Kept")?.counts.deleted == 1)
        #expect(try await pairing.messageIDs(.destination, ["Kept"]) == ["vanish-1@tern.test", "vanish-3@tern.test"])
        let fast = try await pairing.sync()
        #expect(fast.folder("Kept")?.outcome == "unchanged", "without --delete2 the fast path stays")
    }

    static func options(_ change: (inout SyncOptions) -> Void = { _ in }) -> SyncOptions {
        SyncHarness.options(change)
    }
}

/// One test's source and destination account on any of the four servers — the "/" Dovecot
/// (whose LIST puts INBOX last, and which may hold a "." inside a level) included as a source —
/// with its own state database.
struct Pairing {
    struct Account {
        var fixture: AccountFixture
        /// The fixture's side that holds this account.
        var side: AccountFixture.Side

        /// The Dovecot with "." and `INBOX.` (port 14993).
        static func dovecotDot(user: String) throws -> Account {
            Account(fixture: try AccountFixture(user: user), side: .source)
        }

        /// The Dovecot with "/" and no prefix (port 24993).
        static func dovecotSlash(user: String) throws -> Account {
            Account(fixture: try AccountFixture(user: user), side: .destination)
        }

        static func packaged(_ kind: PackagedServer.Kind, user: String) throws -> Account {
            Account(fixture: try AccountFixture(user: "u63", source: nil, destination: .init(kind, user: user)),
                side: .destination)
        }

        var key: String { "\(fixture.user(side))@\(fixture.configuration(side).port)" }

        func store(readOnly: Bool) -> IMAPMailStore {
            IMAPMailStore(configuration: fixture.configuration(side), credentials: fixture.credentials(side),
                label: "\(readOnly ? "source" : "destination") \(fixture.user(side))", readOnly: readOnly)
        }
    }

    let source: Account
    let destination: Account
    let directory: URL
    let statePath: String

    init(source: Account, destination: Account) throws {
        self.source = source
        self.destination = destination
        directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("tern-symptom-\(source.key)-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        statePath = directory.appendingPathComponent("state.sqlite").path
    }

    var sourceFixture: AccountFixture { source.fixture }
    var destinationFixture: AccountFixture { destination.fixture }

    func account(_ side: AccountFixture.Side) -> Account { side == .source ? source : destination }

    func cleanUp() { try? FileManager.default.removeItem(at: directory) }

    func removeState() throws {
        for suffix in ["", "-wal", "-shm"] where FileManager.default.fileExists(atPath: statePath + suffix) {
            try FileManager.default.removeItem(atPath: statePath + suffix)
        }
    }

    func wipe() async throws {
        try await source.fixture.wipe(source.side)
        try await destination.fixture.wipe(destination.side)
    }

    func seed(_ messages: [SeedMessage]) async throws {
        try await source.fixture.seed(source.side, messages)
    }

    func messageIDs(_ side: AccountFixture.Side, _ path: [String]) async throws -> [String] {
        let account = account(side)
        return try await account.fixture.messages(account.side, path).map { $0.messageID ?? "(none)" }.sorted()
    }

    func sync(_ options: SyncOptions = SyncHarness.options()) async throws -> MailboxReport {
        let sync = MailboxSync(source: source.store(readOnly: true), destination: destination.store(readOnly: false),
            state: try SQLiteStateStore(path: statePath), rules: NoRules(), events: RecordingSink(), options: options,
            sourceKey: source.key, destinationKey: destination.key, log: { print($0) })
        return await sync.run()
    }

    func verify(_ options: SyncOptions = SyncHarness.options()) async throws -> VerificationReport {
        let verifier = MailboxVerifier(source: source.store(readOnly: true),
            destination: destination.store(readOnly: false), state: try SQLiteStateStore(path: statePath),
            rules: NoRules(), options: options, sourceKey: source.key, destinationKey: destination.key)
        return try await verifier.run()
    }
}
