import Foundation
import TernCore
import TernState

/// Moves one mailbox from a source store to a destination store: plans the folders, then
/// copies each folder's new messages, adopts copies already there, synchronises flags, and
/// records everything in the state store so any re-run, resume or delta pass leaves exactly
/// one copy of each message.
///
/// Failures are handled by scope: a message failure goes to the ledger and the folder goes
/// on; a folder failure skips that folder; a connection failure reconnects (with back-off or
/// the server's hint) and resumes from state; a mailbox failure stops this mailbox only.
public struct MailboxSync: Sendable {
    public let source: any MailStore
    public let destination: any MailStore
    public let state: any StateStore
    public let rules: any Rules
    public let events: any EventSink
    public let options: SyncOptions
    /// Keys identifying the pair in state, e.g. "alice@imap.old:993".
    public let sourceKey: String
    public let destinationKey: String
    /// One line per folder and per error, for the mailbox's log file.
    public let log: @Sendable (String) -> Void

    public init(source: any MailStore, destination: any MailStore, state: any StateStore, rules: any Rules = NoRules(),
                events: any EventSink, options: SyncOptions, sourceKey: String, destinationKey: String,
                log: @escaping @Sendable (String) -> Void = { _ in }) {
        self.source = GmailLabelView(base: source, mode: options.gmailLabels, rules: rules,
            memory: Self.placementMemory(state: state, sourceKey: sourceKey, destinationKey: destinationKey))
        self.destination = destination
        self.state = state
        self.rules = rules
        self.events = events
        self.options = options
        self.sourceKey = sourceKey
        self.destinationKey = destinationKey
        self.log = log
    }

    public func run() async -> MailboxReport {
        let started = Date()
        events.emit(MigrationEvent(.mailboxStarted, mailbox: sourceKey))
        log("mailbox \(sourceKey) → \(destinationKey): started\(options.dryRun ? " (dry run)" : "")")
        var reports: [String: FolderReport] = [:]
        var order: [String] = []
        var failure: String?
        var category: FailureCategory?
        var mailboxID: Int64?
        do {
            let id = try await state.mailboxID(source: sourceKey, destination: destinationKey)
            mailboxID = id
            // Still "running" in state: the last run ended without a word (killed, crashed).
            let unclean = try await state.mailboxStatuses().first { $0.id == id }?.status == .running
            if unclean { log("the last run of this mailbox did not finish; letting the destination settle first") }
            if !options.dryRun { try await state.setMailboxStatus(id, .running, error: nil) }
            var context = try RunContext(mailboxID: id, planner: FolderPlanner(options: options.folders))
            context.settleDestination = unclean
            context.fetchWindow = BatchWindow(maxBytes: options.batchBytes, maxCount: options.batchMessages)
            context.appendWindow = context.fetchWindow
            var budget = ReconnectBudget(limit: options.maxReconnects, backoffSeconds: options.backoffSeconds)
            while true {
                do {
                    try await pass(&context, reports: &reports, order: &order)
                    break
                } catch let error as StoreError where error.scope == .connection {
                    var hint: Double?
                    if case .later(let seconds?) = error.retry { hint = seconds }
                    switch budget.afterFailure(progress: context.progress, shrinks: context.batchShrinks,
                                               serverHint: hint) {
                    case .giveUp(let reason):
                        log("connection lost (\(error.message)); giving up: \(reason)")
                        throw StoreError(scope: error.scope, retry: error.retry, category: error.category,
                            message: "\(error.message) (\(reason))", serverText: error.serverText)
                    case .reconnect(let delay, let reason):
                        log("connection lost (\(error.message)); reconnecting in \(String(format: "%.1f", delay)) s "
                            + "(\(reason)); next batches: \(context.fetchWindow.count) messages to fetch, "
                            + "\(context.appendWindow.count) to append")
                        events.emit(MigrationEvent(.warning, mailbox: sourceKey,
                            message: "reconnecting: \(error.message) (\(reason))"))
                        await source.close()
                        await destination.close()
                        if delay > 0 { try? await Task.sleep(for: .seconds(delay)) }
                    }
                }
            }
        } catch let error as StoreError {
            (failure, category) = (error.message, error.category)
        } catch let error as ScriptError {
            (failure, category) = ("a folder rule failed: \(error)", .script)
        } catch let error as StateError {
            (failure, category) = (error.message, .state)
        } catch let error as PlanError {
            (failure, category) = (error.message, .usage)
        } catch let error as SyncAbort {
            (failure, category) = (error.message, .maxErrors)
        } catch let error as SyncStopped {
            (failure, category) = ("stopped: \(error.reason)", .hookError)
        } catch {
            (failure, category) = ("\(error)", .other)
        }
        await source.close()
        await destination.close()

        var byCategory: [String: Int] = [:]
        var firstFailures: [String: String] = [:]
        if let mailboxID, let ledger = try? await state.failures(mailbox: mailboxID) {
            for entry in ledger {
                byCategory[entry.category.rawValue, default: 0] += 1
                if firstFailures[entry.category.rawValue] == nil {
                    // Reports are keyed by the source's raw name, as the ledger is.
                    let folder = entry.folderName.flatMap { reports[$0]?.source } ?? entry.folderName ?? "?"
                    firstFailures[entry.category.rawValue] = "\(folder) UID \(entry.sourceUID): \(entry.message)"
                        + (entry.serverText.map { " (server: \($0))" } ?? "")
                }
            }
        }
        var report = MailboxReport(
            source: sourceKey, destination: destinationKey, folders: order.compactMap { reports[$0] },
            failuresByCategory: byCategory, error: failure, errorCategory: category,
            seconds: Date().timeIntervalSince(started))
        report.firstFailures = firstFailures
        let folderFailures = report.folders.filter(\.failed).map { "\($0.source) (\($0.outcome))" }
        let folderProblem = folderFailures.isEmpty ? nil
            : "\(folderFailures.count) folder\(folderFailures.count == 1 ? "" : "s") failed: "
                + folderFailures.joined(separator: "; ")
        if let mailboxID, !options.dryRun {
            let status: MailboxStatus = failure != nil ? .failed : (report.succeeded ? .done : .partial)
            try? await state.setMailboxStatus(mailboxID, status, error: failure ?? folderProblem)
        }
        if let failure {
            log("mailbox failed: \(failure)")
            events.emit(MigrationEvent(.mailboxFailed, mailbox: sourceKey, counts: report.totals, message: failure,
                seconds: report.seconds))
        } else {
            let totals = report.totals
            log("mailbox done: \(totals.source) source messages, \(totals.copied) copied, "
                + "\(totals.alreadyPresent) already present, \(totals.filtered) filtered, \(totals.failed) failed"
                + (folderProblem.map { "; \($0)" } ?? ""))
            events.emit(MigrationEvent(.mailboxFinished, mailbox: sourceKey, counts: totals, message: folderProblem,
                seconds: report.seconds))
        }
        return report
    }

    struct RunContext {
        var mailboxID: Int64
        var planner: FolderPlanner
        var failedMessages = 0
        var sourceInfo: StoreInfo?
        var destinationInfo: StoreInfo?
        /// The last run was killed: its server session may still be storing APPENDs it had
        /// received, so wait until each destination folder stops growing before looking. (After a
        /// reconnect only the folder whose APPENDs were cut is waited for: `mustSettle`.)
        var settleDestination = false
        /// Per folder ID: source UID → bytes of messages sent in an APPEND the server has not
        /// confirmed yet. After a cut, a copy found for one of them was made by this run, and
        /// the folder is let settle first (the broken session may still be storing them).
        var unconfirmedAppends: [Int64: [UInt32: Int64]] = [:]
        /// How large the next FETCH and APPEND batches may be (they shrink under cuts).
        var fetchWindow = BatchWindow(maxBytes: 1, maxCount: 1)
        var appendWindow = BatchWindow(maxBytes: 1, maxCount: 1)
        /// Messages stored, adopted, settled in the ledger or flag-updated, and folders finished,
        /// so far in this run: an attempt that raised it made progress.
        var progress = 0
        /// Cut batches of more than one message halved so far (an attempt that did so changed
        /// what the next one sends).
        var batchShrinks = 0
        /// "folderID:uid" → how often the link was cut while that message travelled alone.
        var loneCuts: [String: Int] = [:]
        /// Folders where the source listed a message it then did not deliver: their marks are
        /// not saved, so the next run looks at them again rather than taking them as unchanged.
        var undelivered: Set<Int64> = []

        /// Whether a folder's destination may still be growing from a session that is gone.
        func mustSettle(folderID: Int64?) -> Bool {
            settleDestination || !(folderID.flatMap { unconfirmedAppends[$0] }?.isEmpty ?? true)
        }
    }

    /// One attempt over every folder; folders finished in an earlier attempt are not redone.
    /// Each folder has one report whatever happened: a folder redone after a reconnect (or after
    /// failing) keeps what its earlier attempts copied, so the totals are what reached the
    /// destination, counted once.
    private func pass(_ context: inout RunContext, reports: inout [String: FolderReport], order: inout [String])
        async throws
    {
        context.sourceInfo = try await source.open()
        context.destinationInfo = try await destination.open()
        let sourceFolders = try await source.folders()
        let destinationFolders = try await destination.folders()
        let plan = try await context.planner.plan(source: sourceFolders, destination: destinationFolders, rules: rules)
        for skip in plan.skipped where reports[skip.source.raw] == nil {
            log("folder \(skip.source.portableName): skipped, \(skip.reason)")
            order.append(skip.source.raw)
            reports[skip.source.raw] = FolderReport(source: skip.source.portableName, destination: "",
                counts: .init(), seconds: 0, outcome: "skipped: \(skip.reason)", droppedKeywords: [])
        }
        for collision in plan.collisions {
            log("warning: folders merge into one destination folder: \(collision)")
            events.emit(MigrationEvent(.warning, mailbox: sourceKey, message: "folders merge: \(collision)"))
        }
        for planned in plan.pairs {
            try checkStop()
            let earlier = reports[planned.source.raw]
            if let earlier, !earlier.failed { continue }
            let pair = planned.resolved(record: try await state.folder(mailbox: context.mailboxID,
                sourceName: planned.source.raw), destination: destinationFolders)
            // One row per folder: an attempt cut short stores its report before it rethrows.
            if earlier == nil && !order.contains(pair.source.raw) { order.append(pair.source.raw) }
            let started = Date()
            var report = FolderReport(source: pair.source.portableName,
                destination: pair.destinationPath.joined(separator: "/"), counts: .init(), seconds: 0,
                outcome: "copied", droppedKeywords: [])
            do {
                try await syncFolder(pair, into: &report, context: &context)
            } catch let error as StoreError where error.scope == .folder || error.scope == .message {
                report.fail(error.category, error.message)
                events.emit(MigrationEvent(.warning, mailbox: sourceKey, folder: pair.source.portableName,
                    message: error.message))
            } catch {
                // The connection broke or the mailbox stops: keep what this attempt copied. A
                // reconnect redoes the folder; otherwise it stays in the summary as failed.
                report.fail(Self.category(of: error), "interrupted (\(Self.describe(error)))")
                report.seconds = Date().timeIntervalSince(started)
                reports[pair.source.raw] = report.adding(earlier)
                throw error
            }
            report.seconds = Date().timeIntervalSince(started)
            report = report.adding(earlier)
            reports[pair.source.raw] = report
            // A failed folder is tried again after a reconnect: finishing it that way is no progress.
            if !report.failed { context.progress += 1 }
            let counts = report.counts
            log("folder \(report.source) → \(report.destination): \(report.outcome); source \(counts.source), "
                + "copied \(counts.copied), already present \(counts.alreadyPresent), filtered \(counts.filtered), "
                + "failed \(counts.failed), flags updated \(counts.flagsUpdated), deleted \(counts.deleted), "
                + "\(counts.bytes) bytes, \(String(format: "%.2f", report.seconds)) s"
                + (report.droppedKeywords.isEmpty ? "" : "; \(report.droppedKeywords.count) keyword"
                    + "\(report.droppedKeywords.count == 1 ? "" : "s") dropped: \(report.droppedKeywords.joined(separator: " "))"))
            events.emit(MigrationEvent(.folderDone, mailbox: sourceKey, folder: report.source, counts: counts,
                message: report.outcome, seconds: report.seconds))
        }
        if let view = source as? GmailLabelView, let placed = await view.summary() {
            log("Gmail: \(placed.messages) messages of All Mail placed as \(placed.copies) copies "
                + "(--gmail-labels \(options.gmailLabels.rawValue)): "
                + placed.byFolder.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", "))
        }
    }

    /// Where earlier runs placed each Gmail message (`GmailLabelView`): the view folders' records
    /// whose source UIDVALIDITY is All Mail's (or not yet saved, after an interrupted first pass).
    static func placementMemory(state: any StateStore, sourceKey: String, destinationKey: String)
        -> GmailLabelView.PlacementMemory
    {
        { folders, uidValidity in
            let mailbox = try await state.mailboxID(source: sourceKey, destination: destinationKey)
            var placed: [UInt32: String] = [:]
            for raw in folders.sorted() {
                guard let record = try await state.folder(mailbox: mailbox, sourceName: raw), let id = record.id,
                      record.sourceUIDValidity == nil || record.sourceUIDValidity == uidValidity
                else { continue }
                for uid in try await state.messages(folder: id).keys where placed[uid] == nil { placed[uid] = raw }
            }
            return placed
        }
    }

    /// The failure category of whatever stopped a folder.
    static func category(of error: any Error) -> FailureCategory {
        switch error {
        case let error as StoreError: error.category
        case is ScriptError: .script
        case is StateError: .state
        case is SyncAbort: .maxErrors
        case is SyncStopped: .hookError
        default: .other
        }
    }

    static func describe(_ error: any Error) -> String {
        switch error {
        case let error as StoreError: error.message
        case let error as StateError: error.message
        case let error as SyncAbort: error.message
        default: "\(error)"
        }
    }
}

/// Stops a mailbox on purpose (too many failures).
struct SyncAbort: Error {
    var message: String
}

/// The run was asked to stop (`RunStop`, a hook's `tern.fatal`).
struct SyncStopped: Error {
    var reason: String
}

extension MailboxSync {
    /// Ends this mailbox's pass when the run was asked to stop.
    func checkStop() throws(SyncStopped) {
        if let reason = options.stop?.reason { throw SyncStopped(reason: reason) }
    }
}
