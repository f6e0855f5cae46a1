import Foundation
import Testing
import TernCore
import TernState
@testable import TernSync
import TernTestSupport

/// Issue 11 item 6: a server that names one UID for two messages must not crash Tern, and
/// neither message may be dropped silently or copied twice.
@Suite struct DuplicateUIDTests {
    func meta(_ uid: UInt32, size: Int64 = 10) -> MessageMeta {
        MessageMeta(uid: uid, flags: [], internalDate: nil, size: size, modSeq: nil)
    }

    @Test func splitsOffEveryUIDListedMoreThanOnce() {
        let listed = DuplicateUIDs([meta(1), meta(2), meta(2, size: 99), meta(3), meta(5), meta(5), meta(5)])
        #expect(listed.unique.map(\.uid) == [1, 3])
        #expect(listed.duplicated == [2: 2, 5: 3])
        #expect(listed.uids == [2, 5])
        #expect(DuplicateUIDs([meta(1), meta(2)]).duplicated.isEmpty)
        #expect(DuplicateUIDs([]).unique.isEmpty)
    }

    /// The source lists its second message under the first one's UID (two different messages,
    /// one UID): the folder goes on, both are left out and the UID is in the ledger.
    @Test func aSourceUIDListedForTwoMessagesIsALedgerEntryNotACrash() async throws {
        let harness = try SyncHarness(user: "u46")
        defer { harness.cleanUp() }
        try await harness.fixture.wipe()
        try await harness.fixture.seed(.source, numberedMessages("dupuid", 1...5, folder: ["Twice"]))
        let relabel: @Sendable (StoreFolder, [MessageMeta]) -> [MessageMeta] = { folder, messages in
            guard folder.path.last == "Twice", messages.count >= 2 else { return messages }
            var bent = messages
            bent[1].uid = bent[0].uid
            return bent
        }
        let report = try await harness.sync(wrap: { store in
            guard store.label.hasPrefix("source") else { return store }
            return FaultyMailStore(store) { answers in
                answers.listing = { folder, listing in
                    var bent = listing
                    bent.messages = relabel(folder, listing.messages)
                    return bent
                }
                answers.metadata = relabel
            }
        })
        #expect(report.error == nil, "the mailbox goes on")
        #expect(report.failuresByCategory["duplicate-uid"] == 1)
        #expect(!report.succeeded)
        #expect(report.folder("Twice")?.counts.failed == 1)
        #expect(report.folder("Twice")?.counts.copied == 3)
        let copied = try await harness.messageIDs(.destination, ["Twice"])
        #expect(copied == ["dupuid-3@tern.test", "dupuid-4@tern.test", "dupuid-5@tern.test"])
        let state = try SQLiteStateStore(path: harness.statePath)
        let mailbox = try await state.mailboxID(source: "u46@source", destination: "u46@destination")
        let ledger = try await state.failures(mailbox: mailbox)
        #expect(ledger.map(\.category) == [.duplicateUID])
        #expect(ledger.first?.message.contains("listed UID") == true)
    }
}
