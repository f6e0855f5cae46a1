import ArgumentParser

/// `tern dns …`: DNS inspection, SPF evaluation and the MX cutover (see docs/dns.md).
struct DNSCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "dns",
        abstract: "Inspect, plan and verify a domain's mail DNS on every authoritative nameserver.",
        subcommands: [DNSCheckCommand.self, DNSSPFCommand.self, DNSPlanCommand.self, DNSVerifyCommand.self, DNSApplyCommand.self]
    )
}
