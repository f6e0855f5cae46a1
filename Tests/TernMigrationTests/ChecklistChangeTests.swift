import Foundation
import Testing
@testable import TernMigration

/// Which checklist items count as changed between two evaluations, and the hook event each makes.
@Suite struct ChecklistChangeTests {
    func report(_ statuses: [(String, ChecklistItem.Status)]) -> ChecklistReport {
        ChecklistReport(items: statuses.map { ChecklistItem(key: $0.0, title: "Title of \($0.0)", status: $0.1,
            evidence: ["seen \($0.0)"]) })
    }

    @Test func firstEvaluationAnnouncesEveryItem() {
        let changes = ChecklistChange.between(nil, report([("a", .ok), ("b", .manual)]))
        #expect(changes.map(\.item.key) == ["a", "b"])
        #expect(changes.allSatisfy { $0.from == nil })
        #expect(changes[0].event.details == ["key": "a", "title": "Title of a", "from": "new", "to": "ok"])
        #expect(changes[0].event.kind == .checklistChanged && changes[0].event.message == "seen a")
    }

    @Test func onlyChangedAndNewItemsAreAnnounced() {
        let before = report([("a", .ok), ("b", .manual), ("c", .fail)])
        let after = report([("a", .ok), ("b", .ok), ("c", .fail), ("d", .manual)])
        let changes = ChecklistChange.between(before, after)
        #expect(changes.map(\.item.key) == ["b", "d"])
        #expect(changes[0].from == .manual && changes[0].item.status == .ok)
        #expect(ChecklistChange.between(after, after).isEmpty)
    }
}
