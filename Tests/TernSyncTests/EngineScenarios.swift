import Foundation
import TernCore
import TernState
import TernSync
import TernTestSupport

/// One row of the engine's scenario table: the source, the prior Tern state and the
/// destination before the run under test (`prepare`), the options and rules of that run, and
/// what its summary must say. What the destination must hold afterwards is derived from the
/// source (`EngineWorld.expectedDestination`): each source message the filter admits exactly
/// once, in its mapped folder, with its flags (plus the filter's) and arrival date.
struct EngineScenario: Sendable, CustomStringConvertible {
    var name: String
    var source = InMemoryMailStore.Configuration(separator: ".", personalPrefix: "INBOX.", readOnly: true)
    var destination = InMemoryMailStore.Configuration()
    var rules: any Rules = NoRules()
    var deleteVanished = false
    /// Builds both accounts and runs (or removes) any earlier Tern pass.
    var prepare: @Sendable (EngineWorld) async throws -> Void
    var expected: MigrationEvent.Counts
    /// A line the uninterrupted run's log must hold (the path the scenario is about).
    var expectLog: String?

    var description: String { name }

    /// Source folders whose destination is not the same path (special-use mapping).
    static let mapping: [[String]: [String]] = [["Sent Items"]: ["Sent"]]

    static func counts(copied: Int = 0, alreadyPresent: Int = 0, filtered: Int = 0, flagsUpdated: Int = 0,
                       deleted: Int = 0) -> MigrationEvent.Counts {
        var counts = MigrationEvent.Counts()
        counts.copied = copied
        counts.alreadyPresent = alreadyPresent
        counts.filtered = filtered
        counts.flagsUpdated = flagsUpdated
        counts.deleted = deleted
        return counts
    }
}

/// Skips messages whose subject says "[skip]" and marks the boss's mail `$Migrated`.
struct SkipAndMarkRules: Rules {
    var mapsFolders: Bool { false }
    var filtersMessages: Bool { true }
    func mapFolder(_ folder: FolderInfo) async throws(ScriptError) -> FolderDecision { .keep }
    func filterMessage(_ message: MessageSummary) async throws(ScriptError) -> FilterDecision {
        if message.headers.subject?.contains("[skip]") == true { return .skip }
        if message.headers.from?.contains("boss@example.com") == true {
            return .copyAdjustingFlags(add: ["$Migrated"], remove: [])
        }
        return .copy
    }
}

/// The mailbox every scenario starts from: 11 messages in four folders (one nested, one
/// special-use under another name), with system flags, keywords and arrival dates in five zones.
enum EngineCorpus {
    static func message(_ id: String?, _ subject: String, in folder: [String] = ["INBOX"],
                        flags: [String] = [], zone: Int = 0, day: Int = 1, from: String? = nil,
                        body: String? = nil) -> SeedMessage {
        SeedMessage(folder: folder, messageID: id.map { "\($0)@corpus.example" }, subject: subject,
            from: from ?? "Sender <sender@example.com>",
            dateHeader: "Mon, \(day) Jan 2024 10:00:00 +0000", flags: flags,
            internalDate: SeedMessage.date(2024, 1, day, 10, 0, 0, zoneMinutes: zone), bodyText: body)
    }

    static let inbox = [
        message("m1", "Welcome", flags: ["\\Seen"], zone: 60, day: 1),
        message("m2", "Invoice 42", flags: ["\\Seen", "\\Flagged", "$Label1"], zone: -300, day: 2,
            from: "Boss <boss@example.com>"),
        message("m3", "Re: lunch", flags: ["\\Answered", "\\Seen"], zone: 330, day: 3),
        message("m4", "Unread news", zone: 0, day: 4),
        message("m5", "[skip] weekly newsletter", flags: ["\\Seen"], zone: 120, day: 5),
    ]
    static let projects = [message("p1", "Project kickoff", in: ["Projects"], flags: ["\\Seen"], day: 6)]
    static let projects2024 = [
        message("q1", "Q1 plan", in: ["Projects", "2024"], flags: ["Work"], zone: 60, day: 7,
            from: "Boss <boss@example.com>"),
        message("q2", "Q2 plan", in: ["Projects", "2024"], flags: ["\\Seen", "Work"], zone: 60, day: 8),
        message("q3", "[skip] Q3 draft", in: ["Projects", "2024"], flags: ["\\Draft"], zone: -480, day: 9),
    ]
    static let sent = [
        message("s1", "Sent one", in: ["Sent Items"], flags: ["\\Seen"], zone: 60, day: 10),
        message("s2", "Sent two", in: ["Sent Items"], flags: ["\\Seen", "\\Answered"], zone: 60, day: 11),
    ]
    static let all = inbox + projects + projects2024 + sent
    static let total = all.count

    /// Fills a source as the scenarios expect it, and gives the destination its own Sent folder.
    static func fill(_ world: EngineWorld, extraInbox: [SeedMessage] = []) async {
        await world.source.seed(inbox + extraInbox + projects + projects2024)
        await world.source.seed(sent, specialUse: ["Sent Items": "\\Sent"])
        await world.destination.makeFolder(["Sent"], specialUse: "\\Sent")
    }

    /// A message placed in the destination as an earlier tool (or a restore) left it.
    static func prefill(_ world: EngineWorld, _ message: SeedMessage, at path: [String], flags: [String]? = nil) async {
        var copy = message
        copy.folder = path
        if let flags { copy.flags = flags }
        await world.destination.seed([copy])
    }
}

extension EngineScenario {
    static let all: [EngineScenario] = [
        EngineScenario(name: "first copy", prepare: { await EngineCorpus.fill($0) },
            expected: counts(copied: EngineCorpus.total)),

        EngineScenario(name: "re-run copies nothing", prepare: { world in
            await EngineCorpus.fill(world)
            try await world.priorRun()
        }, expected: counts()),

        EngineScenario(name: "delta: new mail and flag changes", prepare: { world in
            await EngineCorpus.fill(world)
            try await world.priorRun()
            await world.source.seed([
                EngineCorpus.message("m6", "New today", flags: ["\\Seen"], zone: 60, day: 20),
                EngineCorpus.message("m7", "New tonight", zone: 600, day: 21),
                EngineCorpus.message("q4", "Q4 plan", in: ["Projects", "2024"], flags: ["Work"], day: 22),
            ])
            await world.source.setFlags(path: ["INBOX"], uid: 1, ["\\Seen", "\\Flagged"])
            await world.source.setFlags(path: ["INBOX"], uid: 4, ["\\Seen", "$Later"])
        }, expected: counts(copied: 3, flagsUpdated: 2), expectLog: "delta since UIDNEXT"),

        EngineScenario(name: "lost state", prepare: { world in
            await EngineCorpus.fill(world)
            try await world.priorRun()
            try world.removeState()
        }, expected: counts(alreadyPresent: EngineCorpus.total)),

        EngineScenario(name: "source UIDVALIDITY changed", prepare: { world in
            await EngineCorpus.fill(world)
            try await world.priorRun()
            await world.source.renumber(["INBOX"])
            await world.source.seed([EngineCorpus.message("m6", "After the rebuild", zone: 60, day: 20)])
        }, expected: counts(copied: 1, alreadyPresent: EngineCorpus.inbox.count),
            expectLog: "source UIDVALIDITY changed"),

        EngineScenario(name: "destination folder re-created", prepare: { world in
            await EngineCorpus.fill(world)
            try await world.priorRun()
            // Re-created with three of its five copies restored from a backup.
            await world.destination.recreate(["INBOX"]) { $0.uid <= 3 }
        }, expected: counts(copied: 2, alreadyPresent: 3), expectLog: "destination UIDVALIDITY changed"),

        EngineScenario(name: "pre-filled destination, no state", prepare: { world in
            await EngineCorpus.fill(world)
            await EngineCorpus.prefill(world, EngineCorpus.inbox[0], at: ["INBOX"])
            // An earlier copy whose flags lag behind: the source's win.
            await EngineCorpus.prefill(world, EngineCorpus.inbox[1], at: ["INBOX"], flags: ["\\Seen"])
            for message in EngineCorpus.sent { await EngineCorpus.prefill(world, message, at: ["Sent"]) }
        }, expected: counts(copied: EngineCorpus.total - 4, alreadyPresent: 4, flagsUpdated: 1)),

        EngineScenario(name: "duplicates and mail without Message-ID", prepare: { world in
            let twin = EngineCorpus.message("twin", "Sent twice", flags: ["\\Seen"], day: 12)
            let anonymous = [
                EngineCorpus.message(nil, "No id one", day: 13),
                EngineCorpus.message(nil, "No id two", flags: ["\\Flagged"], day: 14),
            ]
            let anonymousTwin = EngineCorpus.message(nil, "No id, twice", day: 15, body: "same")
            await EngineCorpus.fill(world, extraInbox: [twin, twin] + anonymous + [anonymousTwin, anonymousTwin])
            // One of each identical pair is there already: the other must still be copied.
            await EngineCorpus.prefill(world, twin, at: ["INBOX"])
            await EngineCorpus.prefill(world, anonymousTwin, at: ["INBOX"])
        }, expected: counts(copied: EngineCorpus.total + 4, alreadyPresent: 2)),

        EngineScenario(name: "--delete2", deleteVanished: true, prepare: { world in
            await EngineCorpus.fill(world)
            try await world.priorRun()
            await world.source.expunge(path: ["INBOX"], uids: [2, 4])
            await world.source.expunge(path: ["Projects", "2024"], uids: [1])
        }, expected: counts(deleted: 3)),

        EngineScenario(name: "message filter", rules: SkipAndMarkRules(), prepare: { await EngineCorpus.fill($0) },
            expected: counts(copied: EngineCorpus.total - 2, filtered: 2)),

        EngineScenario(name: "message filter, then the source's flags change", rules: SkipAndMarkRules(),
            prepare: { world in
                await EngineCorpus.fill(world)
                try await world.priorRun()
                // The boss's invoice (copied with $Migrated) is read; the filter's flag must stay.
                await world.source.setFlags(path: ["INBOX"], uid: 2, ["\\Seen"])
                await world.source.setFlags(path: ["INBOX"], uid: 1, ["\\Seen", "\\Flagged"])
            }, expected: counts(filtered: 1, flagsUpdated: 2), expectLog: "delta since UIDNEXT"),

        EngineScenario(name: "plain servers (no CONDSTORE source, no UIDPLUS or SPECIAL-USE destination)",
            source: {
                var source = InMemoryMailStore.Configuration(separator: ".", personalPrefix: "INBOX.", readOnly: true)
                source.supportsCondStore = false
                return source
            }(),
            destination: {
                var destination = InMemoryMailStore.Configuration()
                destination.supportsUIDPlus = false
                destination.supportsSpecialUse = false
                return destination
            }(),
            prepare: { await EngineCorpus.fill($0) }, expected: counts(copied: EngineCorpus.total)),
    ]
}
