import Testing
import TernCore
import TernState
@testable import TernSync

/// When a changed folder may be read as a delta from the state's marks, and when it must be
/// listed in full.
@Suite struct ListingPlanTests {
    static let record = FolderRecord(id: 7, mailboxID: 1, sourceName: "INBOX", destinationName: "INBOX",
        sourceUIDValidity: 100, sourceUIDNext: 41, sourceModSeq: 90, destinationUIDValidity: 200)
    static let source = FolderStatus(uidValidity: 100, uidNext: 43, messages: 42, highestModSeq: 95)
    static let destination = FolderStatus(uidValidity: 200, uidNext: 41, messages: 40, highestModSeq: 50)

    static func plan(record: FolderRecord = record, source: FolderStatus = source,
                     destination: FolderStatus = destination, retryFailed: Bool = false, settling: Bool = false,
                     condStore: Bool = true) -> MailboxSync.ListingPlan {
        MailboxSync.listingPlan(record: record, sourceStatus: source, destinationStatus: destination,
            retryFailed: retryFailed, settling: settling, sourceCondStore: condStore)
    }

    static func with(_ change: (inout FolderRecord) -> Void) -> FolderRecord {
        var copy = record
        change(&copy)
        return copy
    }

    static func status(_ base: FolderStatus, _ change: (inout FolderStatus) -> Void) -> FolderStatus {
        var copy = base
        change(&copy)
        return copy
    }

    @Test func trustedMarksGiveADelta() {
        #expect(Self.plan() == .delta(.init(uidNext: 41, modSeq: 90)))
        // Only flags changed: UIDNEXT as recorded.
        #expect(Self.plan(source: Self.status(Self.source) { $0.uidNext = 41 })
            == .delta(.init(uidNext: 41, modSeq: 90)))
    }

    static let untrusted: [(String, MailboxSync.ListingPlan, MailboxSync.ListingPlan)] = [
        ("first pass", plan(record: FolderRecord(mailboxID: 1, sourceName: "INBOX", destinationName: "INBOX")),
         MailboxSync.ListingPlan.full(nil)),
        ("saved but never finished", plan(record: with { $0.sourceUIDNext = nil }), .full(nil)),
        ("--retry-failed", plan(retryFailed: true), .full(nil)),
        ("unclean last run", plan(settling: true),
         .full("an interrupted run or a reconnect: unrecorded copies are identified by fingerprint")),
        ("source UIDVALIDITY", plan(source: status(source) { $0.uidValidity = 101 }), .full("UIDVALIDITY changed")),
        ("destination UIDVALIDITY", plan(destination: status(destination) { $0.uidValidity = 201 }),
         .full("UIDVALIDITY changed")),
        ("no CONDSTORE", plan(condStore: false), .full("the source server keeps no mod-sequences (CONDSTORE)")),
        ("NOMODSEQ folder", plan(source: status(source) { $0.highestModSeq = nil }),
         .full("the source server keeps no mod-sequences (CONDSTORE)")),
        ("no recorded modseq", plan(record: with { $0.sourceModSeq = nil }), .full("no mod-sequence recorded")),
        ("modseq went back", plan(source: status(source) { $0.highestModSeq = 80 }),
         .full("the source folder's HIGHESTMODSEQ or UIDNEXT went back")),
        ("UIDNEXT went back", plan(source: status(source) { $0.uidNext = 30 }),
         .full("the source folder's HIGHESTMODSEQ or UIDNEXT went back")),
    ]

    @Test(arguments: untrusted)
    func untrustedMarksListInFull(_ name: String, _ plan: MailboxSync.ListingPlan,
                                  _ expected: MailboxSync.ListingPlan) {
        #expect(plan == expected, "\(name)")
    }
}
