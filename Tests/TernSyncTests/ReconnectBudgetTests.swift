import Testing
import TernCore
@testable import TernSync

/// The pure rules behind progress under cuts: batch windows and the reconnect budget.
@Suite struct ReconnectBudgetTests {
    @Test func aCutBatchHalvesDownToOneMessageAndCleanBatchesDoubleBackToTheLimit() {
        var window = BatchWindow(maxBytes: 16_000_000, maxCount: 200)
        window.shrink(afterCutOf: 60, bytes: 6_000_000)
        #expect(window.count == 30 && window.bytes == 3_000_000, "half of what was cut, not of the limit")
        for _ in 0..<10 { window.shrink(afterCutOf: window.count, bytes: window.bytes) }
        #expect(window.count == 1)
        window.grow()
        #expect(window.count == 2)
        for _ in 0..<20 { window.grow() }
        #expect(window.isFull)
        let messages = [10, 10, 10].enumerated().map {
            MessageMeta(uid: UInt32($0.offset + 1), flags: [], internalDate: nil, size: Int64($0.element), modSeq: nil)
        }
        var one = BatchWindow(maxBytes: 100, maxCount: 100)
        one.shrink(afterCutOf: 2, bytes: 5)
        #expect(BatchWindow.nextBatch(messages, from: 1, windows: [window, one]) == 1..<2,
            "the smaller window wins; one message goes however large")
    }

    @Test func progressRenewsTheBudgetAndTheBackoff() {
        var budget = ReconnectBudget(limit: 2, backoffSeconds: 1)
        #expect(budget.afterFailure(progress: 0, shrinks: 0, serverHint: nil)
            == .reconnect(afterSeconds: 1, reason: "reconnects without progress: 1 of 2"))
        #expect(budget.afterFailure(progress: 0, shrinks: 0, serverHint: nil)
            == .reconnect(afterSeconds: 2, reason: "reconnects without progress: 2 of 2"))
        // Something was stored: at once, and the count starts again.
        guard case .reconnect(0, _) = budget.afterFailure(progress: 3, shrinks: 0, serverHint: nil) else {
            Issue.record("progress reconnects at once")
            return
        }
        #expect(budget.idleAttempts == 0)
        // A halved batch is not counted; the server's hint is obeyed.
        #expect(budget.afterFailure(progress: 3, shrinks: 1, serverHint: 7)
            == .reconnect(afterSeconds: 7, reason: "the cut batch is halved; reconnects without progress: 0 of 2"))
        _ = budget.afterFailure(progress: 3, shrinks: 1, serverHint: nil)
        _ = budget.afterFailure(progress: 3, shrinks: 1, serverHint: nil)
        #expect(budget.afterFailure(progress: 3, shrinks: 1, serverHint: nil)
            == .giveUp(reason: "2 reconnects in a row made no progress"))
        var never = ReconnectBudget(limit: 0, backoffSeconds: 1)
        #expect(never.afterFailure(progress: 5, shrinks: 0, serverHint: nil)
            == .giveUp(reason: "reconnecting is off (maxReconnects 0)"))
    }
}
