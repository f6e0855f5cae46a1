import Testing
@testable import TernCLI
@testable import TernSync

/// Issue 11 item 7: the exit code and the printed summary tell the truth about failed folders.
@Suite struct SummaryExitCodeTests {
    func report(_ folders: [FolderReport], failures: [String: Int] = [:]) -> MailboxReport {
        MailboxReport(source: "alice@old", destination: "alice@new", folders: folders, failuresByCategory: failures,
            error: nil, seconds: 1)
    }

    func folder(_ name: String, _ outcome: String) -> FolderReport {
        var folder = FolderReport(source: name, destination: name, counts: .init(), seconds: 0, outcome: outcome,
            droppedKeywords: [])
        if outcome.hasPrefix("failed: ") { folder.fail(.folder, String(outcome.dropFirst("failed: ".count))) }
        return folder
    }

    @Test func aFailedFolderMakesTheRunPartial() {
        let ok = report([folder("INBOX", "copied")])
        let failed = report([folder("INBOX", "copied"), folder("Dots v1.2", "failed: cannot create it")])
        #expect(RunContext.exitCode([ok]) == TernExit.success)
        #expect(RunContext.exitCode([failed]) == TernExit.partial)
        #expect(RunContext.exitCode([ok, failed]) == TernExit.partial)
        #expect(failed.failedFolders == ["Dots v1.2"])
    }

    @Test func theSummaryNamesAFailedFolder() {
        let text = SyncRenderer.text(report([folder("INBOX", "copied"), folder("Dots v1.2", "failed: cannot create it")]),
            dryRun: false)
        #expect(text.contains("Folder FAILED: Dots v1.2: cannot create it"))
        let batch = SyncRenderer.batchSummary([report([folder("Dots v1.2", "failed: cannot create it")])])
        #expect(batch.contains("partial: folders failed: Dots v1.2"))
    }
}
