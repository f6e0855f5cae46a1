import ArgumentParser
import Foundation
import TernDNS

/// Options every `tern dns` subcommand shares: which servers to ask and how to print.
struct DNSConnectionOptions: ParsableArguments {
    @Option(name: .customLong("server"), help: ArgumentHelp("DNS server to ask, IP[:PORT] (repeatable). Default: /etc/resolv.conf.", valueName: "HOST[:PORT]"))
    var servers: [String] = []

    @Option(name: .customLong("nameserver"), help: ArgumentHelp("Reach nameserver NAME at ADDR[:PORT] instead of its own address (repeatable; split horizon, tests).", valueName: "NAME=ADDR[:PORT]"))
    var nameservers: [String] = []

    @Option(help: "Seconds to wait for each DNS answer.")
    var timeout: Double = 2.0

    @Flag(help: "Print one JSON document instead of text.")
    var json = false

    func validate() throws {
        for server in servers { _ = try parseServer(server) }
        _ = try overrides()
        guard timeout > 0, timeout <= 60 else { throw ValidationError("--timeout must be between 0 and 60 seconds") }
    }

    func parseServer(_ text: String) throws -> DNSServer {
        do { return try DNSServer(parsing: text) } catch { throw ValidationError("--server \(text): \(error)") }
    }

    func overrides() throws -> [DNSName: DNSServer] {
        var result: [DNSName: DNSServer] = [:]
        for item in nameservers {
            let parts = item.split(separator: "=", maxSplits: 1).map(String.init)
            guard parts.count == 2, let name = try? DNSName(parts[0]), let server = try? DNSServer(parsing: parts[1]) else {
                throw ValidationError("--nameserver \(item): expected NAME=IP[:PORT], e.g. ns1.example.com=192.0.2.53")
            }
            result[name] = server
        }
        return result
    }

    var client: DNSClient { DNSClient(options: .init(timeout: timeout, attempts: 2)) }

    func resolver() throws -> StubResolver {
        if servers.isEmpty { return try StubResolver.system(client: client) }
        return StubResolver(servers: try servers.map(parseServer), client: client)
    }

    func view() throws -> AuthoritativeView {
        AuthoritativeView(resolver: try resolver(), client: client, overrides: try overrides())
    }
}

/// Printing and error handling shared by the `tern dns` commands.
enum DNSOutput {
    static func printJSON<T: Encodable>(_ value: T) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        print(String(decoding: try encoder.encode(value), as: UTF8.self))
    }

    static func domain(_ text: String) throws -> DNSName {
        do { return try DNSName(text) } catch { throw ValidationError("'\(text)' is not a domain name: \(error)") }
    }

    /// Maps a DNS failure to the exit-code table and prints it to stderr.
    static func fail(_ error: any Error) -> ExitCode {
        FileHandle.standardError.write(Data("error: \(error)\n".utf8))
        guard let error = error as? DNSError else { return TernExit.failure }
        switch error.code {
        case .timeout, .connectFailed, .noServers: return TernExit.connectFailed
        case .truncatedMessage, .labelTooLong, .nameTooLong, .compressionLoop, .badLabelType, .badRecordData,
             .tooManyRecords, .badText, .unexpectedResponse, .truncatedOverTCP:
            return TernExit.protocolError
        case .badInput, .badKey: return TernExit.badInput
        default: return TernExit.failure
        }
    }

    static func mark(_ status: Finding.Status) -> String {
        switch status {
        case .ok: "ok  "
        case .info: "info"
        case .warn: "warn"
        case .fail: "FAIL"
        }
    }

    static func printFindings(_ findings: [Finding]) {
        var lastArea = ""
        for finding in findings {
            let area = finding.area == lastArea ? "" : finding.area
            lastArea = finding.area
            print("  \(area.padding(toLength: 8, withPad: " ", startingAt: 0)) \(mark(finding.status))  \(finding.message)")
            if let advice = finding.advice, finding.status >= .warn {
                print("  \(String(repeating: " ", count: 8))        -> \(advice)")
            }
        }
    }
}
