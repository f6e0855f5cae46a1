import Foundation

/// `--log-dir`: one log file per mailbox (`<source user>.log`), a timestamped line per
/// folder and per error. Files are created 0600: they name every folder of a client.
struct MailboxLogs: Sendable {
    let directory: String?

    init(directory: String?) throws(CLIError) {
        self.directory = directory
        guard let directory else { return }
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        } catch {
            throw CLIError(TernExit.badInput, "cannot create the log folder \(directory): \(error.localizedDescription)")
        }
    }

    /// A line writer for one mailbox (a no-op without `--log-dir`).
    func writer(for mailbox: String) -> @Sendable (String) -> Void {
        guard let directory else { return { _ in } }
        let safe = String(mailbox.map { $0.isLetter || $0.isNumber || "@._-".contains($0) ? $0 : "_" })
        let path = (directory as NSString).appendingPathComponent(safe + ".log")
        if !FileManager.default.fileExists(atPath: path) {
            _ = FileManager.default.createFile(atPath: path, contents: nil, attributes: [.posixPermissions: 0o600])
        }
        let handle = FileHandle(forWritingAtPath: path)
        handle?.seekToEndOfFile()
        let box = LogHandle(handle)
        return { line in box.write(line) }
    }
}

private final class LogHandle: @unchecked Sendable {
    private let handle: FileHandle?
    private let lock = NSLock()

    init(_ handle: FileHandle?) { self.handle = handle }

    func write(_ line: String) {
        let stamp = Date().formatted(.iso8601)
        lock.withLock { handle?.write(Data("\(stamp) \(line)\n".utf8)) }
    }
}
