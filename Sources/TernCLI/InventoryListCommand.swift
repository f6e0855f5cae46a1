import ArgumentParser
import Foundation
import TernCore
import TernMigration
import TernState

/// `tern inventory list [--json]`: the whole map, one object per line.
struct InventoryListCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list",
        abstract: "Show every object with its destination counterpart, targets, wave and status.")

    @Flag(help: "Print a JSON array of objects.")
    var json = false

    @Option(help: "Only objects of this kind (mailbox, shared, alias, group, forwarder, catchall).")
    var kind: InventoryObject.Kind?

    @OptionGroup var project: ProjectOptions

    func run() async throws {
        try await reportingErrors {
            let project = try project.load()
            let objects = try await project.inventory().filter { kind == nil || $0.kind == kind }
            let scans = try await project.scans()
            if json {
                let encoder = JSONEncoder()
                encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
                let listed = objects.map { ListedObject(object: $0, scan: $0.kind.isMailbox ? scans[$0.address] : nil) }
                print(String(decoding: try encoder.encode(listed), as: UTF8.self))
                return
            }
            if objects.isEmpty {
                print("The inventory is empty: tern inventory import FILE --format FORMAT")
                return
            }
            let rows = objects.map { object -> [String] in
                let route: String
                switch object.action {
                case .reject: route = "reject: " + (object.actionText ?? "")
                case .discard: route = "discard"
                case .deliver:
                    route = object.kind.isMailbox ? object.destinationAddress
                        : (object.keepCopy ? "(keeps copy) " : "") + object.targets.joined(separator: ", ")
                }
                return [object.kind.rawValue, object.address, route, object.wave ?? "", object.status.rawValue,
                        object.sizeBytes.map { Self.size($0) } ?? ""]
                    + Self.scanCells(object.kind.isMailbox ? scans[object.address] : nil)
            }
            let header = ["KIND", "ADDRESS", "DESTINATION / TARGETS", "WAVE", "STATUS", "SIZE", "MESSAGES", "SCAN"]
            print(TextTable.render(header: header, rows: rows, maxWidth: 48), terminator: "")
            let review = objects.filter { $0.status == .review }
            print("\(objects.count) objects; \(review.count) to review"
                + (review.isEmpty ? "" : " (tern inventory list --json shows their notes)"))
        }
    }

    /// MESSAGES and SCAN: the latest scan's count and "ok" or its failure's category.
    static func scanCells(_ scan: ScanRecord?) -> [String] {
        guard let scan else { return ["", ""] }
        return [scan.messages.map(String.init) ?? "",
                scan.status == "ok" ? "ok" : "failed (\(scan.errorCategory ?? "error"))"]
    }

    /// Decimal units, as in every plan and report of the project.
    static func size(_ bytes: Int64) -> String { ByteCount.format(bytes) }
}

/// One object of `inventory list --json`: the stored fields plus the computed destination.
struct ListedObject: Encodable {
    var object: InventoryObject
    /// The mailbox's latest `inventory scan`, if any.
    var scan: ScanRecord? = nil

    enum Keys: String, CodingKey {
        case kind, address, destination, targets, displayName, sources, wave, status, notes, keepCopy, action
        case actionText, sizeBytes, messages, scanStatus, scanError
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: Keys.self)
        try container.encode(object.kind, forKey: .kind)
        try container.encode(object.address, forKey: .address)
        try container.encode(object.destinationAddress, forKey: .destination)
        try container.encode(object.targets, forKey: .targets)
        try container.encodeIfPresent(object.displayName, forKey: .displayName)
        try container.encode(object.sources.map(\.description), forKey: .sources)
        try container.encodeIfPresent(object.wave, forKey: .wave)
        try container.encode(object.status, forKey: .status)
        try container.encode(object.notes, forKey: .notes)
        try container.encode(object.keepCopy, forKey: .keepCopy)
        try container.encode(object.action, forKey: .action)
        try container.encodeIfPresent(object.actionText, forKey: .actionText)
        try container.encodeIfPresent(object.sizeBytes, forKey: .sizeBytes)
        try container.encodeIfPresent(scan?.messages, forKey: .messages)
        try container.encodeIfPresent(scan?.status, forKey: .scanStatus)
        try container.encodeIfPresent(scan?.error, forKey: .scanError)
    }
}

extension InventoryObject.Kind: ExpressibleByArgument {}
