import Foundation
import TernCore
import TernIMAP

/// An OAuth access token from a file or from a command the operator gives.
///
/// Long migrations outlive access tokens (typically an hour). With `.command`, Tern runs the
/// command again for each new login, so a refresh script (e.g. one calling the provider's
/// token endpoint with a refresh token) keeps a run going for days.
public enum TokenSource: TokenProvider, Equatable {
    case file(String)
    /// Run through `/bin/sh -c`; its standard output, trimmed, is the token.
    case command(String)

    /// Reads or produces a token now (a command may take a minute).
    public func fetch() async throws(IMAPError) -> Secret { try await fetch(timeout: .seconds(60)) }

    /// Reads or produces a token now; a command still running after `timeout` is stopped.
    public func fetch(timeout: Duration) async throws(IMAPError) -> Secret {
        switch self {
        case .file(let path):
            guard let data = FileManager.default.contents(atPath: path) else {
                throw IMAPError(.credentialSource, "cannot read the token file \(path)")
            }
            return try Self.token(from: data, source: "the token file \(path)")
        case .command(let command):
            return try await Self.run(command, timeout: timeout)
        }
    }

    private static func token(from data: Data, source: String) throws(IMAPError) -> Secret {
        let token = String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        guard !token.isEmpty else { throw IMAPError(.credentialSource, "\(source) gave an empty token") }
        guard !token.contains(where: { $0.isNewline || $0 == "\u{1}" }) else {
            throw IMAPError(.credentialSource, "\(source) gave more than one line; print only the token")
        }
        return Secret(token)
    }

    private static func run(_ command: String, timeout: Duration) async throws(IMAPError) -> Secret {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = ["-c", command]
        let output = Pipe()
        let errors = Pipe()
        process.standardOutput = output
        process.standardError = errors
        process.standardInput = FileHandle.nullDevice
        do {
            try process.run()
        } catch {
            throw IMAPError(.credentialSource, "cannot run the token command: \(error)")
        }
        let watchdog = Task {
            try await Task.sleep(for: timeout)
            // The shell leads its own process group (Foundation starts children that way), so
            // this also stops anything it started that still holds the output pipe.
            kill(-process.processIdentifier, SIGKILL)
            process.terminate()
        }
        // Read both pipes off the cooperative pool; a token command may block for a while.
        let (stdout, stderr) = await withCheckedContinuation { continuation in
            DispatchQueue.global().async {
                let stderrData = errors.fileHandleForReading
                let out = output.fileHandleForReading.readDataToEndOfFile()
                let err = stderrData.readDataToEndOfFile()
                process.waitUntilExit()
                continuation.resume(returning: (out, err))
            }
        }
        watchdog.cancel()
        guard process.terminationReason == .exit, process.terminationStatus == 0 else {
            // Its error output is not repeated: a failing token script may print secrets.
            throw IMAPError(.credentialSource,
                "the token command failed (exit \(process.terminationStatus), \(stderr.count) bytes on stderr); "
                    + "run it by hand to see why")
        }
        return try token(from: stdout, source: "the token command")
    }
}
