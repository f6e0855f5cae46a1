import ArgumentParser
import TernDNS

/// `tern dns check DOMAIN`: the mail DNS of a domain on every authoritative nameserver.
struct DNSCheckCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Report MX, SPF, DKIM, DMARC, MTA-STS and TLS-RPT as every authoritative nameserver serves them.",
        discussion: "Exit status: 0 when nothing failed, 1 when a check failed, 10 when servers could not be reached."
    )

    @Argument(help: "The mail domain, e.g. example.com.")
    var domain: String

    @Option(name: .customLong("dkim-selector"), help: ArgumentHelp("DKIM selector to check (repeatable).", valueName: "S"))
    var dkimSelectors: [String] = []

    @OptionGroup var connection: DNSConnectionOptions

    mutating func run() async throws {
        let name = try DNSOutput.domain(domain)
        let report: CheckReport
        do {
            report = try await DomainChecker(view: try connection.view()).check(name, dkimSelectors: dkimSelectors)
        } catch {
            throw DNSOutput.fail(error)
        }
        if connection.json {
            try DNSOutput.printJSON(report)
        } else {
            print("DNS check for \(report.domain)")
            print("  nameservers: " + report.nameservers.map { "\($0.nameserver.name) (\($0.nameserver.server))" }.joined(separator: ", "))
            DNSOutput.printFindings(report.findings)
            if let spf = report.spf {
                print("  SPF include tree (\(spf.totalLookups) lookups):")
                Self.printTree(spf, indent: "    ")
            }
            let worst = report.findings.worst
            print("result: \(worst == .fail ? "FAIL" : worst == .warn ? "ok with warnings" : "ok")")
        }
        if report.findings.worst == .fail { throw TernExit.failure }
    }

    static func printTree(_ node: SPFAnalyzer.Node, indent: String) {
        let detail = node.error ?? node.record.map { "\"\($0)\"" } ?? ""
        print("\(indent)\(node.domain) [\(node.lookups)] \(detail)")
        for child in node.children { printTree(child, indent: indent + "  ") }
    }
}
