import Foundation

/// Decides, after a connection failure, whether to reconnect and how long to wait first. The
/// budget (`maxReconnects`) counts attempts in a row that achieved nothing, not reconnects: on
/// a link that cuts every few megabytes each attempt still stores something, and a long run
/// may need thousands of reconnects.
struct ReconnectBudget: Sendable {
    let limit: Int
    let backoffSeconds: Double
    /// Attempts in a row that ended without progress.
    private(set) var idleAttempts = 0
    private var progressMark = 0
    private var shrinkMark = 0

    init(limit: Int, backoffSeconds: Double) {
        self.limit = limit
        self.backoffSeconds = backoffSeconds
    }

    enum Verdict: Equatable {
        case reconnect(afterSeconds: Double, reason: String)
        case giveUp(reason: String)
    }

    /// `progress`: the run's count of messages stored, adopted, settled in the ledger or
    /// flag-updated, and folders finished. `shrinks`: how often a cut batch of more than one
    /// message was halved. Both only grow during a run.
    mutating func afterFailure(progress: Int, shrinks: Int, serverHint: Double?) -> Verdict {
        let progressed = progress > progressMark
        let stored = progress - progressMark
        // Halving the cut batch changes what the next attempt sends; it is bounded (at most
        // log2 of the batch size in a row), so such an attempt does not use up the budget.
        let shrank = shrinks > shrinkMark
        progressMark = progress
        shrinkMark = shrinks
        let reason: String
        let wait: Double
        if progressed {
            idleAttempts = 0
            // The link works, it only breaks: waiting would make a cut-heavy run crawl.
            wait = 0
            reason = "progress since the last reconnect: \(stored) message\(stored == 1 ? "" : "s") or folders; "
                + "reconnects without progress: 0 of \(limit)"
        } else if shrank {
            wait = backoffSeconds
            reason = "the cut batch is halved; reconnects without progress: \(idleAttempts) of \(limit)"
        } else {
            idleAttempts += 1
            wait = min(backoffSeconds * pow(2, Double(idleAttempts - 1)), 300)
            reason = "reconnects without progress: \(idleAttempts) of \(limit)"
        }
        guard limit > 0 else { return .giveUp(reason: "reconnecting is off (maxReconnects 0)") }
        guard idleAttempts <= limit else {
            return .giveUp(reason: "\(limit) reconnect\(limit == 1 ? "" : "s") in a row made no progress")
        }
        return .reconnect(afterSeconds: serverHint.map { min($0, 900) } ?? wait, reason: reason)
    }
}
