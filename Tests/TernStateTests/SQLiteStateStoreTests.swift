import Foundation
import Testing
@testable import TernState

@Suite struct SQLiteStateStoreTests {
    func temporaryPath() -> String {
        FileManager.default.temporaryDirectory.appendingPathComponent("tern-state-\(UUID().uuidString).sqlite").path
    }

    @Test func createsThePrivateFileAndKeepsItsContentAcrossReopens() async throws {
        let path = temporaryPath()
        defer { for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) } }
        do {
            let store = try SQLiteStateStore(path: path)
            let mailbox = try await store.mailboxID(source: "a@src:993", destination: "a@dst:993")
            let folder = try await store.saveFolder(FolderRecord(mailboxID: mailbox, sourceName: "INBOX.Sent",
                destinationName: "Sent", sourceUIDValidity: 7, sourceUIDNext: 10, sourceModSeq: 1 << 40))
            try await store.recordCopies([MessageRecord(folderID: folder.id!, sourceUID: 3, destinationUID: 1,
                fingerprint: "f", flags: "\\Seen", size: 100)])
        }
        let mode = try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int
        #expect(mode == 0o600)
        let reopened = try SQLiteStateStore(path: path)
        let mailbox = try await reopened.mailboxID(source: "a@src:993", destination: "a@dst:993")
        let folder = try #require(try await reopened.folder(mailbox: mailbox, sourceName: "INBOX.Sent"))
        #expect(folder.sourceUIDValidity == 7)
        #expect(folder.sourceModSeq == 1 << 40)
        let messages = try await reopened.messages(folder: folder.id!)
        #expect(messages[3]?.destinationUID == 1)
    }

    @Test func mapLedgerAndResets() async throws {
        let store = try SQLiteStateStore(inMemory: ())
        let mailbox = try await store.mailboxID(source: "s", destination: "d")
        #expect(try await store.mailboxID(source: "s", destination: "d") == mailbox)
        let folder = try await store.saveFolder(FolderRecord(mailboxID: mailbox, sourceName: "INBOX", destinationName: "INBOX"))
        let id = try #require(folder.id)
        try await store.recordFailure(FailureRecord(folderID: id, sourceUID: 5, category: .tooBig, message: "m",
            serverText: nil, suggestion: nil))
        try await store.recordFailure(FailureRecord(folderID: id, sourceUID: 5, category: .tooBig, message: "m",
            serverText: nil, suggestion: nil))
        var ledger = try await store.failures(mailbox: mailbox)
        #expect(ledger.count == 1)
        #expect(ledger[0].attempts == 2)
        #expect(ledger[0].folderName == "INBOX")
        // Recording a copy clears its failure.
        try await store.recordCopies([MessageRecord(folderID: id, sourceUID: 5, destinationUID: 9, fingerprint: "x",
            flags: "", size: 1)])
        ledger = try await store.failures(mailbox: mailbox)
        #expect(ledger.isEmpty)
        try await store.updateFlags(folder: id, [5: "\\Flagged"])
        #expect(try await store.messages(folder: id)[5]?.flags == "\\Flagged")
        try await store.clearMessages(folder: id)
        #expect(try await store.messages(folder: id).isEmpty)
    }

    /// Migration "v6": the planned path that led to a folder's destination name, levels kept
    /// whole ("/" inside one included); records without it read back as nil.
    @Test func keepsTheDestinationPathOfAFolder() async throws {
        let store = try SQLiteStateStore(inMemory: ())
        let mailbox = try await store.mailboxID(source: "s", destination: "d")
        _ = try await store.saveFolder(FolderRecord(mailboxID: mailbox, sourceName: "Dots v1.2",
            destinationName: "INBOX.Dots v1_2", destinationPath: ["Old", "Dots v1.2", "a/b"]))
        _ = try await store.saveFolder(FolderRecord(mailboxID: mailbox, sourceName: "INBOX", destinationName: "INBOX"))
        #expect(try await store.folder(mailbox: mailbox, sourceName: "Dots v1.2")?.destinationPath
            == ["Old", "Dots v1.2", "a/b"])
        #expect(try await store.folder(mailbox: mailbox, sourceName: "INBOX")?.destinationPath == nil)
    }

    @Test func refusesAPathInAMissingFolder() {
        #expect(throws: StateError.self) { _ = try SQLiteStateStore(path: "/nonexistent-folder/state.sqlite") }
    }
}
