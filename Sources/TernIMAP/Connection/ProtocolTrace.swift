import Foundation
import Synchronization

/// Receives every line Tern sends and receives, for `--trace FILE`.
///
/// What reaches a trace is already redacted: sent commands come from
/// `EncodedCommand.redactedDescription` (no passwords, tokens or message bodies) and SASL
/// responses are written as `<redacted>`; received literals longer than a line are
/// summarised by size.
public protocol ProtocolTrace: Sendable {
    func record(_ direction: TraceDirection, _ text: String, connection: String)
}

public enum TraceDirection: String, Sendable {
    case sent = "C:"
    case received = "S:"
    case note = "--"
}

/// Appends trace lines to a file created 0600.
public final class FileTrace: ProtocolTrace {
    private let handle: Mutex<FileHandle>

    public init(path: String) throws {
        if !FileManager.default.fileExists(atPath: path) {
            _ = FileManager.default.createFile(atPath: path, contents: nil, attributes: [.posixPermissions: 0o600])
        }
        guard let handle = FileHandle(forWritingAtPath: path) else {
            throw IMAPError(.credentialSource, "cannot open the trace file \(path) for writing")
        }
        handle.seekToEndOfFile()
        self.handle = Mutex(handle)
    }

    public func record(_ direction: TraceDirection, _ text: String, connection: String) {
        let stamp = Date().formatted(.iso8601.time(includingFractionalSeconds: true))
        var lines = ""
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) where !line.isEmpty {
            lines += "\(stamp) \(connection) \(direction.rawValue) \(line.trimmingCharacters(in: .newlines))\n"
        }
        handle.withLock { $0.write(Data(lines.utf8)) }
    }
}
