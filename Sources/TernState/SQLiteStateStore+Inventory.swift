import Foundation
import GRDB

/// `InventoryStore` in the `inventory_object` table (migration "v2: inventory").
extension SQLiteStateStore: InventoryStore {
    public func saveInventory(_ records: [InventoryRecord]) async throws(StateError) {
        guard !records.isEmpty else { return }
        try await write { db in
            let statement = try db.cachedStatement(sql: """
                INSERT INTO inventory_object (kind, address, targets, display_name, sources, destination, wave,
                                              status, notes, keep_copy, action, action_text, size_bytes, updated_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                ON CONFLICT(kind, address) DO UPDATE SET
                    targets = excluded.targets, display_name = excluded.display_name, sources = excluded.sources,
                    destination = excluded.destination, wave = excluded.wave, status = excluded.status,
                    notes = excluded.notes, keep_copy = excluded.keep_copy, action = excluded.action,
                    action_text = excluded.action_text, size_bytes = excluded.size_bytes,
                    updated_at = excluded.updated_at
                """)
            let now = Date().timeIntervalSince1970
            for record in records {
                try statement.execute(arguments: [
                    record.kind, record.address, Self.encodeList(record.targets), record.displayName,
                    Self.encodeList(record.sources), record.destination, record.wave, record.status,
                    Self.encodeList(record.notes), record.keepCopy, record.action, record.actionText,
                    record.sizeBytes, now,
                ])
            }
        }
    }

    public func inventory() async throws(StateError) -> [InventoryRecord] {
        try await read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM inventory_object ORDER BY address, kind").map { row in
                InventoryRecord(
                    kind: row["kind"], address: row["address"], targets: Self.decodeList(row["targets"]),
                    displayName: row["display_name"], sources: Self.decodeList(row["sources"]),
                    destination: row["destination"], wave: row["wave"], status: row["status"],
                    notes: Self.decodeList(row["notes"]), keepCopy: row["keep_copy"], action: row["action"],
                    actionText: row["action_text"], sizeBytes: row["size_bytes"])
            }
        }
    }

    @discardableResult
    public func removeInventory(_ keys: [InventoryRecord.Key]) async throws(StateError) -> Int {
        guard !keys.isEmpty else { return 0 }
        return try await write { db in
            var removed = 0
            for key in keys {
                try db.execute(sql: "DELETE FROM inventory_object WHERE kind = ? AND address = ?",
                    arguments: [key.kind, key.address])
                removed += db.changesCount
            }
            return removed
        }
    }

    /// Lists are stored as JSON arrays of strings.
    private static func encodeList(_ list: [String]) -> String {
        guard let data = try? JSONEncoder().encode(list) else { return "[]" }
        return String(decoding: data, as: UTF8.self)
    }

    private static func decodeList(_ text: String?) -> [String] {
        guard let text else { return [] }
        return (try? JSONDecoder().decode([String].self, from: Data(text.utf8))) ?? []
    }
}
