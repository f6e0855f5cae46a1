import Testing
import TernCore
import TernMigration
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
