import ArgumentParser
import Foundation
import TernDNS

/// `tern dns plan DOMAIN --to …`: what to change, in what order, and when it is safe.
struct DNSPlanCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "plan",
        abstract: "Plan the MX cutover: record changes, merged SPF, TTL timeline; as a checklist, zone snippet, nsupdate script or JSON."
    )

    enum Format: String, ExpressibleByArgument, CaseIterable { case checklist, zone, nsupdate, json }

    @Argument(help: "The mail domain (zone apex).")
    var domain: String

    @OptionGroup var target: DNSTargetOptions

    @Option(name: .customLong("cutover-at"), help: ArgumentHelp("Planned cutover time (ISO 8601, e.g. 2025-03-01T22:00:00Z).", valueName: "TIME"))
    var cutoverAt: String?

    @Option(name: .customLong("short-ttl"), help: "TTL in seconds for the records around the cutover.")
    var shortTTL: UInt32 = 300

    @Option(help: "Output: checklist, zone, nsupdate or json (--json is the same as --format json).")
    var format: Format = .checklist

    @OptionGroup var connection: DNSConnectionOptions

    func validate() throws {
        if let cutoverAt, ISO8601DateFormatter().date(from: cutoverAt) == nil {
            throw ValidationError("--cutover-at \(cutoverAt): use ISO 8601 with a zone, e.g. 2025-03-01T22:00:00Z")
        }
    }

    mutating func run() async throws {
        let name = try DNSOutput.domain(domain)
        var planner: CutoverPlanner
        let plan: CutoverPlan
        do {
            planner = CutoverPlanner(view: try connection.view())
            planner.shortTTL = shortTTL
            plan = try await planner.plan(name, target: try await target.target(for: name),
                                          cutoverAt: cutoverAt.flatMap { ISO8601DateFormatter().date(from: $0) })
        } catch {
            throw DNSOutput.fail(error)
        }
        switch connection.json ? .json : format {
        case .json: try DNSOutput.printJSON(plan)
        case .zone: print(plan.zoneSnippet)
        case .nsupdate: print(plan.nsupdateScript())
        case .checklist: Self.printChecklist(plan)
        }
    }

    static func printChecklist(_ plan: CutoverPlan) {
        let formatter = ISO8601DateFormatter()
        print("Cutover plan for \(plan.domain)")
        print("")
        print("Changes:")
        for change in plan.changes {
            print("  [ ] \(change.action == .add ? "add   " : "remove") \(change.zoneLine)")
            print("        (\(change.reason))")
        }
        print("")
        print("SPF after the cutover (\(plan.newSPFLookups) of 10 DNS lookups):")
        print("  \(plan.newSPF)")
        print("")
        print("Timeline (old TTL \(plan.oldTTL)s, short TTL \(plan.shortTTL)s):")
        for step in plan.timeline { print("  [ ] \(formatter.string(from: step.at))  \(step.action)") }
        if !plan.warnings.isEmpty {
            print("")
            print("Warnings:")
            for warning in plan.warnings { print("  ! \(warning)") }
        }
    }
}
