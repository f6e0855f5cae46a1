import Foundation
import Testing
import TernCore
@testable import TernSync
import TernTestSupport

/// Issue 11 item 6: listings a server gets wrong. Accounts u70, u71, u72.
@Suite struct ListingFaultTests {
    /// Wraps the source so its listing of `folder` is bent by `change`.
    static func bending(_ folder: String, _ change: @escaping @Sendable ([MessageMeta]) -> [MessageMeta])
        -> (any MailStore) -> any MailStore
    {
        { store in
            guard store.label.hasPrefix("source") else { return store }
            return FaultyMailStore(store) { answers in
                answers.listing = { listed, listing in
                    guard listed.path.last == folder else { return listing }
                    var bent = listing
                    bent.messages = change(listing.messages)
                    return bent
                }
            }
        }
    }

    /// A listing in reverse UID order: copies still go out oldest first, so the destination's
    /// UID order is the source's arrival order.
    @Test func uidsListedOutOfOrderAreCopiedInUIDOrder() async throws {
        let harness = try SyncHarness(user: "u70")
        defer { harness.cleanUp() }
        try await harness.fixture.wipe()
        try await harness.fixture.seed(.source, numberedMessages("order", 1...6, folder: ["Reversed"]))
        let report = try await harness.sync(SyncHarness.options { $0.batchMessages = 2 },
            wrap: Self.bending("Reversed") { $0.reversed() })
        #expect(report.succeeded, "\(report.error ?? "") \(report.failedFolders)")
        #expect(report.folder("Reversed")?.counts.copied == 6)
        let copies = try await harness.fixture.messages(.destination, ["Reversed"]).sorted { $0.uid < $1.uid }
        #expect(copies.compactMap(\.messageID) == (1...6).map { "order-\($0)@tern.test" })
        let again = try await harness.sync(wrap: Self.bending("Reversed") { $0.reversed() })
        #expect(again.totals.copied == 0)
    }

    /// A source that leaves two of five messages out of its listing (as a FETCH answer cut
    /// short would): the folder fails, named, with what was listed copied — and its marks are
    /// not saved, so the next run (listing everything) copies the other two, each once.
    @Test func aListingShorterThanTheFolderFailsItAndTheNextRunCopiesTheRest() async throws {
        let harness = try SyncHarness(user: "u71")
        defer { harness.cleanUp() }
        try await harness.fixture.wipe()
        try await harness.fixture.seed(.source, numberedMessages("short", 1...5, folder: ["Short"]))
        let first = try await harness.sync(wrap: Self.bending("Short") { Array($0.prefix(3)) })
        #expect(!first.succeeded)
        #expect(first.error == nil, "the mailbox goes on")
        #expect(first.failedFolders == ["Short"])
        #expect(first.folder("Short")?.outcome.contains("listed 3 of the 5 messages") == true,
            "\(first.folder("Short")?.outcome ?? "")")
        #expect(first.folder("Short")?.counts.copied == 3)

        let second = try await harness.sync()
        #expect(second.succeeded, "\(second.failedFolders)")
        #expect(second.folder("Short")?.counts.copied == 2)
        #expect(try await harness.messageIDs(.destination, ["Short"]) == (1...5).map { "short-\($0)@tern.test" })
    }

    /// Between the listing and the body FETCH one message grew and another was not delivered:
    /// the grown one is copied as it arrived, the other is left for the next run, both named in
    /// a warning for the folder; the next run copies the missing one, each message once.
    @Test func aMessageThatChangesBetweenFetchesIsCopiedAsItArrivedAndNamed() async throws {
        let harness = try SyncHarness(user: "u72")
        defer { harness.cleanUp() }
        try await harness.fixture.wipe()
        try await harness.fixture.seed(.source, numberedMessages("changing", 1...5, folder: ["Changing"]))
        let sink = RecordingSink()
        let first = try await harness.sync(sink: sink, wrap: { store in
            guard store.label.hasPrefix("source") else { return store }
            return FaultyMailStore(store) { answers in
                answers.contents = { folder, contents in
                    guard folder.path.last == "Changing", contents.count == 5 else { return contents }
                    var bent = Array(contents.dropLast())  // the fifth is not delivered
                    bent[1].bytes = (Array("X-Added-Late: yes\r\n".utf8) + bent[1].bytes)[...]
                    return bent
                }
            }
        })
        #expect(first.error == nil)
        #expect(first.folder("Changing")?.counts.copied == 4)
        let warnings = sink.all.filter { $0.kind == .warning && $0.folder == "Changing" }.compactMap(\.message)
        #expect(warnings.contains { $0.contains("did not deliver UID") }, "\(warnings)")
        #expect(warnings.contains { $0.contains("1 message arrived with another size") }, "\(warnings)")

        let second = try await harness.sync()
        #expect(second.succeeded)
        #expect(second.folder("Changing")?.counts.copied == 1)
        #expect(try await harness.messageIDs(.destination, ["Changing"]) == (1...5).map { "changing-\($0)@tern.test" })
    }
}
