import Foundation
import Synchronization
import TernCore

/// `--json`: every event as one JSON object per line on standard output (NDJSON), so a
/// script can follow a long run; commands print a final `summary` line.
final class JSONLinesSink: EventSink {
    private let lock = Mutex(())
    private let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .iso8601
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return encoder
    }()

    func emit(_ event: MigrationEvent) {
        write(event)
    }

    func write<T: Encodable>(_ value: T) {
        guard let data = try? encoder.encode(value) else { return }
        lock.withLock { _ in
            FileHandle.standardOutput.write(data)
            FileHandle.standardOutput.write(Data("\n".utf8))
        }
    }
}
