import Foundation
import GRDB

/// One finished pass over one mailbox (migration "v5: runs"): a copy (`sync`, `batch`,
/// `run wave`) or a verification. The history behind `tern report` and behind the measured
/// copy rate `tern plan waves` uses when no rate is given.
public struct RunRecord: Sendable, Equatable, Codable {
    public enum Kind: String, Sendable, Codable { case sync, verify }

    public var id: Int64?
    public var kind: Kind
    /// The accounts' keys, as in the `mailbox` table ("user@host:port").
    public var sourceKey: String
    public var destinationKey: String
    /// The inventory address, when the run knew it (`tern run wave`, or a project's sync).
    public var address: String?
    /// The wave it ran in (`tern run wave`), if any.
    public var wave: String?
    public var startedAt: Date
    public var finishedAt: Date
    /// sync: done, partial (some messages or folders failed) or failed; verify: match or mismatch (or failed).
    public var status: String
    public var sourceMessages: Int
    public var copied: Int
    public var bytes: Int64
    public var failed: Int
    public var error: String?

    public init(id: Int64? = nil, kind: Kind, sourceKey: String, destinationKey: String, address: String? = nil,
                wave: String? = nil, startedAt: Date, finishedAt: Date, status: String, sourceMessages: Int = 0,
                copied: Int = 0, bytes: Int64 = 0, failed: Int = 0, error: String? = nil) {
        self.id = id
        self.kind = kind
        self.sourceKey = sourceKey
        self.destinationKey = destinationKey
        self.address = address
        self.wave = wave
        self.startedAt = startedAt
        self.finishedAt = finishedAt
        self.status = status
        self.sourceMessages = sourceMessages
        self.copied = copied
        self.bytes = bytes
        self.failed = failed
        self.error = error
    }

    public var seconds: Double { finishedAt.timeIntervalSince(startedAt) }
}

/// A copy rate measured from earlier runs.
public struct MeasuredThroughput: Sendable, Equatable {
    /// The median per-mailbox rate of the qualifying runs.
    public var bytesPerSecond: Double
    /// How many runs it rests on.
    public var runs: Int
}

extension SQLiteStateStore {
    public func recordRun(_ run: RunRecord) async throws(StateError) {
        try await write { db in
            try db.execute(sql: """
                INSERT INTO mailbox_run (kind, source_key, destination_key, address, wave, started_at, finished_at,
                                         status, source_messages, copied, bytes, failed, error)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """, arguments: [
                    run.kind.rawValue, run.sourceKey, run.destinationKey, run.address, run.wave,
                    run.startedAt.timeIntervalSince1970, run.finishedAt.timeIntervalSince1970, run.status,
                    run.sourceMessages, run.copied, run.bytes, run.failed, run.error,
                ])
        }
    }

    /// Every recorded run, oldest first.
    public func runs() async throws(StateError) -> [RunRecord] {
        try await read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM mailbox_run ORDER BY started_at, id").map { row in
                RunRecord(
                    id: row["id"], kind: RunRecord.Kind(rawValue: row["kind"]) ?? .sync, sourceKey: row["source_key"],
                    destinationKey: row["destination_key"], address: row["address"], wave: row["wave"],
                    startedAt: Date(timeIntervalSince1970: row["started_at"]),
                    finishedAt: Date(timeIntervalSince1970: row["finished_at"]), status: row["status"],
                    sourceMessages: row["source_messages"], copied: row["copied"], bytes: row["bytes"],
                    failed: row["failed"], error: row["error"])
            }
        }
    }

    /// The median per-mailbox copy rate of earlier copies that moved at least `minimumBytes`
    /// (small ones measure login and folder set-up, not copying); nil when none did.
    public func measuredThroughput(minimumBytes: Int64 = 1_000_000) async throws(StateError) -> MeasuredThroughput? {
        let rates = try await runs()
            .filter { $0.kind == .sync && $0.bytes >= minimumBytes && $0.seconds > 0 && $0.status != "failed" }
            .map { Double($0.bytes) / $0.seconds }
            .sorted()
        guard !rates.isEmpty else { return nil }
        let middle = rates.count / 2
        let median = rates.count % 2 == 1 ? rates[middle] : (rates[middle - 1] + rates[middle]) / 2
        return MeasuredThroughput(bytesPerSecond: median, runs: rates.count)
    }
}
