import Foundation

/// The project's inventory: every mailbox and routing object (alias, group, forwarder,
/// catch-all, shared mailbox) with its destination counterpart, wave and status.
///
/// Records are keyed by (kind, address): importing the same object again updates it. The
/// merging of duplicates happens above this layer (TernMigration's `InventoryNormalizer`), so
/// the store only keeps what it is given.
public protocol InventoryStore: Sendable {
    /// Inserts or replaces each record by (kind, address), all in one transaction.
    func saveInventory(_ records: [InventoryRecord]) async throws(StateError)
    /// Every record, ordered by address then kind.
    func inventory() async throws(StateError) -> [InventoryRecord]
    /// Removes the records with these (kind, address) keys; returns how many went.
    @discardableResult
    func removeInventory(_ keys: [InventoryRecord.Key]) async throws(StateError) -> Int
}

/// One inventory object as stored: plain strings, so the state layer needs no migration types.
public struct InventoryRecord: Sendable, Equatable, Codable {
    public struct Key: Sendable, Hashable, Codable {
        public var kind: String
        public var address: String
        public init(kind: String, address: String) {
            self.kind = kind
            self.address = address
        }
    }

    public var kind: String
    public var address: String
    public var targets: [String]
    public var displayName: String?
    /// Where the object was read, as `file:line`, one entry per merged record.
    public var sources: [String]
    /// The destination counterpart, when it differs from `address`.
    public var destination: String?
    public var wave: String?
    public var status: String
    public var notes: [String]
    /// A forwarder that also delivers to its own mailbox.
    public var keepCopy: Bool
    /// "deliver", "reject" or "discard".
    public var action: String
    /// The rejection text, when `action` is "reject".
    public var actionText: String?
    public var sizeBytes: Int64?

    public var key: Key { Key(kind: kind, address: address) }

    public init(kind: String, address: String, targets: [String] = [], displayName: String? = nil,
                sources: [String] = [], destination: String? = nil, wave: String? = nil, status: String,
                notes: [String] = [], keepCopy: Bool = false, action: String = "deliver", actionText: String? = nil,
                sizeBytes: Int64? = nil) {
        self.kind = kind
        self.address = address
        self.targets = targets
        self.displayName = displayName
        self.sources = sources
        self.destination = destination
        self.wave = wave
        self.status = status
        self.notes = notes
        self.keepCopy = keepCopy
        self.action = action
        self.actionText = actionText
        self.sizeBytes = sizeBytes
    }
}
