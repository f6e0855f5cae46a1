import Foundation
import ArgumentParser
import TernCore
import TernScript
import TernDNS

/// The destination's required records: `--to PRESET` (built-in stop-gap table) or flags.
struct DNSTargetOptions: ParsableArguments {
    @Option(help: ArgumentHelp("Destination provider preset (name or .lua file; its `dns` table gives MX, SPF include, DKIM selector, DMARC), or one of the built-in \(CutoverTarget.builtInNames.joined(separator: ", ")).", valueName: "PRESET"))
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
        if let to, CutoverTarget.builtIn(to, domain: .root) == nil, !FileManager.default.fileExists(atPath: to) {
            let directories = PresetSearchPath.standard.directories
            guard directories.contains(where: { FileManager.default.fileExists(atPath: "\($0)/\(to).lua") }) else {
                throw ValidationError("--to \(to): no such preset or file (searched \(directories.joined(separator: ", ")); "
                    + "see `tern preset list`, or give --mx/--spf-include/--dkim-selector)")
            }
        }
        do { _ = try CutoverTarget.parseMX(mx) } catch { throw ValidationError("\(error)") }
    }

    func target(for domain: DNSName) async throws -> CutoverTarget {
        var target = CutoverTarget(mx: [], spfInclude: nil)
        if let to {
            if let builtIn = CutoverTarget.builtIn(to, domain: domain) {
                target = builtIn
            } else {
                target = try await Self.presetTarget(to, domain: domain)
            }
        }
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

extension DNSTargetOptions {
    /// The records a provider preset's `dns` table asks for (`mx = { "10 mx.example.net." }`,
    /// `spf_include`, `dkim_selector`, `dmarc`); a function-valued field sees the domain.
    static func presetTarget(_ name: String, domain: DNSName) async throws -> CutoverTarget {
        let domainText = domain.description.hasSuffix(".") ? String(domain.description.dropLast()) : domain.description
        let preset: ProviderPreset
        do {
            preset = try await PresetLoader().load(name, context: PresetContext(domain: domainText))
        } catch {
            throw ValidationError("--to \(name): \(error)")
        }
        guard let dns = preset.dns, !dns.mx.isEmpty else {
            throw ValidationError("--to \(name): the preset names no MX records (no dns.mx); give --mx HOST[:PRIO]")
        }
        var mx: [CutoverTarget.MX] = []
        for entry in dns.mx {
            let parts = entry.split(separator: " ").map(String.init)
            guard parts.count == 2, let preference = UInt16(parts[0]) else {
                throw ValidationError("--to \(name): dns.mx entry \"\(entry)\" is not \"PRIORITY HOST\"")
            }
            mx.append(CutoverTarget.MX(host: parts[1], preference: preference))
        }
        return CutoverTarget(mx: mx, spfInclude: dns.spfInclude,
            dkim: dns.dkimSelector.map { [CutoverTarget.DKIM(selector: $0, cname: nil)] } ?? [], dmarc: dns.dmarc)
    }
}
