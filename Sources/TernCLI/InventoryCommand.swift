import ArgumentParser
import TernMigration

/// `tern inventory import | list`: every mailbox and routing object of the project.
struct InventoryCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "inventory",
        abstract: "Import and list the project's mailboxes, aliases, groups, forwarders and catch-all.",
        discussion: """
            IMAP moves mailboxes only. Aliases, groups, forwarders and catch-all rules are routing \
            objects the destination must recreate before MX cutover: inventory them first. See \
            docs/migration-project.md.
            """,
        subcommands: [InventoryImportCommand.self, InventoryListCommand.self, InventoryScanCommand.self])
}

extension InventoryFormat: ExpressibleByArgument {}
