import Foundation
import Testing
import TernCore
@testable import TernMigration
import TernScript
import TernState
import TernSync

@Suite struct MigrationRunnerTests {
    final class Recorder: EventSink, @unchecked Sendable {
        func emit(_ event: MigrationEvent) {}
    }

    @Test func anEmptyBatchFinishesAtOnce() async throws {
        let runner = MigrationRunner(state: try SQLiteStateStore(inMemory: ()), scripts: .none, options: SyncOptions(),
            events: Recorder(), parallel: 0, logs: { _ in { _ in } })
        #expect(runner.parallel == 1, "parallelism is at least one")
        #expect(await runner.run([]).isEmpty)
    }
}

@Suite struct MailboxLockTests {
    @Test func oneProcessPerMailboxPair() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("tern-lock-\(UUID())").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        var first = try MailboxLock.acquire(directory: directory, source: "a@src", destination: "a@dst")
        #expect(first != nil)
        #expect(try MailboxLock.acquire(directory: directory, source: "a@src", destination: "a@dst") == nil)
        #expect(try MailboxLock.acquire(directory: directory, source: "b@src", destination: "b@dst") != nil)
        first = nil
        #expect(try MailboxLock.acquire(directory: directory, source: "a@src", destination: "a@dst") != nil)
    }
}
