/// The UIDs a folder holds at one moment (`MailStore.uids(in:)`).
public struct FolderUIDs: Sendable {
    public var status: FolderStatus
    /// Ascending.
    public var uids: [UInt32]
    /// Keywords the folder accepts (`PERMANENTFLAGS`); nil when any keyword is accepted.
    public var acceptedKeywords: Set<String>?
    /// Keywords the folder already holds (IMAP: the `FLAGS` of opening it): all a folder that
    /// can take no new keyword keeps (Cyrus's limit). Nil when the store cannot tell.
    public var definedKeywords: Set<String>?

    public init(status: FolderStatus, uids: [UInt32], acceptedKeywords: Set<String>?,
                definedKeywords: Set<String>? = nil) {
        self.status = status
        self.uids = uids
        self.acceptedKeywords = acceptedKeywords
        self.definedKeywords = definedKeywords
    }
}

/// What changed in a folder since a pass that recorded its UIDNEXT and HIGHESTMODSEQ
/// (`MailStore.changes(in:sinceUIDNext:modSeq:)`).
public struct FolderChanges: Sendable {
    /// The folder as opening it reported (UIDVALIDITY, UIDNEXT, HIGHESTMODSEQ now).
    public var status: FolderStatus
    /// Every UID present now, ascending: what vanished is what the caller knew minus these.
    public var uids: [UInt32]
    /// Messages at or above the recorded UIDNEXT, with everything `messages(in:)` lists.
    public var arrived: [MessageMeta]
    /// Older messages whose flags changed after the recorded mod-sequence: UID, flags and
    /// mod-sequence only (no date, size 0). May include messages whose flags changed back.
    public var flagChanges: [MessageMeta]

    public init(status: FolderStatus, uids: [UInt32], arrived: [MessageMeta], flagChanges: [MessageMeta]) {
        self.status = status
        self.uids = uids
        self.arrived = arrived
        self.flagChanges = flagChanges
    }
}

extension MailStore {
    /// Without a cheaper way: the full listing, narrowed.
    public func messages(in folder: StoreFolder, uids: [UInt32]) async throws(StoreError) -> [MessageMeta] {
        let wanted = Set(uids)
        return try await messages(in: folder, changedSince: nil).messages.filter { wanted.contains($0.uid) }
    }

    /// Without a cheaper way: the full listing's UIDs.
    public func uids(in folder: StoreFolder) async throws(StoreError) -> FolderUIDs {
        let listing = try await messages(in: folder, changedSince: nil)
        return FolderUIDs(status: listing.status, uids: listing.messages.map(\.uid),
            acceptedKeywords: listing.acceptedKeywords)
    }

    /// Without mod-sequences a store cannot tell what changed.
    public func changes(in folder: StoreFolder, sinceUIDNext uidNext: UInt32, modSeq: UInt64) async throws(StoreError)
        -> FolderChanges?
    {
        nil
    }
}
