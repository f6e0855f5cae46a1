import Foundation

/// The local servers started by `scripts/testenv/` as the tests see them.
///
/// The first test that asks starts the Dovecot pair (idempotent; `scripts/test.sh` has usually
/// done it already) and reads the facts the script wrote to `dovecot.json`.
public struct TestEnvironment: Sendable {
    public struct Server: Sendable, Decodable {
        public var host: String
        public var port: Int
        public var tlsPort: Int
        public var separator: String
        public var prefix: String
        public var conf: String?
    }

    public struct Master: Sendable, Decodable {
        public var user: String
        public var password: String
    }

    public var ca: String
    public var source: Server
    public var destination: Server
    public var users: [String: String]
    public var master: Master
    /// The folder the script keeps its state in (certificates, secrets, server logs).
    public var directory: String

    /// The repository's root folder, found from this file's location.
    public static let repositoryRoot: URL = {
        var url = URL(fileURLWithPath: #filePath)
        for _ in 0..<3 { url.deleteLastPathComponent() }
        return url
    }()

    public static func dovecot() throws -> TestEnvironment { try cached.get() }

    private static let cached = Result { () throws(TestEnvironmentError) -> TestEnvironment in try load() }

    private static func load() throws(TestEnvironmentError) -> TestEnvironment {
        do {
            try runScript("scripts/testenv/dovecot.sh", arguments: ["start"])
            let directory = ProcessInfo.processInfo.environment["TERN_TESTENV_DIR"] ?? "/tmp/tern-testenv"
            let data = try Data(contentsOf: URL(fileURLWithPath: directory + "/dovecot.json"))
            var environment = try JSONDecoder().decode(Decoded.self, from: data)
            environment.directory = directory
            return TestEnvironment(ca: environment.ca, source: environment.source,
                destination: environment.destination, users: environment.users, master: environment.master,
                directory: directory)
        } catch let error as TestEnvironmentError {
            throw error
        } catch {
            throw TestEnvironmentError(message: "cannot read the test environment: \(error)")
        }
    }

    private struct Decoded: Decodable {
        var ca: String
        var source: Server
        var destination: Server
        var users: [String: String]
        var master: Master
        var directory: String?
    }

    /// Runs one of the project's scripts and fails with its output if it fails.
    @discardableResult
    public static func runScript(_ path: String, arguments: [String] = []) throws(TestEnvironmentError) -> String {
        let process = Process()
        process.executableURL = repositoryRoot.appendingPathComponent(path)
        process.arguments = arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        do {
            try process.run()
        } catch {
            throw TestEnvironmentError(message: "cannot run \(path): \(error)")
        }
        let output = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw TestEnvironmentError(message: "\(path) \(arguments.joined(separator: " ")) failed "
                + "(\(process.terminationStatus)):\n\(output)")
        }
        return output
    }
}

public struct TestEnvironmentError: Error, CustomStringConvertible {
    public var message: String
    public var description: String { message }
}
