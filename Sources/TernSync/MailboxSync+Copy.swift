import Foundation
import TernCore
import TernState

extension MailboxSync {
    /// Copies messages in batches bounded by bytes and count. The next batch is fetched from
    /// the source while the current one is appended to the destination, so both links stay
    /// busy and memory holds at most two batches. Each side's `BatchWindow` (kept across
    /// reconnects in `context`) sizes the batches: a FETCH or APPEND cut by the link halves that
    /// side's window, a clean one doubles it again.
    func copy(_ messages: [MessageMeta], from sourceFolder: StoreFolder, to destinationFolder: StoreFolder,
              folderID: Int64, acceptedKeywords: Set<String>?, report: inout FolderReport,
              context: inout RunContext) async throws {
        guard !messages.isEmpty else { return }
        // The listing's duplicate UIDs were set aside (DuplicateUIDs); never trap on one anyway.
        let byUID = Dictionary(messages.map { ($0.uid, $0) }, uniquingKeysWith: { first, _ in first })
        var dropped = Set<String>()
        // Narrowed to the folder's own keywords once it holds as many as it can (Cyrus's limit).
        var acceptedKeywords = acceptedKeywords
        let throttle = Throttle(bytesPerSecond: options.maxBytesPerSecond, messagesPerSecond: options.maxMessagesPerSecond)
        let source = self.source
        func startFetch(_ range: Range<Int>) -> Task<[MessageContent], any Error> {
            Task { [uids = messages[range].map(\.uid)] in try await source.fetch(in: sourceFolder, uids: uids) }
        }
        var fetching: Range<Int>? = BatchWindow.nextBatch(messages, from: 0,
            windows: [context.fetchWindow, context.appendWindow])
        var prefetch = fetching.map(startFetch)
        while let current = fetching, let task = prefetch {
            if options.stop?.reason != nil {
                _ = await task.result
                try checkStop()
            }
            let contents: [MessageContent]
            do {
                contents = try await task.value
            } catch {
                if Self.isCut(error) {
                    context.fetchWindow.shrink(afterCutOf: current.count, bytes: Self.bytes(messages[current]))
                    if current.count > 1 { context.batchShrinks += 1 }
                    if current.count == 1 {
                        let message = messages[current.lowerBound]
                        try await loneCut(message.uid, bytes: message.size, while: "fetched from the source",
                            folderID: folderID, report: &report, context: &context)
                    }
                }
                throw error
            }
            context.fetchWindow.grow()
            if noteDeliveryDifferences(requested: messages[current], delivered: contents, folder: report.source) {
                context.undelivered.insert(folderID)
            }
            fetching = current.upperBound < messages.count
                ? BatchWindow.nextBatch(messages, from: current.upperBound,
                    windows: [context.fetchWindow, context.appendWindow])
                : nil
            prefetch = fetching.map(startFetch)
            do {
                try await appendBatch(contents, metadata: byUID, to: destinationFolder, folderID: folderID,
                    acceptedKeywords: &acceptedKeywords, dropped: &dropped, report: &report, context: &context)
            } catch {
                // Let the prefetch finish before the store is used again (one call at a time).
                _ = await prefetch?.result
                if Self.isCut(error) {
                    context.appendWindow.shrink(afterCutOf: contents.count,
                        bytes: contents.reduce(0) { $0 + Int64($1.bytes.count) })
                    if contents.count > 1 { context.batchShrinks += 1 }
                    if contents.count == 1, let only = contents.first {
                        try await loneCut(only.uid, bytes: Int64(only.bytes.count), while: "appended to the destination",
                            folderID: folderID, report: &report, context: &context)
                    }
                }
                throw error
            }
            context.appendWindow.grow()
            await throttle.pace(bytes: contents.reduce(0) { $0 + Int64($1.bytes.count) }, messages: contents.count)
            events.emit(MigrationEvent(.progress, mailbox: sourceKey, folder: report.source, counts: report.counts))
        }
        report.droppedKeywords = Set(report.droppedKeywords).union(dropped).sorted()
    }

    /// A message is immutable in IMAP: one that arrives with another size than the listing
    /// gave, or not at all, changed (or vanished) between the two FETCHes. The copy is of what
    /// arrived — and the difference is said, per batch, naming the UIDs; a message that did not
    /// arrive is looked at again by the next run. True when one did not arrive.
    private func noteDeliveryDifferences(requested: ArraySlice<MessageMeta>, delivered: [MessageContent],
                                         folder: String) -> Bool {
        let arrived = Dictionary(delivered.map { ($0.uid, Int64($0.bytes.count)) }, uniquingKeysWith: { first, _ in first })
        let missing = requested.filter { arrived[$0.uid] == nil }.map(\.uid)
        let resized = requested.compactMap { meta in
            arrived[meta.uid].flatMap { $0 == meta.size ? nil : "UID \(meta.uid) \(meta.size) → \($0) bytes" }
        }
        var notes: [String] = []
        if !missing.isEmpty {
            notes.append("the source listed but did not deliver UID \(missing.map(String.init).joined(separator: ", ")) "
                + "(expunged meanwhile?); not copied, looked at again next run")
        }
        if !resized.isEmpty {
            notes.append("\(resized.count) message\(resized.count == 1 ? "" : "s") arrived with another size than "
                + "the source listed (\(resized.prefix(5).joined(separator: "; "))); copied as they arrived")
        }
        for note in notes {
            log("folder \(folder): warning: \(note)")
            events.emit(MigrationEvent(.warning, mailbox: sourceKey, folder: folder, message: note))
        }
        return !missing.isEmpty
    }

    /// The identity headers, as the header parser takes them (built once, not per message).
    static let identityFieldSet = Set(IdentityHeaders.fields)

    /// After this many cuts while a message travelled alone, the link cannot carry it: it goes
    /// to the ledger and the folder goes on without it (once could be chance).
    static let loneCutLimit = 2

    /// The link was cut while one message travelled alone: at `loneCutLimit` that message is
    /// a failure of its own (category link-cut) rather than a reason to fail the mailbox.
    private func loneCut(_ uid: UInt32, bytes: Int64, while doing: String, folderID: Int64,
                         report: inout FolderReport, context: inout RunContext) async throws {
        let key = "\(folderID):\(uid)"
        context.loneCuts[key, default: 0] += 1
        guard context.loneCuts[key] == Self.loneCutLimit, !options.dryRun else { return }
        context.unconfirmedAppends[folderID]?[uid] = nil
        try await record([FailureRecord(folderID: folderID, sourceUID: uid, category: .linkCut,
            message: "the link was cut \(Self.loneCutLimit) times while this message alone (\(bytes) bytes) was being "
                + doing,
            serverText: nil,
            suggestion: "the connection drops before this message is through: copy it over a better link, or raise "
                + "the limit that cuts it (proxy, firewall), then run again with --retry-failed")],
            report: &report, context: &context)
        // Settled, also under --retry-failed (where a ledger entry is otherwise no progress).
        if options.retryFailed { context.progress += 1 }
    }

    /// The link broke under a batch (a cut, a reset, a command past its deadline) — not a
    /// server asking to slow down, nor one sending garbage: those do not shrink batches.
    private static func isCut(_ error: any Error) -> Bool {
        guard let error = error as? StoreError else { return false }
        return error.scope == .connection && error.category == .connection
    }

    private static func bytes(_ messages: ArraySlice<MessageMeta>) -> Int64 {
        messages.reduce(0) { $0 + $1.size }
    }

    private func appendBatch(_ contents: [MessageContent], metadata: [UInt32: MessageMeta], to folder: StoreFolder,
                             folderID: Int64, acceptedKeywords: inout Set<String>?, dropped: inout Set<String>,
                             report: inout FolderReport, context: inout RunContext) async throws {
        var outgoing: [OutgoingMessage] = []
        var pending: [(meta: MessageMeta, fingerprint: String, flags: [String])] = []
        var failures: [FailureRecord] = []
        let limit = context.destinationInfo?.appendLimit
        for content in contents {
            guard let meta = metadata[content.uid] else { continue }
            let headers = HeaderParser.parse(content.bytes, only: Self.identityFieldSet)
            let fingerprint = MessageIdentity.fingerprint(headers)
            var flags = FlagSet.normalize(meta.flags)
            if rules.filtersMessages {
                do {
                    switch try await rules.filterMessage(Self.filterSummary(meta, flags: flags, headers: headers,
                                                                             folder: report.source)) {
                    case .copy: break
                    case .skip:
                        report.counts.filtered += 1
                        // A retried message the fixed filter now skips is settled: out of the ledger.
                        if options.retryFailed { try await state.clearFailure(folder: folderID, sourceUID: meta.uid) }
                        continue
                    case .copyAdjustingFlags(let add, let remove):
                        flags = Self.adjusting(flags, add: add, remove: remove)
                    }
                } catch {
                    failures.append(FailureRecord(folderID: folderID, sourceUID: meta.uid, category: .filterError,
                        message: "the message filter failed: \(error)", serverText: nil,
                        suggestion: "fix the filter script at the place named, then run again with --retry-failed"))
                    // A filter that fails on every message would grind through the folder (each
                    // call may spend its whole instruction budget): stop at --max-errors.
                    if let maxErrors = options.maxErrors, context.failedMessages + failures.count > maxErrors {
                        try await record(failures, report: &report, context: &context)
                        throw SyncAbort(message: "more than \(maxErrors) messages failed (--max-errors); "
                            + "stopped this mailbox")
                    }
                    continue
                }
            }
            if let limit, Int64(content.bytes.count) > limit {
                failures.append(FailureRecord(folderID: folderID, sourceUID: meta.uid, category: .tooBig,
                    message: "\(content.bytes.count) bytes is over the destination's limit of \(limit) bytes",
                    serverText: nil,
                    suggestion: "raise the destination's message size limit, or move this message another way"))
                continue
            }
            let kept = FlagSet.accepted(flags, keywords: acceptedKeywords)
            dropped.formUnion(kept.dropped)
            outgoing.append(OutgoingMessage(bytes: content.bytes, flags: kept.kept, internalDate: meta.internalDate))
            // The state keeps the source's flags, not the filter's: a later pass compares them with
            // the source, and must not take the filter's additions for a flag change to undo.
            pending.append((meta, fingerprint, FlagSet.normalize(meta.flags)))
        }

        var records: [MessageRecord] = []
        if !outgoing.isEmpty {
            // Until the server confirms them, these may or may not be stored: a cut here leaves
            // them for the next attempt to find (and count as copied by this run).
            for (index, item) in pending.enumerated() {
                context.unconfirmedAppends[folderID, default: [:]][item.meta.uid] = Int64(outgoing[index].bytes.count)
            }
            var results = try await destination.append(to: folder, outgoing)
            if results.contains(where: Self.refusedForKeywords) {
                try await appendWithinKeywordLimit(outgoing, results: &results, to: folder,
                    acceptedKeywords: &acceptedKeywords, dropped: &dropped, report: report)
            }
            for item in pending { context.unconfirmedAppends[folderID]?[item.meta.uid] = nil }
            for (index, result) in results.enumerated() {
                let item = pending[index]
                switch result {
                case .success(let uid):
                    records.append(MessageRecord(folderID: folderID, sourceUID: item.meta.uid, destinationUID: uid,
                        fingerprint: item.fingerprint, flags: item.flags.joined(separator: " "), size: item.meta.size))
                    report.counts.copied += 1
                    report.counts.bytes += Int64(outgoing[index].bytes.count)
                case .failure(let error):
                    failures.append(FailureRecord(folderID: folderID, sourceUID: item.meta.uid,
                        category: error.category, message: error.message, serverText: error.serverText,
                        suggestion: Self.suggestion(for: error.category)))
                }
            }
        }
        try await state.recordCopies(records)
        // Stored and recorded: this attempt got somewhere.
        context.progress += records.count
        try await record(failures, report: &report, context: &context)
        if let maxErrors = options.maxErrors, context.failedMessages > maxErrors {
            throw SyncAbort(message: "more than \(maxErrors) messages failed (--max-errors); stopped this mailbox")
        }
    }

    /// A message as a message filter sees it.
    static func filterSummary(_ meta: MessageMeta, flags: [String], headers: HeaderFields, folder: String)
        -> MessageSummary
    {
        MessageSummary(folder: folder, uid: meta.uid, size: meta.size, internalDate: meta.internalDate?.date,
            flags: flags, headers: .init(from: headers["from"], to: headers["to"], subject: headers["subject"],
                date: headers["date"], messageID: headers["message-id"]))
    }

    /// Flags with a filter's additions and removals.
    static func adjusting(_ flags: [String], add: [String], remove: [String]) -> [String] {
        let removed = Set(remove.map { $0.lowercased() })
        return FlagSet.normalize(flags.filter { !removed.contains($0.lowercased()) } + add)
    }

    /// Puts failed messages in the ledger, the folder's counts, the log and the event stream.
    private func record(_ failures: [FailureRecord], report: inout FolderReport, context: inout RunContext)
        async throws
    {
        for failure in failures {
            try await state.recordFailure(failure)
            report.counts.failed += 1
            context.failedMessages += 1
            // Newly settled in the ledger is progress; with --retry-failed every candidate is
            // in the ledger already, and failing again is none.
            if !options.retryFailed { context.progress += 1 }
            log("folder \(report.source): UID \(failure.sourceUID) failed (\(failure.category)): \(failure.message)")
            events.emit(MigrationEvent(.messageFailed, mailbox: sourceKey, folder: report.source,
                message: "UID \(failure.sourceUID): \(failure.category): \(failure.message)"))
        }
    }

    static func refusedForKeywords(_ result: Result<UInt32?, StoreError>) -> Bool {
        if case .failure(let error) = result { error.category == .keywordLimit } else { false }
    }

    /// The destination folder holds as many keywords as it can and refused messages that bring
    /// new ones (Cyrus: 100 per folder). Those messages go again with only the keywords the
    /// folder already has — the rest are dropped and named — and so does every later message
    /// of the folder, without a refusal each.
    private func appendWithinKeywordLimit(_ outgoing: [OutgoingMessage], results: inout [Result<UInt32?, StoreError>],
                                          to folder: StoreFolder, acceptedKeywords: inout Set<String>?,
                                          dropped: inout Set<String>, report: FolderReport) async throws {
        let held = try await destination.uids(in: folder).definedKeywords ?? []
        acceptedKeywords = held.intersection(acceptedKeywords ?? held)
        let refused = results.indices.filter { Self.refusedForKeywords(results[$0]) }
        var again: [OutgoingMessage] = []
        var newlyDropped = Set<String>()
        for index in refused {
            var message = outgoing[index]
            let kept = FlagSet.accepted(message.flags, keywords: acceptedKeywords)
            newlyDropped.formUnion(kept.dropped)
            message.flags = kept.kept
            again.append(message)
        }
        let text = "the destination folder holds no more keywords (\(held.count) already); copying "
            + "\(refused.count) message\(refused.count == 1 ? "" : "s") without "
            + newlyDropped.sorted().joined(separator: " ")
        log("folder \(report.source): \(text)")
        events.emit(MigrationEvent(.warning, mailbox: sourceKey, folder: report.source, message: text))
        dropped.formUnion(newlyDropped)
        let retried = try await destination.append(to: folder, again)
        for (position, index) in refused.enumerated() where position < retried.count { results[index] = retried[position] }
    }

    /// Replaces flags; when the folder can take no new keyword (`keyword-limit`), again with only
    /// the keywords it holds. Returns the keywords dropped.
    func setFlagsWithinKeywordLimit(_ updates: [FlagChange], in folder: StoreFolder, report: FolderReport)
        async throws -> Set<String>
    {
        do {
            try await destination.setFlags(in: folder, updates)
            return []
        } catch {
            guard error.category == .keywordLimit else { throw error }
        }
        let held = try await destination.uids(in: folder).definedKeywords ?? []
        var dropped = Set<String>()
        var narrowed: [FlagChange] = []
        for update in updates {
            let kept = FlagSet.accepted(update.flags, keywords: held)
            dropped.formUnion(kept.dropped)
            narrowed.append(FlagChange(uid: update.uid, flags: kept.kept))
        }
        let text = "the destination folder holds no more keywords (\(held.count) already); flags updated "
            + "without \(dropped.sorted().joined(separator: " "))"
        log("folder \(report.source): \(text)")
        events.emit(MigrationEvent(.warning, mailbox: sourceKey, folder: report.source, message: text))
        try await destination.setFlags(in: folder, narrowed)
        return dropped
    }

    static func suggestion(for category: FailureCategory) -> String {
        switch category {
        case .tooBig: "the destination refuses messages this large; raise its limit or move the message another way"
        case .rejected: "read the server's words; fix the cause, then run again with --retry-failed"
        case .sourceUnreadable: "the source could not deliver the message; run again with --retry-failed"
        case .overQuota: "free space or raise the destination quota, then run again"
        default: "run again with --retry-failed"
        }
    }
}

/// Paces a copy to `--max-bytes-per-second` / `--max-messages-per-second`.
actor Throttle {
    private let bytesPerSecond: Int64?
    private let messagesPerSecond: Double?
    private let started = ContinuousClock.now
    private var bytes: Int64 = 0
    private var messages = 0

    init(bytesPerSecond: Int64?, messagesPerSecond: Double?) {
        self.bytesPerSecond = bytesPerSecond
        self.messagesPerSecond = messagesPerSecond
    }

    func pace(bytes more: Int64, messages count: Int) async {
        bytes += more
        messages += count
        var needed: Double = 0
        if let bytesPerSecond, bytesPerSecond > 0 { needed = max(needed, Double(bytes) / Double(bytesPerSecond)) }
        if let messagesPerSecond, messagesPerSecond > 0 { needed = max(needed, Double(messages) / messagesPerSecond) }
        let elapsed = started.duration(to: .now)
        let wait = needed - (Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18)
        if wait > 0 { try? await Task.sleep(for: .seconds(wait)) }
    }
}
