import Foundation
import TernCore
import TernSync

/// The final per-folder table and summary of `sync` and `batch`.
enum SyncRenderer {
    static func text(_ report: MailboxReport, dryRun: Bool) -> String {
        var out = "\(report.source) → \(report.destination)\(dryRun ? " (dry run: nothing was changed)" : "")\n"
        let rows = report.folders.map { folder -> [String] in
            let counts = folder.counts
            return [folder.source, folder.destination, String(counts.source), String(counts.copied),
                    String(counts.alreadyPresent), String(counts.filtered), String(counts.failed),
                    String(counts.flagsUpdated), String(counts.bytes), String(format: "%.2f", folder.seconds),
                    folder.outcome.hasPrefix("copied") ? "" : folder.outcome]
        }
        let totals = report.totals
        let footer = ["Total", "", String(totals.source), String(totals.copied), String(totals.alreadyPresent),
                      String(totals.filtered), String(totals.failed), String(totals.flagsUpdated), String(totals.bytes),
                      String(format: "%.2f", report.seconds), ""]
        out += ProbeRenderer.table(
            header: ["Folder", "Destination", "Source", dryRun ? "To copy" : "Copied", "Present", "Filtered", "Failed",
                     "Flags", "Bytes", "Seconds", "Note"],
            rows: rows + [footer], rightAligned: [2, 3, 4, 5, 6, 7, 8, 9])
        if !report.failuresByCategory.isEmpty {
            let list = report.failuresByCategory.sorted { $0.key < $1.key }.map { "\($0.value) \($0.key)" }
            out += "Failed messages: \(list.joined(separator: ", ")) — recorded in the failure ledger; "
                + "fix the cause and run again with --retry-failed\n"
            for (category, first) in report.firstFailures.sorted(by: { $0.key < $1.key }) {
                out += "  first \(category): \(first)\n"
            }
        }
        for folder in report.folders where folder.failed {
            out += "Folder FAILED: \(folder.source): \(folder.outcome.dropFirst("failed: ".count))\n"
        }
        if let error = report.error { out += "Mailbox FAILED: \(error)\n" }
        return out
    }

    static func batchSummary(_ reports: [MailboxReport]) -> String {
        let rows = reports.map { report -> [String] in
            let totals = report.totals
            let messages = report.failuresByCategory.values.reduce(0, +)
            let problems = (messages > 0 ? ["\(messages) failed"] : [])
                + (report.failedFolders.isEmpty ? [] : ["folders failed: \(report.failedFolders.joined(separator: ", "))"])
            let outcome = report.error.map { "failed: \($0)" }
                ?? (problems.isEmpty ? "ok" : "partial: \(problems.joined(separator: "; "))")
            return [report.source, report.destination, String(totals.source), String(totals.copied),
                    String(totals.alreadyPresent), String(totals.failed), String(format: "%.1f", report.seconds), outcome]
        }
        return ProbeRenderer.table(
            header: ["Source", "Destination", "Messages", "Copied", "Present", "Failed", "Seconds", "Outcome"],
            rows: rows, rightAligned: [2, 3, 4, 5, 6])
    }
}

/// The last `--json` line of `sync` and `batch`.
struct RunSummary: Encodable {
    var kind = "summary"
    var mailboxes: [MailboxReport]
    var totals: MigrationEvent.Counts
    var exitCode: Int32
}
