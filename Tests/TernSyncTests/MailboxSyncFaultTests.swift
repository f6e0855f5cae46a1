import Foundation
import Testing
import TernCore
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
