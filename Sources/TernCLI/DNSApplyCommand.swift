import ArgumentParser
import Foundation
import TernDNS

/// `tern dns apply DOMAIN --to … --tsig-key FILE`: send the plan as a signed RFC 2136 UPDATE.
struct DNSApplyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "apply",
        abstract: "Apply the cutover plan with an RFC 2136 UPDATE signed with TSIG, then verify.",
        discussion: """
            The update carries prerequisites: if the MX or apex TXT records differ from what the plan saw,
            the server changes nothing and Tern exits 1. Use --plan FILE to apply a plan saved with
            `tern dns plan --json`, so records changed since then are detected.
            """
    )

    @Argument(help: "The mail domain (zone apex).")
    var domain: String

    @OptionGroup var target: DNSTargetOptions

    @Option(name: .customLong("tsig-key"), help: ArgumentHelp("TSIG key file: BIND/Knot `key` clause or `hmac-sha256:NAME:SECRET`.", valueName: "FILE"))
    var tsigKey: String

    @Option(help: ArgumentHelp("A plan saved with `tern dns plan --json` (default: plan now).", valueName: "FILE"))
    var plan: String?

    @Option(help: ArgumentHelp("After applying, wait this long for every server to show the change.", valueName: "DURATION"))
    var wait: String = "60s"

    @OptionGroup var connection: DNSConnectionOptions

    mutating func run() async throws {
        let name = try DNSOutput.domain(domain)
        let key: TSIGKey
        do { key = try TSIGKey.load(path: tsigKey) } catch { throw DNSOutput.fail(error) }
        let view: AuthoritativeView
        let cutoverPlan: CutoverPlan
        let cutoverTarget: CutoverTarget
        do {
            view = try connection.view()
            if let plan {
                guard let data = FileManager.default.contents(atPath: plan) else {
                    throw DNSError(.badInput, "cannot read the plan file \(plan)")
                }
                let decoder = JSONDecoder()
                decoder.dateDecodingStrategy = .deferredToDate
                cutoverPlan = try decoder.decode(CutoverPlan.self, from: data)
                guard cutoverPlan.domain.lowercased() == name.text.lowercased() else {
                    throw DNSError(.badInput, "the plan is for \(cutoverPlan.domain), not \(name.text)")
                }
                cutoverTarget = cutoverPlan.target
            } else {
                cutoverTarget = try await target.target(for: name)
                cutoverPlan = try await CutoverPlanner(view: view).plan(name, target: cutoverTarget)
            }
        } catch let error as DecodingError {
            throw DNSOutput.fail(DNSError(.badInput, "the plan file is not a `tern dns plan --json` document: \(error)"))
        } catch {
            throw DNSOutput.fail(error)
        }
        let outcome: DynamicUpdater.Outcome
        do {
            outcome = try await DynamicUpdater(view: view, key: key).apply(cutoverPlan)
        } catch {
            throw DNSOutput.fail(error)
        }
        if !connection.json {
            print("applied \(outcome.updates) changes to \(outcome.zone) at \(outcome.primary.name) (\(outcome.primary.server)), \(outcome.prerequisites) prerequisites held")
        }
        let report: CutoverVerifier.Report
        do {
            report = try await CutoverVerifier(view: view).wait(name, target: cutoverTarget,
                                                                timeout: DNSVerifyCommand.seconds(wait) ?? 60, interval: 1)
        } catch {
            throw DNSOutput.fail(error)
        }
        if connection.json {
            struct Output: Encodable { var applied: DynamicUpdater.Outcome; var verify: CutoverVerifier.Report; var holds: Bool }
            try DNSOutput.printJSON(Output(applied: outcome, verify: report, holds: report.holds))
        } else {
            for server in report.servers {
                print("  \(server.nameserver.name) (\(server.nameserver.server)): \(server.holds ? "ok" : "NOT YET")")
                if !server.holds { DNSOutput.printFindings(server.findings.filter { $0.status == .fail }) }
            }
            print(report.holds ? "result: applied and verified on every authoritative server" : "result: applied; not yet visible on \(report.lagging.joined(separator: ", "))")
        }
        if !report.holds { throw TernExit.failure }
    }
}
