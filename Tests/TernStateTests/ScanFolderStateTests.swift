import Foundation
import Testing
import TernState

/// The `mailbox_scan_folder` table (migration "v4: scan folders"): saved with a successful
/// scan, replaced by the next successful one, kept through a failed one.
@Suite struct ScanFolderStateTests {
    static func folder(_ wire: String, _ path: [String]?, messages: Int = 1, use: String? = nil) -> ScannedFolder {
        ScannedFolder(wireName: wire, name: path?.joined(separator: "/") ?? wire, path: path, separator: ".",
            specialUse: use, attributes: ["\\HasNoChildren"], selectable: true, subscribed: true,
            messages: messages, sizeBytes: Int64(messages) * 100)
    }

    static func ok(_ address: String) -> ScanRecord {
        ScanRecord(address: address, login: address, status: "ok", folders: 2, messages: 3, sizeBytes: 300,
            largestMessage: 250)
    }

    @Test func savedInOrderReplacedByARescanKeptThroughAFailedOne() async throws {
        let store = try SQLiteStateStore(inMemory: ())
        let first = [
            Self.folder("INBOX", ["INBOX"], messages: 2),
            Self.folder("INBOX.Sent", ["Sent"], use: "\\Sent"),
            Self.folder("INBOX.Entw&APw-rfe", ["Entwürfe"]),
            Self.folder("Shared.team", nil, messages: 0),
        ]
        try await store.saveScans([Self.ok("a@acme.example"), Self.ok("b@acme.example")],
            folders: ["a@acme.example": first, "b@acme.example": [Self.folder("INBOX", ["INBOX"])]])
        #expect(try await store.scanFolders(address: "a@acme.example") == first)
        #expect(try await store.scanFolders().keys.sorted() == ["a@acme.example", "b@acme.example"])
        #expect(try await store.scans().first?.largestMessage == 250)

        // A successful re-scan replaces the list: a folder that is gone is gone.
        let second = [Self.folder("INBOX", ["INBOX"], messages: 5), Self.folder("INBOX.Projects", ["Projects"])]
        try await store.saveScans([Self.ok("a@acme.example")], folders: ["a@acme.example": second])
        #expect(try await store.scanFolders(address: "a@acme.example") == second)

        // A failed re-scan keeps the folders the last good one found (its row says failed).
        let failed = ScanRecord(address: "a@acme.example", login: "a", status: "failed", error: "refused",
            errorCategory: "auth")
        try await store.saveScans([failed], folders: ["a@acme.example": []])
        #expect(try await store.scanFolders(address: "a@acme.example") == second)
        #expect(try await store.scans().first { $0.address == "a@acme.example" }?.status == "failed")

        // A successful scan without a folder list (the old call) leaves the stored one alone;
        // an address never scanned has none.
        try await store.saveScans([Self.ok("b@acme.example")])
        #expect(try await store.scanFolders(address: "b@acme.example").count == 1)
        #expect(try await store.scanFolders(address: "c@acme.example").isEmpty)
    }

    @Test func namesWithAnyCharacterSurviveAReopen() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("tern-scanfolders-\(UUID())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("state.sqlite").path
        let odd = ScannedFolder(wireName: "INBOX.a\"b", name: "a\"b/c,d", path: ["a\"b", "c,d", "[x]"],
            separator: nil, specialUse: nil, attributes: [], selectable: false, subscribed: false, messages: nil,
            sizeBytes: nil)
        do {
            let store = try SQLiteStateStore(path: path)
            try await store.saveScans([Self.ok("a@acme.example")], folders: ["a@acme.example": [odd]])
        }
        #expect(try await SQLiteStateStore(path: path).scanFolders(address: "a@acme.example") == [odd])
    }
}
