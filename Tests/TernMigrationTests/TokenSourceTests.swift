import Foundation
import Testing
import TernCore
import TernIMAP
import TernMigration

/// OAuth tokens come from a file or from a command run anew for every login.
@Suite struct TokenSourceTests {
    func temporaryFile(_ text: String) throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("tern-token-\(UUID())").path
        try Data(text.utf8).write(to: URL(fileURLWithPath: path))
        return path
    }

    @Test func readsATokenFileTrimmed() async throws {
        let path = try temporaryFile("  ya29.token-value\n")
        defer { try? FileManager.default.removeItem(atPath: path) }
        #expect(try await TokenSource.file(path).fetch().revealed == "ya29.token-value")
    }

    @Test func runsTheCommandForEveryFetch() async throws {
        let counter = try temporaryFile("")
        defer { try? FileManager.default.removeItem(atPath: counter) }
        let source = TokenSource.command("echo x >> \(counter); printf 'token-%s' $(wc -l < \(counter))")
        #expect(try await source.fetch().revealed == "token-1")
        #expect(try await source.fetch().revealed == "token-2", "a fresh token each time, for long runs")
    }

    @Test func failuresNeverRepeatWhatTheCommandPrinted() async throws {
        let error = await #expect(throws: IMAPError.self) {
            _ = try await TokenSource.command("echo secret-refresh-token >&2; exit 3").fetch()
        }
        #expect(error?.code == .credentialSource)
        #expect(error?.message.contains("exit 3") == true)
        #expect(error?.message.contains("secret-refresh-token") == false)
    }

    @Test func rejectsEmptyAndMultiLineTokens() async throws {
        await #expect(throws: IMAPError.self) { _ = try await TokenSource.command("true").fetch() }
        await #expect(throws: IMAPError.self) { _ = try await TokenSource.command("printf 'a\\nb'").fetch() }
        await #expect(throws: IMAPError.self) { _ = try await TokenSource.file("/nonexistent/token").fetch() }
    }

    @Test(.timeLimit(.minutes(1)))
    func aHangingCommandIsStopped() async throws {
        let error = await #expect(throws: IMAPError.self) {
            _ = try await TokenSource.command("sleep 30").fetch(timeout: .milliseconds(300))
        }
        #expect(error?.code == .credentialSource)
    }
}
