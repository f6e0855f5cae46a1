import Foundation
import GRDB

extension SQLiteStateStore {
    /// Replaces the stored folders of these addresses (each list in LIST order). Called inside
    /// `saveScans`' transaction for successful scans only, so a failed re-scan keeps the folders
    /// an earlier scan found.
    static func replaceScanFolders(_ folders: [String: [ScannedFolder]], in db: Database) throws {
        let delete = try db.cachedStatement(sql: "DELETE FROM mailbox_scan_folder WHERE address = ?")
        let insert = try db.cachedStatement(sql: """
            INSERT INTO mailbox_scan_folder (address, position, wire_name, name, path, separator, special_use,
                                             attributes, selectable, subscribed, messages, size_bytes)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """)
        for (address, list) in folders.sorted(by: { $0.key < $1.key }) {
            try delete.execute(arguments: [address])
            for (position, folder) in list.enumerated() {
                try insert.execute(arguments: [
                    address, position, folder.wireName, folder.name, folder.path.map(encodeLevels),
                    folder.separator, folder.specialUse, encodeLevels(folder.attributes), folder.selectable,
                    folder.subscribed, folder.messages, folder.sizeBytes,
                ])
            }
        }
    }

    /// The folders of the latest successful scan of every address that has some, in LIST order.
    public func scanFolders() async throws(StateError) -> [String: [ScannedFolder]] {
        try await read { db in
            var result: [String: [ScannedFolder]] = [:]
            for row in try Row.fetchAll(db, sql: "SELECT * FROM mailbox_scan_folder ORDER BY address, position") {
                result[row["address"], default: []].append(Self.scannedFolder(row))
            }
            return result
        }
    }

    /// One address's folders (empty when it was never scanned successfully).
    public func scanFolders(address: String) async throws(StateError) -> [ScannedFolder] {
        try await read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM mailbox_scan_folder WHERE address = ? ORDER BY position",
                             arguments: [address]).map(Self.scannedFolder)
        }
    }

    private static func scannedFolder(_ row: Row) -> ScannedFolder {
        ScannedFolder(wireName: row["wire_name"], name: row["name"],
            path: (row["path"] as String?).map(decodeLevels), separator: row["separator"],
            specialUse: row["special_use"], attributes: decodeLevels(row["attributes"]),
            selectable: row["selectable"], subscribed: row["subscribed"], messages: row["messages"],
            sizeBytes: row["size_bytes"])
    }

    /// Levels and attributes are stored as JSON arrays of strings (names may hold any character).
    private static func encodeLevels(_ list: [String]) -> String {
        guard let data = try? JSONEncoder().encode(list) else { return "[]" }
        return String(decoding: data, as: UTF8.self)
    }

    private static func decodeLevels(_ text: String) -> [String] {
        (try? JSONDecoder().decode([String].self, from: Data(text.utf8))) ?? []
    }
}
