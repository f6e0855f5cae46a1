import Foundation
import GRDB
import TernCore

/// `StateStore` in one SQLite file (WAL mode), through GRDB. The file is created 0600: it
/// names every mailbox and folder of a client. Schema changes are named, forward-only
/// migrations in `StateSchema`.
public final class SQLiteStateStore: StateStore {
    public let path: String
    private let database: any DatabaseWriter

    /// Opens (creating if needed) the state database at `path`.
    public init(path: String) throws(StateError) {
        self.path = path
        let directory = (path as NSString).deletingLastPathComponent
        if !directory.isEmpty, !FileManager.default.fileExists(atPath: directory) {
            throw StateError("the folder of the state database \(path) does not exist")
        }
        if !FileManager.default.fileExists(atPath: path) {
            // Created before SQLite opens it; SQLite gives -wal and -shm the same mode.
            let fd = open(path, O_CREAT | O_WRONLY | O_EXCL, 0o600)
            if fd < 0 { throw StateError("cannot create the state database \(path): \(String(cString: strerror(errno)))") }
            close(fd)
        }
        do {
            var configuration = Configuration()
            configuration.busyMode = .timeout(10)
            let pool = try DatabasePool(path: path, configuration: configuration)
            try StateSchema.migrator.migrate(pool)
            database = pool
        } catch {
            throw StateError("cannot open the state database \(path): \(error)")
        }
    }

    /// An in-memory store, for tests of pure logic.
    public init(inMemory: Void = ()) throws(StateError) {
        path = ":memory:"
        do {
            let queue = try DatabaseQueue()
            try StateSchema.migrator.migrate(queue)
            database = queue
        } catch {
            throw StateError("cannot create an in-memory state database: \(error)")
        }
    }

    /// Internal (not private) so the store's extensions in other files (`+Inventory`) use it.
    func write<T: Sendable>(_ body: @escaping @Sendable (Database) throws -> T) async throws(StateError) -> T {
        do {
            return try await database.write(body)
        } catch {
            throw StateError("state database \(path): \(error)")
        }
    }

    func read<T: Sendable>(_ body: @escaping @Sendable (Database) throws -> T) async throws(StateError) -> T {
        do {
            return try await database.read(body)
        } catch {
            throw StateError("state database \(path): \(error)")
        }
    }

    // MARK: - Mailboxes

    public func mailboxID(source: String, destination: String) async throws(StateError) -> Int64 {
        try await write { db in
            try db.execute(sql: """
                INSERT INTO mailbox (source, destination, status, updated_at) VALUES (?, ?, 'pending', ?)
                ON CONFLICT(source, destination) DO NOTHING
                """, arguments: [source, destination, Date().timeIntervalSince1970])
            return try Int64.fetchOne(db, sql: "SELECT id FROM mailbox WHERE source = ? AND destination = ?",
                arguments: [source, destination])!
        }
    }

    public func setMailboxStatus(_ id: Int64, _ status: MailboxStatus, error: String?) async throws(StateError) {
        try await write { db in
            try db.execute(sql: "UPDATE mailbox SET status = ?, last_error = ?, updated_at = ? WHERE id = ?",
                arguments: [status.rawValue, error, Date().timeIntervalSince1970, id])
        }
    }

    public func mailboxStatuses() async throws(StateError) -> [MailboxRecord] {
        try await read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM mailbox ORDER BY id").map { row in
                MailboxRecord(id: row["id"], source: row["source"], destination: row["destination"],
                    status: MailboxStatus(rawValue: row["status"]) ?? .pending, lastError: row["last_error"],
                    updatedAt: (row["updated_at"] as Double?).map(Date.init(timeIntervalSince1970:)))
            }
        }
    }

    // MARK: - Folders

    public func folder(mailbox: Int64, sourceName: String) async throws(StateError) -> FolderRecord? {
        try await read { db in
            try Row.fetchOne(db, sql: "SELECT * FROM folder WHERE mailbox_id = ? AND source_name = ?",
                arguments: [mailbox, sourceName]).map(Self.folderRecord)
        }
    }

    public func folders(mailbox: Int64) async throws(StateError) -> [FolderRecord] {
        try await read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM folder WHERE mailbox_id = ? ORDER BY id", arguments: [mailbox])
                .map(Self.folderRecord)
        }
    }

    public func saveFolder(_ record: FolderRecord) async throws(StateError) -> FolderRecord {
        try await write { db in
            try db.execute(sql: """
                INSERT INTO folder (mailbox_id, source_name, destination_name, source_uidvalidity, source_uidnext,
                                    source_modseq, destination_uidvalidity, updated_at, destination_path)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                ON CONFLICT(mailbox_id, source_name) DO UPDATE SET
                    destination_name = excluded.destination_name,
                    destination_path = excluded.destination_path,
                    source_uidvalidity = excluded.source_uidvalidity,
                    source_uidnext = excluded.source_uidnext,
                    source_modseq = excluded.source_modseq,
                    destination_uidvalidity = excluded.destination_uidvalidity,
                    updated_at = excluded.updated_at
                """, arguments: [
                    record.mailboxID, record.sourceName, record.destinationName,
                    record.sourceUIDValidity.map { Int64($0) }, record.sourceUIDNext.map { Int64($0) },
                    record.sourceModSeq.map { Int64(bitPattern: $0) }, record.destinationUIDValidity.map { Int64($0) },
                    Date().timeIntervalSince1970, record.destinationPath.map(Self.encodePath),
                ])
            return try Row.fetchOne(db, sql: "SELECT * FROM folder WHERE mailbox_id = ? AND source_name = ?",
                arguments: [record.mailboxID, record.sourceName]).map(Self.folderRecord)!
        }
    }

    private static func folderRecord(_ row: Row) -> FolderRecord {
        FolderRecord(
            id: row["id"], mailboxID: row["mailbox_id"], sourceName: row["source_name"],
            destinationName: row["destination_name"],
            sourceUIDValidity: (row["source_uidvalidity"] as Int64?).map { UInt32(truncatingIfNeeded: $0) },
            sourceUIDNext: (row["source_uidnext"] as Int64?).map { UInt32(truncatingIfNeeded: $0) },
            sourceModSeq: (row["source_modseq"] as Int64?).map { UInt64(bitPattern: $0) },
            destinationUIDValidity: (row["destination_uidvalidity"] as Int64?).map { UInt32(truncatingIfNeeded: $0) },
            destinationPath: (row["destination_path"] as String?).flatMap(Self.decodePath))
    }

    /// A path as a JSON array: its levels may hold any character, "/" included.
    static func encodePath(_ path: [String]) -> String {
        (try? JSONEncoder().encode(path)).map { String(decoding: $0, as: UTF8.self) } ?? "[]"
    }

    static func decodePath(_ text: String) -> [String]? {
        try? JSONDecoder().decode([String].self, from: Data(text.utf8))
    }

    // MARK: - Messages

    public func messages(folder: Int64) async throws(StateError) -> [UInt32: MessageRecord] {
        try await read { db in
            var result: [UInt32: MessageRecord] = [:]
            let rows = try Row.fetchCursor(db, sql: """
                SELECT source_uid, destination_uid, fingerprint, flags, size FROM message WHERE folder_id = ?
                """, arguments: [folder])
            while let row = try rows.next() {
                let uid = UInt32(truncatingIfNeeded: row["source_uid"] as Int64)
                result[uid] = MessageRecord(
                    folderID: folder, sourceUID: uid,
                    destinationUID: (row["destination_uid"] as Int64?).map { UInt32(truncatingIfNeeded: $0) },
                    fingerprint: row["fingerprint"], flags: row["flags"], size: row["size"])
            }
            return result
        }
    }

    public func recordCopies(_ records: [MessageRecord]) async throws(StateError) {
        guard !records.isEmpty else { return }
        try await write { db in
            let statement = try db.cachedStatement(sql: """
                INSERT INTO message (folder_id, source_uid, destination_uid, fingerprint, flags, size, copied_at)
                VALUES (?, ?, ?, ?, ?, ?, ?)
                ON CONFLICT(folder_id, source_uid) DO UPDATE SET
                    destination_uid = excluded.destination_uid, fingerprint = excluded.fingerprint,
                    flags = excluded.flags, size = excluded.size
                """)
            let now = Date().timeIntervalSince1970
            for record in records {
                try statement.execute(arguments: [
                    record.folderID, Int64(record.sourceUID), record.destinationUID.map { Int64($0) },
                    record.fingerprint, record.flags, record.size, now,
                ])
                try db.execute(sql: "DELETE FROM failure WHERE folder_id = ? AND source_uid = ?",
                    arguments: [record.folderID, Int64(record.sourceUID)])
            }
        }
    }

    public func updateFlags(folder: Int64, _ changes: [UInt32: String]) async throws(StateError) {
        guard !changes.isEmpty else { return }
        try await write { db in
            for (uid, flags) in changes {
                try db.execute(sql: "UPDATE message SET flags = ? WHERE folder_id = ? AND source_uid = ?",
                    arguments: [flags, folder, Int64(uid)])
            }
        }
    }

    public func removeMessages(folder: Int64, sourceUIDs: [UInt32]) async throws(StateError) {
        guard !sourceUIDs.isEmpty else { return }
        try await write { db in
            for uid in sourceUIDs {
                try db.execute(sql: "DELETE FROM message WHERE folder_id = ? AND source_uid = ?",
                    arguments: [folder, Int64(uid)])
            }
        }
    }

    public func clearMessages(folder: Int64) async throws(StateError) {
        try await write { db in
            try db.execute(sql: "DELETE FROM message WHERE folder_id = ?", arguments: [folder])
            try db.execute(sql: "DELETE FROM failure WHERE folder_id = ?", arguments: [folder])
        }
    }

    // MARK: - Failures

    public func recordFailure(_ failure: FailureRecord) async throws(StateError) {
        try await write { db in
            try db.execute(sql: """
                INSERT INTO failure (folder_id, source_uid, category, message, server_text, suggestion, attempts, last_at)
                VALUES (?, ?, ?, ?, ?, ?, 1, ?)
                ON CONFLICT(folder_id, source_uid) DO UPDATE SET
                    category = excluded.category, message = excluded.message, server_text = excluded.server_text,
                    suggestion = excluded.suggestion, attempts = failure.attempts + 1, last_at = excluded.last_at
                """, arguments: [
                    failure.folderID, Int64(failure.sourceUID), failure.category.rawValue, failure.message,
                    failure.serverText, failure.suggestion, Date().timeIntervalSince1970,
                ])
        }
    }

    public func clearFailure(folder: Int64, sourceUID: UInt32) async throws(StateError) {
        try await write { db in
            try db.execute(sql: "DELETE FROM failure WHERE folder_id = ? AND source_uid = ?",
                arguments: [folder, Int64(sourceUID)])
        }
    }

    public func failures(mailbox: Int64) async throws(StateError) -> [FailureRecord] {
        try await read { db in
            try Row.fetchAll(db, sql: """
                SELECT failure.*, folder.source_name FROM failure JOIN folder ON folder.id = failure.folder_id
                WHERE folder.mailbox_id = ? ORDER BY folder.source_name, failure.source_uid
                """, arguments: [mailbox]).map { row in
                FailureRecord(
                    folderID: row["folder_id"], folderName: row["source_name"],
                    sourceUID: UInt32(truncatingIfNeeded: row["source_uid"] as Int64),
                    category: FailureCategory(rawValue: row["category"]) ?? .other,
                    message: row["message"], serverText: row["server_text"], suggestion: row["suggestion"],
                    attempts: row["attempts"])
            }
        }
    }
}
