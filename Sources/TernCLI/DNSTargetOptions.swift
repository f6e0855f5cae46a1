import ArgumentParser
import TernDNS

/// The destination's required records: `--to PRESET` (built-in stop-gap table) or flags.
struct DNSTargetOptions: ParsableArguments {
    @Option(help: ArgumentHelp("Destination preset. Until Lua presets exist, one of: \(CutoverTarget.builtInNames.joined(separator: ", ")).", valueName: "PRESET"))
    var to: String?

    @Option(name: .customLong("mx"), help: ArgumentHelp("Destination MX host and preference (repeatable).", valueName: "HOST[:PRIO]"))
    var mx: [String] = []

    @Option(name: .customLong("spf-include"), help: ArgumentHelp("The destination's SPF include domain.", valueName: "X"))
    var spfInclude: String?

    @Option(name: .customLong("spf-remove"), help: ArgumentHelp("An SPF include to drop (repeatable). Default: includes of the current MX hosts' organization.", valueName: "X"))
    var spfRemove: [String] = []

    @Option(name: .customLong("dkim-selector"), help: ArgumentHelp("Destination DKIM selector, optionally CNAMEd to the provider's key (repeatable).", valueName: "S[=TARGET]"))
    var dkimSelectors: [String] = []

    @Option(help: ArgumentHelp("DMARC record to publish if the domain has none.", valueName: "RECORD"))
    var dmarc: String?

    func validate() throws {
        guard to != nil || !mx.isEmpty else { throw ValidationError("give the destination: --to PRESET or --mx HOST[:PRIO]") }
        if let to, CutoverTarget.builtIn(to, domain: .root) == nil {
            throw ValidationError("--to \(to): unknown destination; built in: \(CutoverTarget.builtInNames.joined(separator: ", ")). Provider presets from Lua are not available yet: use --mx/--spf-include/--dkim-selector")
        }
        do { _ = try CutoverTarget.parseMX(mx) } catch { throw ValidationError("\(error)") }
    }

    func target(for domain: DNSName) throws -> CutoverTarget {
        var target = to.flatMap { CutoverTarget.builtIn($0, domain: domain) } ?? CutoverTarget(mx: [], spfInclude: nil)
        if !mx.isEmpty { target.mx = try CutoverTarget.parseMX(mx) }
        if let spfInclude { target.spfInclude = spfInclude }
        if !spfRemove.isEmpty { target.spfRemove = spfRemove }
        if !dkimSelectors.isEmpty {
            target.dkim = dkimSelectors.map { item in
                let parts = item.split(separator: "=", maxSplits: 1).map(String.init)
                return CutoverTarget.DKIM(selector: parts[0], cname: parts.count == 2 ? parts[1] : nil)
            }
        }
        if let dmarc { target.dmarc = dmarc }
        return target
    }
}
