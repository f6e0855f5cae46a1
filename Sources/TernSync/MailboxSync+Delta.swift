import Foundation
import TernCore
import TernState

extension MailboxSync {
    /// What a folder pass looks at on the source: the messages to classify (copy, adopt, filter,
    /// compare flags) and every UID present, for `--delete2` and the source count.
    struct SourceListing {
        /// The folder's marks to save when the pass is done.
        var status: FolderStatus
        var messages: [MessageMeta]
        var present: Set<UInt32>
        /// Set when the source listed fewer messages than the folder holds, twice: (listed, held).
        /// What it listed is copied, but the marks are not saved, so the next run lists it again.
        var short: (listed: Int, held: Int)?
    }

    /// The source side of a folder pass. Where the state's marks can be trusted and the server
    /// keeps mod-sequences, only what changed since them: messages at or above the recorded
    /// UIDNEXT, flags changed after the recorded HIGHESTMODSEQ, the UIDs present (for expunges),
    /// and the few older messages the state does not account for (filtered or failed last time).
    /// Otherwise every message, as on a first run.
    func listSource(_ pair: FolderPlanner.Pair, record: FolderRecord, sourceStatus: FolderStatus,
                    destinationStatus: FolderStatus, map: [UInt32: MessageRecord], settling: Bool,
                    context: RunContext)
        async throws -> SourceListing
    {
        switch Self.listingPlan(record: record, sourceStatus: sourceStatus, destinationStatus: destinationStatus,
                                retryFailed: options.retryFailed, settling: settling,
                                sourceCondStore: context.sourceInfo?.supportsCondStore == true) {
        case .delta(let marks):
            let changes = try await source.changes(in: pair.source, sinceUIDNext: marks.uidNext, modSeq: marks.modSeq)
            if let changes, changes.status.uidValidity == record.sourceUIDValidity,
               // Every message the folder announced is among the UIDs searched (more may have arrived
               // since): a short answer must not pass for expunges.
               changes.uids.count >= changes.status.messages
            {
                return try await deltaListing(pair, changes: changes, marks: marks, map: map)
            }
            log("folder \(pair.source.portableName): the source did not list its changes; listing it in full")
        case .full(let reason?):
            log("folder \(pair.source.portableName): listing in full (\(reason))")
        case .full(nil):
            break
        }
        var listing = try await source.messages(in: pair.source, changedSince: nil)
        var short: (listed: Int, held: Int)?
        if listing.messages.count < listing.status.messages {
            // A listing shorter than the folder (a FETCH answer cut short, messages the server
            // could not describe): once more, in case an expunge crossed it.
            log("folder \(pair.source.portableName): warning: the source listed \(listing.messages.count) of the "
                + "\(listing.status.messages) messages the folder holds; listing it again")
            listing = try await source.messages(in: pair.source, changedSince: nil)
            if listing.messages.count < listing.status.messages {
                short = (listing.messages.count, listing.status.messages)
            }
        }
        // Copies go out in UID order (the source's arrival order), however the server listed them.
        let ordered = listing.messages.sorted { $0.uid < $1.uid }
        return SourceListing(status: listing.status, messages: ordered, present: Set(ordered.map(\.uid)), short: short)
    }

    struct Marks: Equatable {
        var uidNext: UInt32
        var modSeq: UInt64
    }

    enum ListingPlan: Equatable {
        case delta(Marks)
        /// Why the folder is listed in full; nil for the expected cases (first pass, --retry-failed).
        case full(String?)
    }

    /// The recorded marks a delta can start from, or why not. Every guarantee of the full
    /// listing rests on the state being complete up to the marks, so anything that may have
    /// left it incomplete or stale falls back to the full listing.
    /// `settling`: the last run did not finish, or a reconnect cut APPENDs to this folder — the
    /// destination may hold copies the state does not know.
    static func listingPlan(record: FolderRecord, sourceStatus: FolderStatus, destinationStatus: FolderStatus,
                            retryFailed: Bool, settling: Bool, sourceCondStore: Bool) -> ListingPlan
    {
        // A first pass over the folder, or --retry-failed (which looks at the ledger's messages only).
        guard record.id != nil, !retryFailed, let uidNext = record.sourceUIDNext else { return .full(nil) }
        if settling {
            return .full("an interrupted run or a reconnect: unrecorded copies are identified by fingerprint")
        }
        guard record.sourceUIDValidity == sourceStatus.uidValidity,
              record.destinationUIDValidity == destinationStatus.uidValidity
        else { return .full("UIDVALIDITY changed") }
        guard sourceCondStore, let current = sourceStatus.highestModSeq, current > 0
        else { return .full("the source server keeps no mod-sequences (CONDSTORE)") }
        guard let modSeq = record.sourceModSeq, modSeq > 0 else { return .full("no mod-sequence recorded") }
        // Mod-sequences and UIDs only grow; going back means a restored or rebuilt folder.
        guard current >= modSeq, (sourceStatus.uidNext ?? uidNext) >= uidNext else {
            return .full("the source folder's HIGHESTMODSEQ or UIDNEXT went back")
        }
        return .delta(Marks(uidNext: uidNext, modSeq: modSeq))
    }

    private func deltaListing(_ pair: FolderPlanner.Pair, changes: FolderChanges, marks: Marks,
                              map: [UInt32: MessageRecord]) async throws -> SourceListing
    {
        var present = Set(changes.uids)
        present.formUnion(changes.arrived.map(\.uid))
        // Older messages the state does not account for — filtered by the options or a message
        // filter last time, or in the failure ledger — are read in full and judged exactly as a
        // full listing would judge them (a changed --max-size or --min-age may admit them now).
        let unaccounted = changes.uids.filter { $0 < marks.uidNext && map[$0] == nil }
        let older = try await source.messages(in: pair.source, uids: unaccounted)
        // Flag changes matter only for messages Tern copied; the others are judged above.
        let changed = changes.flagChanges.filter { map[$0.uid] != nil && present.contains($0.uid) }
        log("folder \(pair.source.portableName): delta since UIDNEXT \(marks.uidNext), MODSEQ \(marks.modSeq): "
            + "\(changes.arrived.count) new, \(changed.count) with changed flags, \(older.count) older unrecorded")
        return SourceListing(status: changes.status, messages: older + changed + changes.arrived, present: present)
    }
}
