import Foundation
import TernCore

/// How the report words its values: UTC times, binary byte units, plain counts.
extension ReportDocument {
    /// "2026-12-01 10:00 UTC", or "—" for a fact never recorded.
    static func date(_ date: Date?) -> String {
        date.map(WavePlanner.formatDate) ?? "—"
    }

    static func bytes(_ bytes: Int64) -> String { ByteCount.format(bytes) }

    static func count(_ count: Int, _ one: String, _ many: String) -> String {
        "\(count) \(count == 1 ? one : many)"
    }

    /// " (a, b)", or nothing for no parts.
    static func parenthesized(_ parts: [String]) -> String {
        parts.isEmpty ? "" : " (" + parts.joined(separator: ", ") + ")"
    }

    static func scan(_ row: MailboxRow) -> String {
        guard let scan = row.scan else { return "never" }
        guard scan.status == "ok" else { return "failed (\(date(scan.scannedAt)))" }
        let messages = scan.messages.map { count($0, "message", "messages") } ?? "? messages"
        return "\(messages), \(scan.sizeBytes.map(bytes) ?? "size unknown") (\(date(scan.scannedAt)))"
    }

    static func lastCopy(_ run: MailboxRow.RunFact?) -> String {
        guard let run else { return "never" }
        var text = "\(run.status) \(date(run.finishedAt))"
        if let wave = run.wave { text += " (\(wave))" }
        text += ": \(run.copied) copied, \(bytes(run.bytes))"
        if run.failed > 0 { text += ", \(run.failed) failed" }
        if let error = run.error { text += " — \(error)" }
        return text
    }

    static func verification(_ row: MailboxRow) -> String {
        guard let run = row.lastVerification else { return "never" }
        var text = "\(run.status) \(date(run.finishedAt))"
        if run.status == "mismatch" { text += ": " + count(run.failed, "difference", "differences") }
        if let error = run.error { text += " — \(error)" }
        if let copy = row.lastCopy, copy.finishedAt > run.finishedAt { text += " (before the last copy)" }
        return text
    }

    static func targets(_ row: RoutingRow) -> String {
        switch row.action {
        case .reject: return "reject" + (row.actionText.map { ": " + $0 } ?? "")
        case .discard: return "discard"
        case .deliver:
            let targets = row.targets.isEmpty ? "—" : row.targets.joined(separator: ", ")
            return row.keepCopy ? "\(targets) (keeps a copy)" : targets
        }
    }

    static func checklistCell(_ checklist: ChecklistSection) -> Cell {
        guard let evaluated = checklist.evaluatedAt else { return Cell("not evaluated yet (tern checklist)", .warn) }
        let counts = Dictionary(grouping: checklist.items, by: \.status).mapValues(\.count)
        let passed = checklist.passed ?? true
        return Cell((passed ? "nothing fails" : "fails") + " — \(counts[.ok] ?? 0) ok, \(counts[.fail] ?? 0) fail, "
            + "\(counts[.manual] ?? 0) manual (evaluated \(date(evaluated)))", passed ? .good : .bad)
    }

    static func tone(_ state: MailboxState) -> Tone {
        switch state {
        case .verified: .good
        case .preStaged: .plain
        case .failed, .partial, .mismatch: .bad
        case .inProgress: .warn
        case .notStarted, .skipped: .plain
        }
    }

    static func tone(_ status: RoutingRow.DestinationStatus) -> Tone {
        switch status {
        case .verified: .good
        case .missing, .failed: .bad
        case .review, .manual: .warn
        case .created, .notChecked, .skipped: .plain
        }
    }

    static func copyTone(_ status: String?) -> Tone {
        switch status {
        case "done": .plain
        case "failed", "partial": .bad
        default: .plain
        }
    }
}
