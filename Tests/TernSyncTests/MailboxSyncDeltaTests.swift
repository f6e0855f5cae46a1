import Foundation
import Synchronization
import Testing
import TernCore
import TernIMAP
import TernIMAPStore
import TernState
import TernSync
import TernTestSupport

/// The delta pass on a changed folder against the real Dovecot pair: with CONDSTORE it reads
/// only what changed since the recorded marks (new UIDs, `CHANGEDSINCE` flags, the UIDs
/// present), never the whole folder, and keeps every guarantee of the full listing; whenever
/// the marks cannot be trusted it lists the folder in full. All tests use u31, one at a time.
@Suite(.serialized) struct MailboxSyncDeltaTests {
    static let user = "u31"

    func prepare(_ count: Int, padding: Int = 0) async throws -> SyncHarness {
        let harness = try SyncHarness(user: Self.user)
        try await harness.fixture.wipe()
        try await harness.fixture.seed(.source, numberedMessages("base", 1...count, padding: padding))
        return harness
    }

    @Test func deltaReadsOnlyWhatChanged() async throws {
        let harness = try await prepare(40)
        defer { harness.cleanUp() }
        #expect(try await harness.sync().folder("INBOX")?.counts.copied == 40)

        // One new message; two flag changes; a copy an earlier run appended but never recorded
        // (its connection broke after the APPEND); the user's own mail on the new server.
        // (Dates fixed: the copy appended on each side separately must be the same message.)
        let date = SeedMessage.date(2024, 3, 1, 12, 0, 0, zoneMinutes: 60)
        let arrived = SeedMessage(messageID: "arrived@tern.test", subject: "Arrived after the first pass",
            internalDate: date)
        let unrecorded = SeedMessage(messageID: "unrecorded@tern.test", subject: "Appended, never recorded",
            internalDate: date)
        let own = SeedMessage(messageID: "own@tern.test", subject: "Written on the new server", internalDate: date)
        try await harness.fixture.append(.source, [unrecorded, arrived])
        try await harness.fixture.append(.destination, [unrecorded, own])
        try await harness.fixture.setFlags(.source, ["INBOX"], messageID: "base-3@tern.test", to: ["\\Seen"])
        try await harness.fixture.setFlags(.source, ["INBOX"], messageID: "base-17@tern.test",
            to: ["\\Flagged", "$Urgent"])

        let uidNext = try #require(try await harness.recordedUIDNext("INBOX"))
        let run = TracedSync(harness)
        let report = try await run.sync()
        let inbox = try #require(report.folder("INBOX"))
        #expect(report.error == nil)
        #expect(inbox.counts.copied == 1)
        #expect(inbox.counts.alreadyPresent == 1)
        #expect(inbox.counts.flagsUpdated == 2)
        #expect(inbox.counts.source == 42)
        #expect(run.logged.contains { $0.contains("INBOX: delta since UIDNEXT \(uidNext)") && $0.contains("2 new") })

        // The protocol: CHANGEDSINCE below the old UIDNEXT, new mail from it on, no listing of
        // every message on either side; the destination reads only the message it does not know.
        let sourceSent = run.source.sent
        #expect(sourceSent.contains { $0.contains("UID FETCH 1:\(uidNext - 1) (UID FLAGS MODSEQ) (CHANGEDSINCE ") })
        #expect(sourceSent.contains { $0.contains("UID FETCH \(uidNext):* (") })
        #expect(sourceSent.contains { $0.contains("UID SEARCH RETURN (ALL) ALL") })
        #expect(!sourceSent.contains { $0.contains("UID FETCH 1:*") }, "\(sourceSent)")
        let destinationSent = run.destination.sent
        #expect(!destinationSent.contains { $0.contains("UID FETCH 1:*") }, "\(destinationSent)")
        #expect(destinationSent.contains { $0.contains("UID SEARCH RETURN (ALL) ALL") })
        let destination = try await harness.fixture.messages(.destination, ["INBOX"])
        let strangers = UIDSet(destination.filter { ["own@tern.test", "unrecorded@tern.test"].contains($0.messageID) }
            .map(\.uid))
        #expect(strangers.count == 2)
        #expect(destinationSent.contains { $0.contains("UID FETCH \(strangers) (UID FLAGS") }, "\(destinationSent)")
        #expect(destination.filter { $0.messageID == "unrecorded@tern.test" }.count == 1)
        #expect(destination.first { $0.messageID == "base-17@tern.test" }?.flags == ["$Urgent", "\\Flagged"])
        #expect(destination.first { $0.messageID == "base-3@tern.test" }?.flags == ["\\Seen"])
        let sourceEssences = try await harness.essences(.source, ["INBOX"])
        #expect(destination.filter { $0.messageID != "own@tern.test" }.map(\.essence.description).sorted()
            == sourceEssences)

        // The marks moved: nothing changed since, so the next run only asks STATUS.
        #expect(try await harness.sync().folder("INBOX")?.outcome == "unchanged")
    }

    @Test func delete2InTheDeltaRemovesWhatVanished() async throws {
        let harness = try await prepare(12)
        defer { harness.cleanUp() }
        #expect(try await harness.sync().folder("INBOX")?.counts.copied == 12)
        try await harness.fixture.delete(.source, ["INBOX"], messageIDs: ["base-4@tern.test", "base-9@tern.test"])

        let run = TracedSync(harness)
        let report = try await run.sync(SyncHarness.options { $0.deleteVanished = true })
        #expect(report.error == nil)
        #expect(report.folder("INBOX")?.counts.deleted == 2)
        #expect(report.folder("INBOX")?.counts.copied == 0)
        #expect(report.folder("INBOX")?.counts.source == 10)
        #expect(!run.source.sent.contains { $0.contains("UID FETCH 1:*") })
        #expect(run.source.sent.contains { $0.contains("CHANGEDSINCE") })
        #expect(try await harness.messageIDs(.destination, ["INBOX"]) == harness.messageIDs(.source, ["INBOX"]))
        #expect(try await harness.verify().matches)
    }

    /// Messages the last pass filtered out sit below its UIDNEXT but are not in the map: the
    /// delta reads them again, so dropping `--max-size` copies them as a full listing would.
    @Test func deltaJudgesOlderUnrecordedMessagesAgain() async throws {
        let harness = try SyncHarness(user: Self.user)
        defer { harness.cleanUp() }
        try await harness.fixture.wipe()
        try await harness.fixture.seed(.source, numberedMessages("small", 1...5)
            + numberedMessages("large", 1...2, padding: 40_000))
        let first = try await harness.sync(SyncHarness.options { $0.maxSize = 20_000 })
        #expect(first.folder("INBOX")?.counts.copied == 5)
        #expect(first.folder("INBOX")?.counts.filtered == 2)
        try await harness.fixture.append(.source, numberedMessages("later", 1...1))

        let run = TracedSync(harness)
        let report = try await run.sync()
        #expect(report.folder("INBOX")?.counts.copied == 3)
        #expect(run.logged.contains { $0.contains("delta since") && $0.contains("2 older unrecorded") })
        #expect(!run.source.sent.contains { $0.contains("UID FETCH 1:*") })
        #expect(try await harness.messageIDs(.destination, ["INBOX"]) == harness.messageIDs(.source, ["INBOX"]))
    }

    /// Without trustworthy marks the folder is listed in full — and the result is the same.
    @Test func untrustedMarksFallBackToTheFullListing() async throws {
        let harness = try await prepare(10)
        defer { harness.cleanUp() }
        #expect(try await harness.sync().folder("INBOX")?.counts.copied == 10)
        let state = try SQLiteStateStore(path: harness.statePath)
        let mailbox = try await state.mailboxID(source: "\(Self.user)@source", destination: "\(Self.user)@destination")

        // 1. No mod-sequence recorded (e.g. written by a source without CONDSTORE).
        var record = try #require(try await state.folder(mailbox: mailbox, sourceName: "INBOX"))
        record.sourceModSeq = nil
        _ = try await state.saveFolder(record)
        try await harness.fixture.append(.source, numberedMessages("fallback", 1...1))
        try await harness.fixture.setFlags(.source, ["INBOX"], messageID: "base-2@tern.test", to: ["\\Answered"])
        var run = TracedSync(harness)
        var report = try await run.sync()
        #expect(report.folder("INBOX")?.counts.copied == 1)
        #expect(report.folder("INBOX")?.counts.flagsUpdated == 1)
        #expect(run.source.sent.contains { $0.contains("UID FETCH 1:* (UID FLAGS INTERNALDATE RFC822.SIZE") })
        #expect(!run.source.sent.contains { $0.contains("CHANGEDSINCE") })
        #expect(run.logged.contains { $0.contains("listing in full (no mod-sequence recorded)") })

        // 2. The last run did not finish (still "running" in state): full listing after settling.
        try await state.setMailboxStatus(mailbox, .running, error: nil)
        try await harness.fixture.append(.source, numberedMessages("unclean", 1...1))
        run = TracedSync(harness)
        report = try await run.sync()
        #expect(report.folder("INBOX")?.counts.copied == 1)
        #expect(run.source.sent.contains { $0.contains("UID FETCH 1:* (UID FLAGS INTERNALDATE RFC822.SIZE") })
        #expect(run.logged.contains { $0.contains("listing in full (an interrupted run or a reconnect") })

        // 3. The source folder's UIDVALIDITY no longer matches the state.
        record = try #require(try await state.folder(mailbox: mailbox, sourceName: "INBOX"))
        record.sourceUIDValidity = record.sourceUIDValidity.map { $0 &- 1 }
        _ = try await state.saveFolder(record)
        try await harness.fixture.append(.source, numberedMessages("renumbered", 1...1))
        run = TracedSync(harness)
        report = try await run.sync()
        #expect(report.folder("INBOX")?.counts.copied == 1)
        #expect(report.folder("INBOX")?.counts.alreadyPresent == 12)
        #expect(run.source.sent.contains { $0.contains("UID FETCH 1:* (UID FLAGS INTERNALDATE RFC822.SIZE") })

        // And with the marks whole again, the next change is a delta.
        try await harness.fixture.append(.source, numberedMessages("again", 1...1))
        run = TracedSync(harness)
        report = try await run.sync()
        #expect(report.folder("INBOX")?.counts.copied == 1)
        #expect(run.source.sent.contains { $0.contains("CHANGEDSINCE") })
        #expect(!run.source.sent.contains { $0.contains("UID FETCH 1:*") })
        #expect(try await harness.essences(.destination, ["INBOX"]) == harness.essences(.source, ["INBOX"]))
        #expect(try await harness.verify().matches)
    }
}

extension SyncHarness {
    /// The source UIDNEXT the state recorded for a folder (by wire name).
    func recordedUIDNext(_ sourceName: String) async throws -> UInt32? {
        let state = try SQLiteStateStore(path: statePath)
        let mailbox = try await state.mailboxID(source: "\(fixture.user)@source",
            destination: "\(fixture.user)@destination")
        return try await state.folder(mailbox: mailbox, sourceName: sourceName)?.sourceUIDNext
    }
}

/// Runs the engine as `SyncHarness.sync` does, with a protocol trace on each side and the
/// mailbox log kept.
final class TracedSync: Sendable {
    let harness: SyncHarness
    let source = CommandTrace()
    let destination = CommandTrace()
    private let lines = Mutex<[String]>([])

    init(_ harness: SyncHarness) { self.harness = harness }

    var logged: [String] { lines.withLock { $0 } }

    func sync(_ options: SyncOptions = SyncHarness.options()) async throws -> MailboxReport {
        let fixture = harness.fixture
        func store(_ side: AccountFixture.Side, _ trace: CommandTrace) -> IMAPMailStore {
            var configuration = fixture.configuration(side)
            configuration.trace = trace
            return IMAPMailStore(configuration: configuration, credentials: fixture.credentials(),
                label: "\(side.rawValue) \(fixture.user)", readOnly: side == .source)
        }
        let sync = MailboxSync(
            source: store(.source, source), destination: store(.destination, destination),
            state: try SQLiteStateStore(path: harness.statePath), rules: NoRules(), events: RecordingSink(),
            options: options, sourceKey: "\(fixture.user)@source", destinationKey: "\(fixture.user)@destination",
            log: { [self] line in lines.withLock { $0.append(line) } })
        return await sync.run()
    }
}

/// The commands a connection sent (as the trace has them: tag, command, no secrets).
final class CommandTrace: ProtocolTrace {
    private let lines = Mutex<[String]>([])

    func record(_ direction: TraceDirection, _ text: String, connection: String) {
        guard direction == .sent else { return }
        lines.withLock { $0.append(text) }
    }

    var sent: [String] { lines.withLock { $0 } }
}
