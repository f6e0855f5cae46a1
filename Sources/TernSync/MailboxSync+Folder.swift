import Foundation
import TernCore
import TernState

extension MailboxSync {
    /// One folder pair. Durability order: adopted and copied messages are recorded batch by
    /// batch after the destination confirmed them; the folder's high-water marks are saved
    /// last, so an interrupted folder is looked at again from its last saved marks next time.
    /// `report` holds what this attempt did so far, also when it throws.
    func syncFolder(_ pair: FolderPlanner.Pair, into report: inout FolderReport, context: inout RunContext)
        async throws
    {
        guard var destinationFolder = try await destinationFolder(for: pair) else {
            // Dry run and the folder does not exist yet.
            let status = try await source.status(pair.source)
            report.counts.source = status.messages
            report.counts.copied = status.messages
            report.outcome = "dry run: would create the folder and copy \(status.messages) messages"
            return
        }
        report.destination = destinationFolder.portableName
        if pair.source.subscribed && !destinationFolder.subscribed && !options.dryRun {
            try await destination.subscribe(destinationFolder)
            destinationFolder.subscribed = true
        }
        if options.foldersOnly {
            report.outcome = pair.existing == nil ? "folder created" : "folder exists"
            return
        }

        let sourceStatus = try await source.status(pair.source)
        var record = try await state.folder(mailbox: context.mailboxID, sourceName: pair.source.raw)
            ?? FolderRecord(mailboxID: context.mailboxID, sourceName: pair.source.raw,
                destinationName: destinationFolder.raw, destinationPath: pair.destinationPath)
        if let folderID = record.id, !options.dryRun {
            if record.destinationName != destinationFolder.raw {
                log("folder \(pair.source.portableName): now maps to \(destinationFolder.raw) (was "
                    + "\(record.destinationName)); identifying copies there by fingerprint")
                try await state.clearMessages(folder: folderID)
                record = FolderRecord(id: folderID, mailboxID: context.mailboxID, sourceName: pair.source.raw,
                    destinationName: destinationFolder.raw, destinationPath: pair.destinationPath)
            } else if record.destinationPath != pair.destinationPath {
                // Which planned path leads to this folder: what lets a later run find it by name.
                record.destinationPath = pair.destinationPath
                record = try await state.saveFolder(record)
            }
            if let known = record.sourceUIDValidity, known != sourceStatus.uidValidity {
                log("folder \(pair.source.portableName): source UIDVALIDITY changed (\(known) → "
                    + "\(sourceStatus.uidValidity)); identifying copies by fingerprint")
                try await state.clearMessages(folder: folderID)
                // Saved at once (after the map is cleared, never before): a pass redone after a
                // reconnect, or a restarted run, must not clear what this one adopted again.
                record.sourceUIDValidity = sourceStatus.uidValidity
                record.sourceUIDNext = nil
                record.sourceModSeq = nil
                record = try await state.saveFolder(record)
            }
        }
        let settling = context.mustSettle(folderID: record.id)
        let destinationStatus = settling && pair.existing != nil
            ? try await settled(destinationFolder) : try await destination.status(destinationFolder)
        if let folderID = record.id, let known = record.destinationUIDValidity, known != destinationStatus.uidValidity,
           !options.dryRun {
            // The folder was re-created or renumbered: which copies survived is unknown. Forget
            // the pairing and identify survivors by fingerprint; whatever was lost is copied again.
            log("folder \(report.destination): destination UIDVALIDITY changed; "
                + "identifying copies there by fingerprint")
            try await state.clearMessages(folder: folderID)
            // Saved at once, as for the source; without marks, so the folder is listed in full.
            record.destinationUIDValidity = destinationStatus.uidValidity
            record.sourceUIDNext = nil
            record.sourceModSeq = nil
            record = try await state.saveFolder(record)
        }

        // The fast path trusts the marks; `--delete2` cannot: a message expunged while it was off
        // is in the map but no longer changes the marks, so its copy would never be removed.
        let unchanged = record.id != nil && !options.retryFailed
            && record.sourceUIDValidity == sourceStatus.uidValidity && record.sourceUIDNext == sourceStatus.uidNext
            && sourceStatus.highestModSeq != nil && record.sourceModSeq == sourceStatus.highestModSeq
            && record.destinationUIDValidity == destinationStatus.uidValidity
        if unchanged, let folderID = record.id {
            report.counts.source = sourceStatus.messages
            // --delete2 turned on after the pass that saw an expunge: the copy is still there.
            // The UIDs present (one SEARCH) are enough to find it.
            if options.deleteVanished && !options.dryRun {
                let map = try await state.messages(folder: folderID)
                let present = try await source.uids(in: pair.source)
                if present.uids.count >= present.status.messages {
                    try await deleteVanished(map: map, present: Set(present.uids), in: destinationFolder,
                        folderID: folderID, report: &report)
                    report.outcome = "unchanged"
                    return
                }
                // A short answer must not pass for expunges: look at the folder in full below.
            } else {
                report.outcome = "unchanged"
                return
            }
        }
        if record.id == nil && !options.dryRun {
            record = try await state.saveFolder(record)
        }
        let folderID = record.id ?? -1
        let map = record.id == nil ? [:] : try await state.messages(folder: folderID)
        let ledger = record.id == nil ? [] : try await state.failures(mailbox: context.mailboxID)
            .filter { $0.folderID == folderID }
        let ledgerUIDs = Set(ledger.map(\.sourceUID))

        let listing = try await listSource(pair, record: record, sourceStatus: sourceStatus,
            destinationStatus: destinationStatus, map: map, settling: settling, context: context)
        report.counts.source = listing.present.count
        let listed = DuplicateUIDs(listing.messages)
        try await reportDuplicates(listed, map: map, folderID: folderID, report: &report, context: &context)
        let now = Date()
        var candidates: [MessageMeta] = []
        var flagChanges: [(MessageMeta, MessageRecord)] = []
        for message in listed.unique {
            if let copied = map[message.uid] {
                if !options.retryFailed, FlagSet.key(message.flags) != copied.flags { flagChanges.append((message, copied)) }
            } else if !options.admits(message, now: now) {
                report.counts.filtered += 1
            } else if ledgerUIDs.contains(message.uid) && !options.retryFailed {
                report.counts.failed += 1
            } else if options.retryFailed && !ledgerUIDs.contains(message.uid) {
                continue  // --retry-failed touches exactly the ledger's messages
            } else if context.loneCuts["\(folderID):\(message.uid)", default: 0] >= Self.loneCutLimit {
                report.counts.failed += 1  // settled as link-cut earlier in this run (--retry-failed)
            } else {
                candidates.append(message)
            }
        }

        let identified = try await adoptExisting(candidates, pair: pair, destinationFolder: destinationFolder,
            destinationCount: destinationStatus.messages, map: map, folderID: folderID)
        // A copy adopted here that an interrupted attempt of this run had sent (its APPEND was
        // never confirmed) was copied by this run: count it so, not as already present.
        let unconfirmed = context.unconfirmedAppends.removeValue(forKey: folderID) ?? [:]
        for adopted in identified.adopted {
            if let size = unconfirmed[adopted.sourceUID] {
                report.counts.copied += 1
                report.counts.bytes += size
            } else {
                report.counts.alreadyPresent += 1
            }
        }
        if !options.dryRun {
            try await state.recordCopies(identified.adopted)
            context.progress += identified.adopted.count
        }
        // An adopted copy is recorded with the flags it has in the destination; the source's
        // flags win, as for any copy whose source flags changed.
        let candidatesByUID = Dictionary(candidates.map { ($0.uid, $0) }, uniquingKeysWith: { first, _ in first })
        for adopted in identified.adopted {
            if let message = candidatesByUID[adopted.sourceUID], FlagSet.key(message.flags) != adopted.flags {
                flagChanges.append((message, adopted))
            }
        }

        if options.dryRun {
            report.counts.copied = identified.remaining.count
            report.counts.bytes = identified.remaining.reduce(0) { $0 + $1.size }
            report.counts.flagsUpdated = flagChanges.count
            report.outcome = "dry run"
            return
        }

        try await copy(identified.remaining, from: pair.source, to: destinationFolder, folderID: folderID,
            acceptedKeywords: identified.destinationKeywords, report: &report, context: &context)
        try await applyFlagChanges(flagChanges, from: pair.source, to: destinationFolder, folderID: folderID,
            adopted: Set(identified.adopted.map(\.sourceUID)), report: &report)
        context.progress += report.counts.flagsUpdated
        if options.deleteVanished && !options.retryFailed {
            try await deleteVanished(map: map, present: listing.present, in: destinationFolder, folderID: folderID,
                report: &report)
            context.progress += report.counts.deleted
        }

        if let short = listing.short {
            // Marks saved now would let the next run skip the messages the source left out.
            let text = "the source listed \(short.listed) of the \(short.held) messages the folder holds "
                + "(twice); what it listed was copied, the rest could not be seen — the next run lists the folder again"
            log("folder \(report.source): \(text)")
            events.emit(MigrationEvent(.warning, mailbox: sourceKey, folder: report.source, message: text))
            report.fail(.folder, text)
            return
        }
        if !options.retryFailed && !context.undelivered.contains(folderID) {
            record.sourceUIDValidity = listing.status.uidValidity
            record.sourceUIDNext = listing.status.uidNext
            record.sourceModSeq = listing.status.highestModSeq
            record.destinationUIDValidity = destinationStatus.uidValidity
            _ = try await state.saveFolder(record)
        }
        if report.counts.failed > 0 { report.outcome = "copied with \(report.counts.failed) failed" }
    }

    /// A UID the source listed for several messages: in the ledger when it was never copied
    /// (none of its messages is), a warning when an earlier pass copied it (its flags are left).
    private func reportDuplicates(_ listed: DuplicateUIDs, map: [UInt32: MessageRecord], folderID: Int64,
                                  report: inout FolderReport, context: inout RunContext) async throws {
        for uid in listed.uids {
            let text = DuplicateUIDs.describe(uid, count: listed.duplicated[uid] ?? 0, side: "source")
            if map[uid] != nil {
                log("folder \(report.source): warning: \(text) (it was copied before; its flags are not updated)")
                events.emit(MigrationEvent(.warning, mailbox: sourceKey, folder: report.source, message: text))
                continue
            }
            report.counts.failed += 1
            context.failedMessages += 1
            log("folder \(report.source): UID \(uid) failed (duplicate-uid): \(text)")
            events.emit(MigrationEvent(.messageFailed, mailbox: sourceKey, folder: report.source,
                message: "UID \(uid): duplicate-uid: \(text)"))
            if !options.dryRun {
                try await state.recordFailure(FailureRecord(folderID: folderID, sourceUID: uid,
                    category: .duplicateUID, message: text, serverText: nil,
                    suggestion: "have the source's index repaired (e.g. doveadm force-resync), then run again "
                        + "with --retry-failed"))
            }
        }
    }

    /// A killed run's server session keeps storing the pipelined APPENDs the server had
    /// already received (Dovecot reads them from its own buffers after the client is gone).
    /// Copies that land after the listing would be duplicated, so wait until the folder's
    /// STATUS holds still for `settleSeconds`.
    private func settled(_ folder: StoreFolder) async throws -> FolderStatus {
        var status = try await destination.status(folder)
        for _ in 0..<30 {
            try? await Task.sleep(for: .seconds(options.settleSeconds))
            let again = try await destination.status(folder)
            if again == status { return again }
            log("folder \(folder.portableName): destination still growing (\(status.messages) → \(again.messages)); waiting")
            status = again
        }
        return status
    }

    /// The destination folder for a pair, created when missing (nil in a dry run).
    private func destinationFolder(for pair: FolderPlanner.Pair) async throws -> StoreFolder? {
        if let existing = pair.existing { return existing }
        if options.dryRun { return nil }
        log("creating folder \(pair.destinationPath.joined(separator: "/"))"
            + (pair.specialUse.map { " (\($0))" } ?? ""))
        return try await destination.createFolder(path: pair.destinationPath, specialUse: pair.specialUse)
    }

    struct Identification {
        var adopted: [MessageRecord]
        var remaining: [MessageMeta]
        var destinationKeywords: Set<String>?
    }

    /// Finds candidates already in the destination folder that the map does not know (a first
    /// run over a pre-filled destination, lost state, a crash between APPEND and its record,
    /// a UIDVALIDITY change): matched by fingerprint, one destination message per source
    /// message, so identical copies are counted, never merged.
    private func adoptExisting(_ candidates: [MessageMeta], pair: FolderPlanner.Pair, destinationFolder: StoreFolder,
                               destinationCount: Int, map: [UInt32: MessageRecord], folderID: Int64)
        async throws -> Identification
    {
        guard !candidates.isEmpty else { return Identification(adopted: [], remaining: [], destinationKeywords: nil) }
        // Every destination message is one we recorded: nothing to look for.
        if destinationCount == 0 || (destinationCount == map.count && !map.isEmpty) {
            return Identification(adopted: [], remaining: candidates, destinationKeywords: nil)
        }
        // Only the destination messages the map does not know can be copies to adopt: their UIDs
        // (UID SEARCH), then their flags and identity headers — not a listing of the whole folder.
        let knownUIDs = Set(map.values.compactMap(\.destinationUID))
        let destinationUIDs = try await destination.uids(in: destinationFolder)
        let unknown: [MessageMeta]
        if destinationUIDs.uids.count >= destinationUIDs.status.messages {
            unknown = try await destination.messages(in: destinationFolder,
                uids: destinationUIDs.uids.filter { !knownUIDs.contains($0) })
        } else {
            // A search that answered short must not hide a copy: list the folder.
            unknown = try await destination.messages(in: destinationFolder, changedSince: nil).messages
                .filter { !knownUIDs.contains($0.uid) }
        }
        let acceptedKeywords = destinationUIDs.acceptedKeywords
        if unknown.isEmpty {
            return Identification(adopted: [], remaining: candidates, destinationKeywords: acceptedKeywords)
        }
        let destinationHeaders = try await destination.headers(in: destinationFolder, uids: unknown.map(\.uid))
        var pool: [String: [MessageMeta]] = [:]
        var legacy: [String: String] = [:]  // an older state's fingerprint → today's
        let needsLegacy = map.values.contains { $0.destinationUID == nil }
        for message in unknown.reversed() {
            guard let headers = destinationHeaders[message.uid] else { continue }
            let fingerprint = MessageIdentity.fingerprint(headers)
            pool[fingerprint, default: []].append(message)
            if needsLegacy { legacy[MessageIdentity.legacyFingerprint(headers)] = fingerprint }
        }
        // Records without a destination UID (no UIDPLUS) already account for some of these.
        for record in map.values where record.destinationUID == nil {
            if pool[record.fingerprint]?.popLast() == nil, let current = legacy[record.fingerprint] {
                _ = pool[current]?.popLast()
            }
        }
        let sourceHeaders = try await source.headers(in: pair.source, uids: candidates.map(\.uid))
        var adopted: [MessageRecord] = []
        var remaining: [MessageMeta] = []
        for message in candidates {
            guard let headers = sourceHeaders[message.uid] else { continue }  // expunged meanwhile
            let fingerprint = MessageIdentity.fingerprint(headers)
            if let match = pool[fingerprint]?.popLast() {
                adopted.append(MessageRecord(folderID: folderID, sourceUID: message.uid, destinationUID: match.uid,
                    fingerprint: fingerprint, flags: FlagSet.key(match.flags), size: message.size))
            } else {
                remaining.append(message)
            }
        }
        return Identification(adopted: adopted, remaining: remaining, destinationKeywords: acceptedKeywords)
    }

    /// Gives copies the source's new flags — with a message filter's changes, as their first copy
    /// got them. The state keeps the source's flags (as `appendBatch` records them). `adopted`:
    /// copies just found by fingerprint, whose record holds the flags they have; one that has
    /// exactly the wanted flags already (an interrupted run copied it through the filter) is
    /// recorded, not updated.
    private func applyFlagChanges(_ changes: [(MessageMeta, MessageRecord)], from sourceFolder: StoreFolder,
                                  to folder: StoreFolder, folderID: Int64, adopted: Set<UInt32>,
                                  report: inout FolderReport) async throws {
        guard !changes.isEmpty else { return }
        let filtered = try await filteredFlags(changes.map(\.0), in: sourceFolder, folder: report.source)
        var updates: [FlagChange] = []
        var recorded: [UInt32: String] = [:]
        for (message, copied) in changes {
            guard let destinationUID = copied.destinationUID else {
                log("folder \(report.source): flags of UID \(message.uid) changed, but the destination gave no UID "
                    + "for its copy (no UIDPLUS); not updated")
                continue
            }
            let flags = FlagSet.normalize(message.flags)
            recorded[message.uid] = flags.joined(separator: " ")
            let wanted = filtered[message.uid] ?? flags
            if adopted.contains(message.uid) && FlagSet.key(wanted) == copied.flags { continue }
            updates.append(FlagChange(uid: destinationUID, flags: wanted))
        }
        guard !recorded.isEmpty else { return }
        if !updates.isEmpty {
            let dropped = try await setFlagsWithinKeywordLimit(updates, in: folder, report: report)
            report.droppedKeywords = Set(report.droppedKeywords).union(dropped).sorted()
        }
        try await state.updateFlags(folder: folderID, recorded)
        report.counts.flagsUpdated += updates.count
    }

    /// The flags a message filter gives these messages' copies (source UID → flags), for those
    /// whose flags it adjusts. A delta lists changed flags without size or date, so the filter is
    /// shown each message in full, as when it was copied.
    private func filteredFlags(_ messages: [MessageMeta], in sourceFolder: StoreFolder, folder: String)
        async throws -> [UInt32: [String]]
    {
        guard rules.filtersMessages, !messages.isEmpty else { return [:] }
        let uids = messages.map(\.uid)
        let metas = Dictionary(try await source.messages(in: sourceFolder, uids: uids).map { ($0.uid, $0) },
            uniquingKeysWith: { first, _ in first })
        let headers = try await source.headers(in: sourceFolder, uids: uids)
        var result: [UInt32: [String]] = [:]
        for message in messages {
            guard let fields = headers[message.uid] else { continue }  // expunged meanwhile
            var full = metas[message.uid] ?? message
            full.flags = message.flags
            let flags = FlagSet.normalize(message.flags)
            do {
                if case .copyAdjustingFlags(let add, let remove) = try await rules.filterMessage(
                    Self.filterSummary(full, flags: flags, headers: fields, folder: folder)) {
                    result[message.uid] = Self.adjusting(flags, add: add, remove: remove)
                }
            } catch {
                log("folder \(folder): the message filter failed on UID \(message.uid) while its flags were updated "
                    + "(\(error)); its copy gets the source's flags")
            }
        }
        return result
    }

    /// `--delete2`: removes destination copies of messages gone from the source — only ones
    /// Tern recorded copying, never anything else in the destination.
    private func deleteVanished(map: [UInt32: MessageRecord], present: Set<UInt32>, in folder: StoreFolder,
                                folderID: Int64, report: inout FolderReport) async throws {
        let vanished = map.values.filter { !present.contains($0.sourceUID) }
        let deletable = vanished.compactMap(\.destinationUID)
        guard !deletable.isEmpty else { return }
        try await destination.delete(in: folder, uids: deletable)
        try await state.removeMessages(folder: folderID,
            sourceUIDs: vanished.filter { $0.destinationUID != nil }.map(\.sourceUID))
        report.counts.deleted += deletable.count
    }
}
