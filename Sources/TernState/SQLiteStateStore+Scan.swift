import Foundation
import GRDB

/// One source mailbox's scan as stored (migration "v3: scan"): plain values, so the state
/// layer needs no IMAP or migration types.
public struct ScanRecord: Sendable, Equatable, Codable {
    /// The inventory address the scan belongs to.
    public var address: String
    /// The user name that logged in (the address, or a batch file's source user).
    public var login: String
    /// "ok" or "failed".
    public var status: String
    public var folders: Int?
    public var messages: Int?
    public var sizeBytes: Int64?
    /// The largest message's size in bytes (`inventory scan` reads it with ESORT or FETCH
    /// RFC822.SIZE); nil when unknown.
    public var largestMessage: Int64?
    /// Quota usage and limit in bytes (the STORAGE resource), when the server reports one.
    public var quotaUsed: Int64?
    public var quotaLimit: Int64?
    public var error: String?
    /// "auth", "tls", "connection" … for a failed scan.
    public var errorCategory: String?
    public var scannedAt: Date

    public init(address: String, login: String, status: String, folders: Int? = nil, messages: Int? = nil,
                sizeBytes: Int64? = nil, largestMessage: Int64? = nil, quotaUsed: Int64? = nil,
                quotaLimit: Int64? = nil, error: String? = nil, errorCategory: String? = nil,
                scannedAt: Date = Date()) {
        self.address = address
        self.login = login
        self.status = status
        self.folders = folders
        self.messages = messages
        self.sizeBytes = sizeBytes
        self.largestMessage = largestMessage
        self.quotaUsed = quotaUsed
        self.quotaLimit = quotaLimit
        self.error = error
        self.errorCategory = errorCategory
        self.scannedAt = scannedAt
    }
}

extension SQLiteStateStore {
    /// Stores the scans (replacing earlier ones of the same address) and copies each
    /// successful scan's size onto the address's mailbox/shared inventory objects, in one
    /// transaction. A failed scan keeps the size an earlier scan or an import recorded.
    /// `folders` holds each successful scan's folder list, which replaces the address's stored
    /// folders; failed scans, and addresses not in `folders`, keep theirs.
    public func saveScans(_ records: [ScanRecord], folders: [String: [ScannedFolder]] = [:]) async throws(StateError) {
        guard !records.isEmpty else { return }
        try await write { db in
            let statement = try db.cachedStatement(sql: """
                INSERT INTO mailbox_scan (address, login, status, folders, messages, size_bytes, largest_message,
                                          quota_used, quota_limit, error, error_category, scanned_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                ON CONFLICT(address) DO UPDATE SET
                    login = excluded.login, status = excluded.status, folders = excluded.folders,
                    messages = excluded.messages, size_bytes = excluded.size_bytes,
                    largest_message = excluded.largest_message, quota_used = excluded.quota_used,
                    quota_limit = excluded.quota_limit, error = excluded.error,
                    error_category = excluded.error_category, scanned_at = excluded.scanned_at
                """)
            let size = try db.cachedStatement(sql: """
                UPDATE inventory_object SET size_bytes = ?, updated_at = ?
                WHERE address = ? AND kind IN ('mailbox', 'shared')
                """)
            let now = Date().timeIntervalSince1970
            for record in records {
                try statement.execute(arguments: [
                    record.address, record.login, record.status, record.folders, record.messages, record.sizeBytes,
                    record.largestMessage, record.quotaUsed, record.quotaLimit, record.error, record.errorCategory,
                    record.scannedAt.timeIntervalSince1970,
                ])
                if record.status == "ok", let bytes = record.sizeBytes {
                    try size.execute(arguments: [bytes, now, record.address])
                }
            }
            let replaced = Set(records.filter { $0.status == "ok" }.map(\.address))
            try Self.replaceScanFolders(folders.filter { replaced.contains($0.key) }, in: db)
        }
    }

    /// Every stored scan, by address.
    public func scans() async throws(StateError) -> [ScanRecord] {
        try await read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM mailbox_scan ORDER BY address").map { row in
                ScanRecord(
                    address: row["address"], login: row["login"], status: row["status"], folders: row["folders"],
                    messages: row["messages"], sizeBytes: row["size_bytes"], largestMessage: row["largest_message"],
                    quotaUsed: row["quota_used"], quotaLimit: row["quota_limit"], error: row["error"],
                    errorCategory: row["error_category"],
                    scannedAt: Date(timeIntervalSince1970: row["scanned_at"]))
            }
        }
    }

    /// Sets the wave of the inventory objects at these addresses (mailbox and shared kinds).
    public func setWaves(_ waves: [String: String?]) async throws(StateError) {
        guard !waves.isEmpty else { return }
        try await write { db in
            let statement = try db.cachedStatement(sql: """
                UPDATE inventory_object SET wave = ?, updated_at = ?
                WHERE address = ? AND kind IN ('mailbox', 'shared')
                """)
            let now = Date().timeIntervalSince1970
            for (address, wave) in waves.sorted(by: { $0.key < $1.key }) {
                try statement.execute(arguments: [wave, now, address])
            }
        }
    }
}
