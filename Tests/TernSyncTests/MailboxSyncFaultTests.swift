import Foundation
import Testing
import TernCore
import TernState
import TernSync
import TernTestSupport

/// The engine against a destination link that breaks: a proxy in front of the destination's
/// IMAPS port cuts the connection in the middle of the pipelined APPENDs.
@Suite struct MailboxSyncFaultTests {
    // 8
    @Test func connectionCutMidAppendReconnectsAndCopiesEachMessageOnce() async throws {
        var harness = try SyncHarness(user: "u08")
        // The cut point counts bytes on the wire: plain IMAP, as the padding would deflate to
        // almost nothing (a cut on a compressed link: CompressionIntegrationTests).
        harness.fixture.compression = false
        defer { harness.cleanUp() }
        try await harness.fixture.wipe()
        let seed = numberedMessages("cut", 1...30, folder: ["Bulk"], padding: 6_000)
        try await harness.fixture.seed(.source, seed)

        let proxy = try FaultyTCPProxy(targetPort: harness.fixture.env.destination.tlsPort)
        defer { proxy.stop() }
        // ~190 KB of APPENDs in small batches; the cut lands well inside the literals of the
        // first folder's stream (login and listing take a few KB).
        proxy.cut(afterClientBytes: 90_000)
        let sink = RecordingSink()
        let report = try await harness.sync(SyncHarness.options { $0.batchMessages = 5 },
            destinationPort: proxy.port, sink: sink)

        #expect(proxy.cuts == 1, "the proxy cut the link")
        #expect(proxy.connectionCount >= 2, "the engine reconnected")
        #expect(sink.all.contains { $0.kind == .warning && ($0.message ?? "").contains("reconnecting") })
        #expect(report.error == nil)
        #expect(report.failuresByCategory.isEmpty)
        let bulk = try await harness.fixture.messages(.destination, ["Bulk"])
        #expect(bulk.count == 30)
        #expect(bulk.compactMap(\.messageID).sorted() == seed.compactMap(\.messageID).sorted())
        #expect(try await harness.essences(.destination, ["Bulk"]) == harness.essences(.source, ["Bulk"]))
        #expect(try await harness.verify().matches)
    }

    /// Issue 11 item 7: after a cut and a reconnect, each folder is one row and the totals are
    /// what reached the destination, each message once (also the batch the cut interrupted).
    @Test func cutMidFolderSummaryCountsWhatReachedTheDestinationOnce() async throws {
        var harness = try SyncHarness(user: "u47")
        harness.fixture.compression = false
        defer { harness.cleanUp() }
        try await harness.fixture.wipe()
        let bulkSeed = numberedMessages("sumcut", 1...30, folder: ["Bulk"], padding: 6_000)
        let inboxSeed = numberedMessages("suminbox", 1...4)
        try await harness.fixture.seed(.source, bulkSeed + inboxSeed)

        let proxy = try FaultyTCPProxy(targetPort: harness.fixture.env.destination.tlsPort)
        defer { proxy.stop() }
        proxy.cut(afterClientBytes: 90_000)
        let report = try await harness.sync(SyncHarness.options { $0.batchMessages = 5 }, destinationPort: proxy.port)

        #expect(proxy.cuts == 1, "the proxy cut the link")
        #expect(report.error == nil)
        #expect(report.succeeded)
        let names = report.folders.map(\.source)
        #expect(names.count == Set(names).count, "each folder once: \(names)")
        let bulk = try await harness.fixture.messages(.destination, ["Bulk"])
        let inbox = try await harness.fixture.messages(.destination, ["INBOX"])
        #expect(bulk.count == 30 && inbox.count == 4)
        let row = report.folder("Bulk")
        #expect(row?.counts.source == 30)
        #expect(row?.counts.copied == 30, "every Bulk message was copied by this run: \(String(describing: row))")
        #expect(row?.counts.alreadyPresent == 0)
        #expect(row?.counts.bytes == bulk.reduce(0) { $0 + $1.size })
        #expect(report.totals.copied == 34)
        #expect(report.totals.bytes == (bulk + inbox).reduce(0) { $0 + $1.size })
    }

    /// Issue 11 item 7: a folder that fails makes the run fail (partial), named in the report
    /// and the state; the other folders are copied.
    @Test func aFailedFolderFailsTheRunAndIsNamed() async throws {
        let harness = try SyncHarness(user: "u48")
        defer { harness.cleanUp() }
        try await harness.fixture.wipe()
        try await harness.fixture.seed(.source, numberedMessages("okfolder", 1...3, folder: ["Fine"])
            + numberedMessages("badfolder", 1...3, folder: ["Broken"]))
        let report = try await harness.sync(wrap: { store in
            FaultyMailStore(store) { answers in
                answers.failing = { call, folder in
                    guard call == .status, folder.path.last == "Broken", store.label.hasPrefix("source") else {
                        return nil
                    }
                    return StoreError(scope: .folder, retry: .never, category: .folder,
                        message: "cannot open folder Broken (injected)")
                }
            }
        })
        #expect(report.error == nil, "a folder failure does not stop the mailbox")
        #expect(!report.succeeded)
        #expect(report.failedFolders == ["Broken"])
        #expect(report.folder("Broken")?.outcome.contains("cannot open folder Broken") == true)
        #expect(report.folder("Fine")?.counts.copied == 3)
        #expect(try await harness.fixture.messages(.destination, ["Fine"]).count == 3)
        let json = String(decoding: try JSONEncoder().encode(report), as: UTF8.self)
        #expect(json.contains("\"failedFolders\":[\"Broken\"]"))
        let mailbox = try await SQLiteStateStore(path: harness.statePath).mailboxStatuses()
            .first { $0.source == "u48@source" }
        #expect(mailbox?.status == .partial)
        #expect(mailbox?.lastError?.contains("Broken") == true)
    }

    @Test func sourceLinkCutMidFetchReconnectsAndCopiesEachMessageOnce() async throws {
        let harness = try SyncHarness(user: "u16")
        defer { harness.cleanUp() }
        try await harness.fixture.wipe()
        let seed = numberedMessages("fetchcut", 1...30, folder: ["Bulk"], padding: 6_000)
        try await harness.fixture.seed(.source, seed)

        let proxy = try FaultyTCPProxy(targetPort: harness.fixture.env.source.tlsPort)
        defer { proxy.stop() }
        // The bodies come server→client; cut inside the second or third FETCH batch.
        proxy.cut(afterServerBytes: 80_000)
        let sink = RecordingSink()
        let report = try await harness.sync(SyncHarness.options { $0.batchMessages = 5 }, sourcePort: proxy.port,
            sink: sink)

        #expect(proxy.cuts == 1, "the proxy cut the link")
        #expect(proxy.connectionCount >= 2, "the engine reconnected")
        #expect(sink.all.contains { $0.kind == .warning && ($0.message ?? "").contains("reconnecting") })
        #expect(report.error == nil)
        #expect(report.failuresByCategory.isEmpty)
        let bulk = try await harness.fixture.messages(.destination, ["Bulk"])
        #expect(bulk.count == 30)
        #expect(try await harness.essences(.destination, ["Bulk"]) == harness.essences(.source, ["Bulk"]))
        #expect(try await harness.verify().matches)
    }
}
