import Foundation
import TernCore

/// The report's readable content — headings, facts, tables of plain text — laid out once, so
/// the Markdown and HTML renderers say the same words and differ only in markup and escaping.
struct ReportDocument {
    enum Tone: String { case plain, good, warn, bad }

    struct Cell: ExpressibleByStringLiteral {
        var text: String
        var tone: Tone
        init(_ text: String, _ tone: Tone = .plain) {
            self.text = text
            self.tone = tone
        }
        init(stringLiteral value: String) { self.init(value) }
    }

    enum Block {
        case heading(String)
        case paragraph(String)
        /// Label and value pairs (a definition list).
        case facts([(label: String, value: Cell)])
        case table(headers: [String], rows: [[Cell]])
    }

    var title: String
    var blocks: [Block] = []

    init(_ report: MigrationReport) {
        title = "Migration report: " + (report.project.domains.isEmpty ? "project"
            : report.project.domains.joined(separator: ", "))
        blocks.append(.paragraph("Generated \(Self.date(report.generatedAt)) from the project's recorded state; "
            + "no server was contacted. Each fact shows when it was recorded."))
        blocks.append(.facts([
            ("From", Cell(report.project.from)), ("To", Cell(report.project.to)),
            ("Domains", Cell(report.project.domains.joined(separator: ", "))),
            ("Project created", Cell(Self.date(report.project.created))),
        ]))
        summary(report)
        attention(report)
        mailboxes(report)
        waves(report)
        routing(report)
        inventory(report)
        checklist(report)
        unlinked(report)
    }

    // MARK: - Sections

    mutating func summary(_ report: MigrationReport) {
        let totals = report.totals
        let states = totals.byState.filter { $0.count > 0 }.map { "\($0.count) \($0.state.label)" }
        let routingStates = Dictionary(grouping: report.routing, by: \.destinationStatus)
        let routing = [RoutingRow.DestinationStatus.verified, .missing, .failed, .manual, .review, .notChecked, .skipped]
            .compactMap { status in routingStates[status].map { "\($0.count) \(status.label)" } }
        let failing = totals.byState.contains { [.failed, .partial, .mismatch].contains($0.state) && $0.count > 0 }
        blocks.append(.heading("Summary"))
        blocks.append(.facts([
            ("Mailboxes", Cell("\(totals.mailboxes)" + Self.parenthesized(states), failing ? .bad : .plain)),
            ("Copied", Cell("\(totals.copiedMessages) messages, \(Self.bytes(totals.copiedBytes)) in "
                + Self.count(totals.copyRuns, "copy pass", "copy passes") + "; "
                + Self.count(totals.verifyRuns, "verification", "verifications"))),
            ("Scanned at the source", Cell("\(totals.scanned) of \(totals.mailboxes) mailboxes, "
                + "\(totals.scannedMessages) messages, \(Self.bytes(totals.scannedBytes))")),
            ("Routing objects", Cell("\(report.routing.count)" + Self.parenthesized(routing))),
            ("Checklist", Self.checklistCell(report.checklist)),
            ("Needs attention", Cell(report.attention.isEmpty ? "nothing"
                : Self.count(report.attention.count, "item", "items"), report.attention.isEmpty ? .good : .warn)),
        ]))
    }

    mutating func attention(_ report: MigrationReport) {
        blocks.append(.heading("Needs attention"))
        guard !report.attention.isEmpty else {
            blocks.append(.paragraph("Nothing needs attention."))
            return
        }
        blocks.append(.table(headers: ["What", "Subject", "Detail", "Recorded"], rows: report.attention.map { item in
            [Cell(item.kind.label, item.kind == .review || item.kind == .neverScanned ? .warn : .bad),
             Cell(item.subject), Cell(item.detail), Cell(Self.date(item.recordedAt))]
        }))
    }

    mutating func mailboxes(_ report: MigrationReport) {
        blocks.append(.heading("Mailboxes"))
        guard !report.mailboxes.isEmpty else {
            blocks.append(.paragraph("The inventory has no mailboxes: tern inventory import FILE --format FORMAT."))
            return
        }
        blocks.append(.table(
            headers: ["Mailbox", "Destination", "Wave", "State", "Scanned", "Last copy", "All copies", "Last verification"],
            rows: report.mailboxes.map { row in
                [Cell(row.address + (row.kind == .shared ? " (shared)" : "")), Cell(row.destination),
                 Cell(row.wave ?? "—"), Cell(row.state.label, Self.tone(row.state)), Cell(Self.scan(row)),
                 Cell(Self.lastCopy(row.lastCopy), Self.copyTone(row.lastCopy?.status)),
                 Cell(row.totals.copyRuns == 0 ? "—" : "\(row.totals.copied) messages, \(Self.bytes(row.totals.bytes)) in "
                    + Self.count(row.totals.copyRuns, "pass", "passes")),
                 Cell(Self.verification(row), row.verification == "match" ? .good
                    : row.verification == "never" ? .plain : .bad)]
            }))
    }

    mutating func waves(_ report: MigrationReport) {
        blocks.append(.heading("Waves"))
        guard !report.waves.isEmpty else {
            blocks.append(.paragraph("No waves planned yet: tern plan waves."))
            return
        }
        blocks.append(.table(
            headers: ["Wave", "Mailboxes", "Copied", "Verified", "Failed", "Running", "Not started", "Scanned size",
                      "Copied size", "Last activity"],
            rows: report.waves.map { wave in
                [Cell(wave.wave ?? "no wave planned"), Cell("\(wave.mailboxes)"),
                 Cell("\(wave.copied)", wave.mailboxes > 0 && wave.copied == wave.mailboxes ? .good : .plain),
                 Cell("\(wave.verified)"), Cell("\(wave.failed)", wave.failed > 0 ? .bad : .plain),
                 Cell("\(wave.inProgress)", wave.inProgress > 0 ? .warn : .plain), Cell("\(wave.notStarted)"),
                 Cell(Self.bytes(wave.scannedBytes)), Cell(Self.bytes(wave.copiedBytes)),
                 Cell(Self.date(wave.lastActivity))]
            }))
        if report.waves.contains(where: { $0.wave == Wave.final.rawValue }) {
            blocks.append(.paragraph("final is everyone's delta pass at cutover: it counts only copies made in the "
                + "final wave."))
        }
    }

    mutating func routing(_ report: MigrationReport) {
        blocks.append(.heading("Routing: aliases, groups, forwarders, catch-all"))
        guard !report.routing.isEmpty else {
            blocks.append(.paragraph("The inventory has no routing objects."))
            return
        }
        blocks.append(.table(headers: ["Kind", "Address", "Targets at the destination", "At the destination", "Detail",
                                       "Checked"],
            rows: report.routing.map { row in
                [Cell(row.kind.rawValue),
                 Cell(row.address + (row.destinationAddress == row.address ? "" : " → " + row.destinationAddress)),
                 Cell(Self.targets(row)), Cell(row.destinationStatus.label, Self.tone(row.destinationStatus)),
                 Cell(row.detail), Cell(Self.date(row.checkedAt))]
            }))
    }

    mutating func inventory(_ report: MigrationReport) {
        blocks.append(.heading("Inventory"))
        blocks.append(.table(headers: ["Kind", "Objects", "Planned", "Review", "Skipped"],
            rows: report.inventory.byKind.map { count in
                [Cell(count.kind.rawValue), Cell("\(count.total)"), Cell("\(count.planned)"),
                 Cell("\(count.review)", count.review > 0 ? .warn : .plain), Cell("\(count.skipped)")]
            } + [[Cell("all"), Cell("\(report.inventory.objects)"), "", "", ""]]))
        guard !report.inventory.review.isEmpty else { return }
        blocks.append(.paragraph("To review before cutover:"))
        blocks.append(.table(headers: ["Kind", "Address", "Notes", "From"], rows: report.inventory.review.map { object in
            [Cell(object.kind.rawValue), Cell(object.address, .warn),
             Cell(object.notes.isEmpty ? "—" : object.notes.joined(separator: "; ")),
             Cell(object.sources.joined(separator: ", "))]
        }))
    }

    mutating func checklist(_ report: MigrationReport) {
        blocks.append(.heading("Pre-cutover checklist"))
        guard let evaluated = report.checklist.evaluatedAt else {
            blocks.append(.paragraph("Not evaluated yet: run tern checklist."))
            return
        }
        blocks.append(.paragraph("Evaluated \(Self.date(evaluated)): "
            + (report.checklist.passed == false ? "an item fails." : "nothing fails (manual items are for a person).")))
        blocks.append(.table(headers: ["Item", "Status", "Evidence"], rows: report.checklist.items.map { item in
            [Cell("\(item.title) (\(item.key))"),
             Cell(item.status.rawValue, item.status == .ok ? .good : item.status == .fail ? .bad : .warn),
             Cell(item.evidence.joined(separator: "; "))]
        }))
    }

    mutating func unlinked(_ report: MigrationReport) {
        guard !report.unlinkedRuns.isEmpty else { return }
        blocks.append(.heading("Passes not matched to the inventory"))
        blocks.append(.table(headers: ["Source account", "Destination account", "Passes", "Last", "Why"],
            rows: report.unlinkedRuns.map { run in
                [Cell(run.sourceKey), Cell(run.destinationKey), Cell("\(run.runs)"), Cell(Self.date(run.lastFinishedAt)),
                 Cell(run.reason)]
            }))
    }
}
