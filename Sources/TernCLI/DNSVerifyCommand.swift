import ArgumentParser
import Foundation
import TernDNS

/// `tern dns verify DOMAIN --to …`: does every authoritative server serve the cutover?
struct DNSVerifyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify",
        abstract: "Check on every authoritative server that the cutover records are in place.",
        discussion: "Exit status: 0 when every check holds on every server, 1 otherwise (after --wait runs out)."
    )

    @Argument(help: "The mail domain.")
    var domain: String

    @OptionGroup var target: DNSTargetOptions

    @Option(help: ArgumentHelp("Keep checking until everything holds or this much time passes (e.g. 90s, 10m, 1h).", valueName: "DURATION"))
    var wait: String?

    @Option(help: "Seconds between checks with --wait.")
    var interval: Double = 5

    @OptionGroup var connection: DNSConnectionOptions

    func validate() throws {
        if let wait, Self.seconds(wait) == nil { throw ValidationError("--wait \(wait): use a duration like 90s, 10m or 1h") }
    }

    static func seconds(_ text: String) -> TimeInterval? {
        let units: [Character: Double] = ["s": 1, "m": 60, "h": 3600]
        if let last = text.last, let unit = units[last], let value = Double(text.dropLast()), value >= 0 { return value * unit }
        return Double(text).flatMap { $0 >= 0 ? $0 : nil }
    }

    mutating func run() async throws {
        let name = try DNSOutput.domain(domain)
        let report: CutoverVerifier.Report
        let json = connection.json
        do {
            let verifier = CutoverVerifier(view: try connection.view())
            let target = try await self.target.target(for: name)
            if let wait, let seconds = Self.seconds(wait) {
                report = try await verifier.wait(name, target: target, timeout: seconds, interval: interval) { round in
                    if !json { print("waiting: not yet on \(round.lagging.joined(separator: ", "))") }
                }
            } else {
                report = try await verifier.verify(name, target: target)
            }
        } catch {
            throw DNSOutput.fail(error)
        }
        if json {
            struct Output: Encodable { var report: CutoverVerifier.Report; var holds: Bool; var lagging: [String] }
            try DNSOutput.printJSON(Output(report: report, holds: report.holds, lagging: report.lagging))
        } else {
            print("Verify cutover of \(report.domain)")
            for server in report.servers {
                print("  \(server.nameserver.name) (\(server.nameserver.server)): \(server.holds ? "ok" : "NOT YET")")
                DNSOutput.printFindings(server.findings)
            }
            print(report.holds ? "result: the cutover holds on every authoritative server"
                  : "result: not yet on \(report.lagging.joined(separator: ", "))")
        }
        if !report.holds { throw TernExit.failure }
    }
}
