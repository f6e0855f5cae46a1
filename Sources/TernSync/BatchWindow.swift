import TernCore

/// How large the next copy batch may be on one side of the link. A link that cuts every
/// connection after a few megabytes loses a whole MULTIAPPEND (or a whole FETCH) at each cut,
/// so a batch cut in the middle halves the window, down to one message per command; each clean
/// batch doubles it again, up to the configured `--batch-messages` / `--batch-megabytes`.
struct BatchWindow: Sendable, Equatable {
    let maxBytes: Int64
    let maxCount: Int
    private(set) var bytes: Int64
    private(set) var count: Int

    init(maxBytes: Int64, maxCount: Int) {
        self.maxBytes = max(1, maxBytes)
        self.maxCount = max(1, maxCount)
        bytes = self.maxBytes
        count = self.maxCount
    }

    var isFull: Bool { bytes == maxBytes && count == maxCount }

    /// A batch of `count` messages and `bytes` bytes was cut: half of it is what to try next.
    /// Halving what was sent, not the limit, matters when the folder's batch is far below it.
    mutating func shrink(afterCutOf count: Int, bytes: Int64) {
        self.count = max(1, min(self.count, count) / 2)
        self.bytes = max(1, min(self.bytes, bytes) / 2)
    }

    /// A batch went through cleanly.
    mutating func grow() {
        count = min(maxCount, count * 2)
        bytes = min(maxBytes, bytes * 2)
    }

    /// The next batch from `start`: at most `count` messages and `bytes` bytes of both windows
    /// (a message larger than that travels alone).
    static func nextBatch(_ messages: [MessageMeta], from start: Int, windows: [BatchWindow]) -> Range<Int> {
        let maxCount = windows.map(\.count).min() ?? 1
        let maxBytes = windows.map(\.bytes).min() ?? 1
        var end = start
        var total: Int64 = 0
        while end < messages.count {
            let size = messages[end].size
            if end > start && (total + size > maxBytes || end - start >= maxCount) { break }
            total += size
            end += 1
        }
        return start..<end
    }
}

