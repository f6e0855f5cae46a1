import Foundation
import Testing
@testable import TernState

/// The run history (migration "v5: runs") and the copy rate measured from it.
@Suite struct RunHistoryTests {
    func run(_ kind: RunRecord.Kind = .sync, bytes: Int64, seconds: Double, status: String = "done",
             address: String = "a@x") -> RunRecord {
        let start = Date(timeIntervalSince1970: 1_800_000_000)
        return RunRecord(kind: kind, sourceKey: "\(address)@src:993", destinationKey: "\(address)@dst:993",
            address: address, wave: "pilot", startedAt: start, finishedAt: start.addingTimeInterval(seconds),
            status: status, sourceMessages: 10, copied: 10, bytes: bytes)
    }

    @Test func runsComeBackInOrderWithTheirFields() async throws {
        let store = try SQLiteStateStore()
        try await store.recordRun(run(bytes: 5, seconds: 1, address: "first@x"))
        var later = run(.verify, bytes: 0, seconds: 2, status: "mismatch", address: "second@x")
        later.startedAt = later.startedAt.addingTimeInterval(60)
        later.error = "2 missing"
        try await store.recordRun(later)
        let runs = try await store.runs()
        #expect(runs.map(\.address) == ["first@x", "second@x"])
        #expect(runs[1].kind == .verify && runs[1].status == "mismatch" && runs[1].error == "2 missing")
        #expect(runs[0].seconds == 1 && runs[0].wave == "pilot" && runs[0].id != nil)
    }

    @Test func measuredRateIsTheMedianOfRealCopies() async throws {
        let store = try SQLiteStateStore()
        #expect(try await store.measuredThroughput() == nil, "nothing recorded")
        try await store.recordRun(run(bytes: 500_000, seconds: 0.01))             // too small to measure copying
        try await store.recordRun(run(bytes: 50_000_000, seconds: 1, status: "failed"))
        try await store.recordRun(run(.verify, bytes: 90_000_000, seconds: 1))
        #expect(try await store.measuredThroughput() == nil, "small, failed and verify runs do not count")
        try await store.recordRun(run(bytes: 10_000_000, seconds: 10))           // 1 MB/s
        try await store.recordRun(run(bytes: 30_000_000, seconds: 10))           // 3 MB/s
        try await store.recordRun(run(bytes: 20_000_000, seconds: 4, status: "partial"))   // 5 MB/s
        #expect(try await store.measuredThroughput() == MeasuredThroughput(bytesPerSecond: 3_000_000, runs: 3))
        try await store.recordRun(run(bytes: 70_000_000, seconds: 10))           // 7 MB/s
        #expect(try await store.measuredThroughput() == MeasuredThroughput(bytesPerSecond: 4_000_000, runs: 4))
    }
}
