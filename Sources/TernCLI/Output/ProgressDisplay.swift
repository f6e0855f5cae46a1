import Foundation
import Synchronization
import TernCore

/// A one-line live display on a terminal's standard error: mailboxes, folders, messages and
/// bytes done, rate and ETA. Silent when standard error is not a terminal.
final class ProgressDisplay: EventSink {
    private struct Totals {
        var mailboxesDone = 0
        var foldersDone = 0
        var copied = 0
        var present = 0
        var failed = 0
        var bytes: Int64 = 0
        /// Folder counts in flight, by mailbox and folder (progress events carry running totals).
        var running: [String: MigrationEvent.Counts] = [:]
        var current = ""
    }

    private let totals = Mutex(Totals())
    private let mailboxes: Int
    private let expectedMessages: Int?
    private let started = Date()
    private let enabled: Bool
    private let task = Mutex<Task<Void, Never>?>(nil)

    init(mailboxes: Int, expectedMessages: Int? = nil) {
        self.mailboxes = mailboxes
        self.expectedMessages = expectedMessages
        enabled = isatty(STDERR_FILENO) == 1
    }

    func start() {
        guard enabled else { return }
        let redraw = Task { [weak self] in
            while !Task.isCancelled {
                self?.draw()
                try? await Task.sleep(for: .milliseconds(500))
            }
        }
        task.withLock { $0 = redraw }
    }

    func stop() {
        task.withLock { $0?.cancel() }
        if enabled { FileHandle.standardError.write(Data("\r\u{1B}[K".utf8)) }
    }

    func emit(_ event: MigrationEvent) {
        totals.withLock { totals in
            let key = "\(event.mailbox ?? "")\u{0}\(event.folder ?? "")"
            switch event.kind {
            case .progress:
                totals.running[key] = event.counts
                totals.current = [event.mailbox, event.folder].compactMap { $0 }.joined(separator: " ")
            case .folderDone:
                totals.running[key] = nil
                totals.foldersDone += 1
                if let counts = event.counts {
                    totals.copied += counts.copied
                    totals.present += counts.alreadyPresent
                    totals.failed += counts.failed
                    totals.bytes += counts.bytes
                }
            case .mailboxFinished, .mailboxFailed:
                totals.mailboxesDone += 1
            default: break
            }
        }
    }

    private func draw() {
        let line = totals.withLock { totals -> String in
            let running = totals.running.values.reduce(MigrationEvent.Counts()) { $0 + $1 }
            let copied = totals.copied + running.copied
            let bytes = totals.bytes + running.bytes
            let elapsed = max(Date().timeIntervalSince(started), 0.001)
            let rate = Double(bytes) / elapsed
            var text = "mailboxes \(totals.mailboxesDone)/\(mailboxes) · folders \(totals.foldersDone) · "
                + "\(copied) copied · \(totals.present + running.alreadyPresent) present · "
                + "\(ByteCount.format(bytes)) · \(ByteCount.format(Int64(rate)))/s · \(String(format: "%.0f", Double(copied) / elapsed)) msg/s"
            if totals.failed + running.failed > 0 { text += " · \(totals.failed + running.failed) failed" }
            if let expected = expectedMessages, copied > 0, expected > copied {
                let eta = Double(expected - copied) / (Double(copied) / elapsed)
                text += " · ETA \(Int(eta)) s"
            }
            if !totals.current.isEmpty { text += " · \(totals.current)" }
            return text
        }
        FileHandle.standardError.write(Data(("\r\u{1B}[K" + String(line.prefix(200))).utf8))
    }
}
