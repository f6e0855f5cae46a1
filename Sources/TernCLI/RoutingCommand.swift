import ArgumentParser
import TernMigration

/// `tern routing export`: the destination's aliases, groups, forwarders and catch-all.
struct RoutingCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "routing",
        abstract: "Write the destination's routing objects (aliases, groups, forwarders, catch-all) from the inventory.",
        subcommands: [RoutingExportCommand.self, RoutingApplyCommand.self, RoutingVerifyCommand.self])
}

extension RoutingTable.Format: ExpressibleByArgument {}
