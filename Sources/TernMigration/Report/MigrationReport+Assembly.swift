import Foundation
import TernState

extension MigrationReport {
    /// Everything the report is built from: recorded state only.
    public struct Inputs: Sendable {
        public var config: ProjectConfig
        public var inventory: [InventoryObject]
        /// The latest scan per address (`inventory scan`).
        public var scans: [ScanRecord]
        /// The run history: every copy and verification pass.
        public var runs: [RunRecord]
        /// The `mailbox` table's status per source/destination account pair.
        public var syncRecords: [MailboxRecord]
        /// The last checklist evaluation (`reports/checklist.json`), if any.
        public var checklist: ChecklistRecord?
        /// The latest routing outcomes (`reports/routing.json`), if any.
        public var routing: RoutingRecord?
        public var generatedAt: Date

        public init(config: ProjectConfig, inventory: [InventoryObject], scans: [ScanRecord] = [],
                    runs: [RunRecord] = [], syncRecords: [MailboxRecord] = [], checklist: ChecklistRecord? = nil,
                    routing: RoutingRecord? = nil, generatedAt: Date = Date()) {
            self.config = config
            self.inventory = inventory
            self.scans = scans
            self.runs = runs
            self.syncRecords = syncRecords
            self.checklist = checklist
            self.routing = routing
            self.generatedAt = generatedAt
        }
    }

    /// Reads the project's recorded state (no server is asked) and builds the report.
    public static func load(from project: MigrationProject, now: Date = Date()) async throws -> MigrationReport {
        let state = try project.openState()
        return build(Inputs(config: project.config, inventory: try await project.inventory(),
            scans: try await state.scans(), runs: try await state.runs(),
            syncRecords: try await state.mailboxStatuses(), checklist: try ChecklistRecord.load(from: project),
            routing: try RoutingRecord.load(from: project), generatedAt: now))
    }

    public static func build(_ inputs: Inputs) -> MigrationReport {
        let objects = inputs.inventory.filter(\.kind.isMailbox).sorted { $0.address < $1.address }
        let linker = MailboxLinker(objects)

        // Runs per mailbox, oldest first (by start, then as recorded).
        let runs = inputs.runs.enumerated().sorted {
            ($0.element.startedAt, $0.element.id ?? 0, $0.offset) < ($1.element.startedAt, $1.element.id ?? 0, $1.offset)
        }.map(\.element)
        var runsByRow = [[RunRecord]](repeating: [], count: objects.count)
        var unlinked: [UnlinkedRun] = []
        for run in runs {
            switch linker.link(address: run.address, sourceKey: run.sourceKey, destinationKey: run.destinationKey) {
            case .row(let index):
                runsByRow[index].append(run)
            case .unlinked(let reason):
                if let at = unlinked.firstIndex(where: { $0.sourceKey == run.sourceKey
                    && $0.destinationKey == run.destinationKey }) {
                    unlinked[at].runs += 1
                    unlinked[at].lastFinishedAt = max(unlinked[at].lastFinishedAt, run.finishedAt)
                } else {
                    unlinked.append(UnlinkedRun(sourceKey: run.sourceKey, destinationKey: run.destinationKey, runs: 1,
                        lastFinishedAt: run.finishedAt, reason: reason))
                }
            }
        }
        // The latest sync state per mailbox (several account pairs can point at one mailbox).
        var syncByRow = [MailboxRecord?](repeating: nil, count: objects.count)
        for record in inputs.syncRecords {
            guard case .row(let index) = linker.link(address: nil, sourceKey: record.source,
                                                      destinationKey: record.destination) else { continue }
            if let current = syncByRow[index], (current.updatedAt ?? .distantPast) > (record.updatedAt ?? .distantPast) {
                continue
            }
            syncByRow[index] = record
        }
        let scans = Dictionary(inputs.scans.map { ($0.address, $0) },
                               uniquingKeysWith: { $0.scannedAt > $1.scannedAt ? $0 : $1 })

        let rows = objects.indices.map { index in
            mailboxRow(objects[index], scan: scans[objects[index].address], runs: runsByRow[index], sync: syncByRow[index])
        }
        let checklist = ChecklistSection(evaluatedAt: inputs.checklist?.evaluatedAt,
            passed: inputs.checklist?.report.passed, items: inputs.checklist?.report.items ?? [])
        let routingRows = routing(inputs.inventory, checklist: inputs.checklist, record: inputs.routing)
        return MigrationReport(
            version: 1, generatedAt: inputs.generatedAt,
            project: ProjectSummary(from: inputs.config.from, to: inputs.config.to, domains: inputs.config.domains,
                created: inputs.config.created),
            inventory: inventorySummary(inputs.inventory),
            totals: totals(rows),
            mailboxes: rows,
            waves: waves(rows, runs: runsByRow),
            routing: routingRows,
            checklist: checklist,
            attention: attention(rows, inventory: inputs.inventory, checklist: checklist),
            unlinkedRuns: unlinked.sorted { $0.sourceKey < $1.sourceKey })
    }

    // MARK: - Mailboxes

    static func mailboxRow(_ object: InventoryObject, scan: ScanRecord?, runs: [RunRecord], sync: MailboxRecord?)
        -> MailboxRow {
        let copies = runs.filter { $0.kind == .sync }
        let lastCopy = copies.last
        let lastVerify = runs.last { $0.kind == .verify }
        return MailboxRow(
            kind: object.kind, address: object.address, destination: object.destinationAddress, wave: object.wave,
            inventoryStatus: object.status, sizeBytes: object.sizeBytes,
            scan: scan.map { MailboxRow.ScanFact(status: $0.status, messages: $0.messages, sizeBytes: $0.sizeBytes,
                error: $0.error, scannedAt: $0.scannedAt) },
            lastCopy: lastCopy.map(fact),
            totals: MailboxRow.RunTotals(copyRuns: copies.count, copied: copies.reduce(0) { $0 + $1.copied },
                bytes: copies.reduce(0) { $0 + $1.bytes }, verifyRuns: runs.count { $0.kind == .verify }),
            verification: lastVerify?.status ?? "never",
            lastVerification: lastVerify.map(fact),
            sync: sync.map {
                MailboxRow.SyncFact(status: $0.status.rawValue, error: $0.lastError, updatedAt: $0.updatedAt)
            },
            state: state(object.status, lastCopy: lastCopy, lastVerify: lastVerify, sync: sync))
    }

    static func fact(_ run: RunRecord) -> MailboxRow.RunFact {
        MailboxRow.RunFact(startedAt: run.startedAt, finishedAt: run.finishedAt, status: run.status, wave: run.wave,
            sourceMessages: run.sourceMessages, copied: run.copied, bytes: run.bytes, failed: run.failed,
            error: run.error)
    }

    /// The overall state: the latest copy decides, a verification after it refines "copied",
    /// and a sync state marked running after the latest copy means one is running or was killed.
    /// Without any recorded copy (state from before the run history), the sync status stands in.
    static func state(_ status: InventoryObject.Status, lastCopy: RunRecord?, lastVerify: RunRecord?,
                      sync: MailboxRecord?) -> MailboxState {
        if status == .skipped { return .skipped }
        if let sync, sync.status == .running,
           (sync.updatedAt ?? .distantFuture) > (lastCopy?.finishedAt ?? .distantPast) {
            return .inProgress
        }
        var copyStatus = lastCopy?.status
        var copyTime = lastCopy?.finishedAt
        if lastCopy == nil, let sync, sync.status != .pending, sync.status != .running {
            copyStatus = sync.status.rawValue
            copyTime = sync.updatedAt
        }
        // A verification counts only if it ran after the latest copy.
        var verifiedSince = lastVerify
        if let verify = lastVerify, let copyTime, verify.finishedAt < copyTime { verifiedSince = nil }
        switch copyStatus {
        case "failed": return .failed
        case "partial": return .partial
        case "done":
            switch verifiedSince?.status {
            case "match": return .verified
            case "mismatch": return .mismatch
            default: return .preStaged
            }
        default:
            // Copied by other means and verified by Tern, or nothing yet.
            switch verifiedSince?.status {
            case "match": return .verified
            case "mismatch": return .mismatch
            default: return .notStarted
            }
        }
    }

    static func totals(_ rows: [MailboxRow]) -> MailboxTotals {
        let scanned = rows.compactMap { $0.scan?.status == "ok" ? $0.scan : nil }
        return MailboxTotals(
            mailboxes: rows.count,
            byState: MailboxState.allCases.map { state in
                StateCount(state: state, count: rows.count { $0.state == state })
            },
            scanned: scanned.count,
            scannedBytes: scanned.reduce(0) { $0 + ($1.sizeBytes ?? 0) },
            scannedMessages: scanned.reduce(0) { $0 + ($1.messages ?? 0) },
            copyRuns: rows.reduce(0) { $0 + $1.totals.copyRuns },
            verifyRuns: rows.reduce(0) { $0 + $1.totals.verifyRuns },
            copiedMessages: rows.reduce(0) { $0 + $1.totals.copied },
            copiedBytes: rows.reduce(0) { $0 + $1.totals.bytes })
    }

    // MARK: - Waves

    /// The planned waves (pilot, pre-stage, then any other name), mailboxes without a wave,
    /// and `final` once a wave is planned or a final pass ran. Skipped mailboxes take no part.
    static func waves(_ rows: [MailboxRow], runs: [[RunRecord]]) -> [WaveProgress] {
        let active = rows.indices.filter { rows[$0].state != .skipped }
        let known = [Wave.pilot.rawValue, Wave.preStage.rawValue]
        let planned = Set(active.compactMap { rows[$0].wave })
        let others = planned.subtracting(known).subtracting([Wave.final.rawValue]).sorted()
        let names = known.filter(planned.contains) + others
        var result: [WaveProgress] = names.map { name in
            progress(wave: name, active.filter { rows[$0].wave == name }, rows: rows, runs: runs)
        }
        let unplanned = active.filter { rows[$0].wave == nil || rows[$0].wave == Wave.final.rawValue }
        if !unplanned.isEmpty { result.append(progress(wave: nil, unplanned, rows: rows, runs: runs)) }
        let finalRan = active.contains { runs[$0].contains { $0.wave == Wave.final.rawValue } }
        if !names.isEmpty || finalRan { result.append(finalProgress(active, rows: rows, runs: runs)) }
        return result
    }

    static func progress(wave: String?, _ members: [Int], rows: [MailboxRow], runs: [[RunRecord]]) -> WaveProgress {
        let states = members.map { rows[$0].state }
        return WaveProgress(
            wave: wave, mailboxes: members.count,
            copied: states.count(where: \.copied),
            verified: states.count { $0 == .verified },
            failed: states.count { $0 == .failed || $0 == .partial || $0 == .mismatch },
            inProgress: states.count { $0 == .inProgress },
            notStarted: states.count { $0 == .notStarted },
            scannedBytes: members.reduce(0) { $0 + scannedBytes(rows[$1]) },
            copiedBytes: members.reduce(0) { $0 + rows[$1].totals.bytes },
            lastActivity: members.compactMap { runs[$0].map(\.finishedAt).max() }.max())
    }

    /// Everyone's delta pass: each mailbox by its latest copy made in the final wave.
    static func finalProgress(_ members: [Int], rows: [MailboxRow], runs: [[RunRecord]]) -> WaveProgress {
        var progress = WaveProgress(wave: Wave.final.rawValue, mailboxes: members.count, copied: 0, verified: 0,
            failed: 0, inProgress: 0, notStarted: 0, scannedBytes: 0, copiedBytes: 0, lastActivity: nil)
        for index in members {
            let final = runs[index].filter { $0.wave == Wave.final.rawValue }
            progress.scannedBytes += scannedBytes(rows[index])
            progress.copiedBytes += final.filter { $0.kind == .sync }.reduce(0) { $0 + $1.bytes }
            progress.lastActivity = [progress.lastActivity, final.map(\.finishedAt).max()].compactMap { $0 }.max()
            guard let copy = final.last(where: { $0.kind == .sync }) else {
                progress.notStarted += 1
                continue
            }
            let verify = final.last { $0.kind == .verify && $0.finishedAt >= copy.finishedAt }
            if copy.status == "done" && verify?.status != "mismatch" {
                progress.copied += 1
                if verify?.status == "match" { progress.verified += 1 }
            } else {
                if copy.status == "done" { progress.copied += 1 }
                progress.failed += 1
            }
        }
        return progress
    }

    static func scannedBytes(_ row: MailboxRow) -> Int64 {
        row.scan?.status == "ok" ? row.scan?.sizeBytes ?? 0 : 0
    }
}
