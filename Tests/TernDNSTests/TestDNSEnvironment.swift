import Foundation
import Testing
@testable import TernDNS

/// The two local Knot servers from scripts/testenv/dns.sh, started once per test process if
/// they are not already running. Tests only ever talk to these loopback addresses.
enum TestDNSEnvironment {
    static let serverA = try! DNSServer(parsing: "127.0.0.1:15353")
    static let serverB = try! DNSServer(parsing: "127.0.0.1:15354")

    static var packageRoot: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    }

    static var stateDirectory: String {
        (ProcessInfo.processInfo.environment["TERN_TESTENV_DIR"] ?? "/tmp/tern-testenv") + "/dns"
    }

    static var tsigKeyPath: String { stateDirectory + "/tsig.key" }

    /// Runs `dns.sh start` once (idempotent); the result is the script's output or an error.
    static let started: Result<String, ScriptFailed> = {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/bash")
        process.arguments = [packageRoot.appendingPathComponent("scripts/testenv/dns.sh").path, "start"]
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        do {
            try process.run()
        } catch {
            return .failure(ScriptFailed(output: "cannot run dns.sh: \(error)"))
        }
        let output = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        return process.terminationStatus == 0 ? .success(output) : .failure(ScriptFailed(output: output))
    }()

    struct ScriptFailed: Error { let output: String }

    /// Call at the top of every integration test.
    static func require() throws {
        if case .failure(let failure) = started {
            Issue.record("scripts/testenv/dns.sh start failed: \(failure.output)")
            throw failure
        }
    }

    /// Nameserver overrides for the test zones: both ns names share 127.0.0.1 on different ports.
    static func overrides(_ zone: String) -> [DNSName: DNSServer] {
        [try! DNSName("ns1.\(zone)"): serverA, try! DNSName("ns2.\(zone)"): serverB]
    }

    static var fastClient: DNSClient { DNSClient(options: .init(timeout: 1.0, attempts: 2)) }
}
