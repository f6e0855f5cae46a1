/// The destination's routing objects — aliases, groups, forwarders and catch-all policy —
/// computed from the inventory, in the destination's addresses.
///
/// A target that is a mailbox with a different destination counterpart (renamed by a batch
/// CSV, e.g. `alice@old.example` → `alice@new.example`) is rewritten to that counterpart, so
/// `sales@ → alice` follows Alice. Mailboxes themselves are not routing objects; they are
/// listed only in `mailboxes`, which the Postfix writer needs next to a catch-all.
public struct RoutingTable: Sendable, Equatable {
    public struct Entry: Sendable, Equatable, Codable {
        public var kind: InventoryObject.Kind
        /// The address at the destination.
        public var address: String
        /// Targets at the destination.
        public var targets: [String]
        /// The source's display name (a group's or shared address's name), when known.
        public var displayName: String?
        public var keepCopy: Bool
        public var action: InventoryObject.Action
        public var actionText: String?
        public var status: InventoryObject.Status
        /// Where the source said so (`file:line`).
        public var sources: [String]
        public var notes: [String]
    }

    public var entries: [Entry]
    /// Destination addresses of every mailbox and shared mailbox.
    public var mailboxes: [String]

    public static let routingKinds: Set<InventoryObject.Kind> = [.alias, .group, .forwarder, .catchall]

    public init(inventory: [InventoryObject]) {
        var renamed: [String: String] = [:]
        var mailboxes: [String] = []
        for object in inventory where object.kind.isMailbox {
            if let destination = object.destination { renamed[object.address] = destination }
            if !mailboxes.contains(object.destinationAddress) { mailboxes.append(object.destinationAddress) }
        }
        func map(_ address: String) -> String { renamed[address] ?? address }
        entries = inventory.filter { Self.routingKinds.contains($0.kind) && $0.status != .skipped }.map { object in
            var targets: [String] = []
            for target in object.targets.map(map) where !targets.contains(target) { targets.append(target) }
            return Entry(kind: object.kind, address: object.destination ?? map(object.address), targets: targets,
                displayName: object.displayName, keepCopy: object.keepCopy, action: object.action,
                actionText: object.actionText, status: object.status, sources: object.sources.map(\.description),
                notes: object.notes)
        }
        .sorted { ($0.kind, $0.address) < ($1.kind, $1.address) }
        self.mailboxes = mailboxes.sorted()
    }

    /// The export formats of `tern routing export`.
    public enum Format: String, Sendable, CaseIterable {
        case postfix, sieve, csv, json
    }

    /// A file name and its text; Sieve gives one per forwarder, the others one in all.
    public struct OutputFile: Sendable, Equatable {
        public var name: String
        public var text: String
    }

    public func export(_ format: Format) -> [OutputFile] {
        switch format {
        case .postfix: [OutputFile(name: "virtual", text: postfixVirtual())]
        case .sieve: sieveScripts()
        case .csv: [OutputFile(name: "routing.csv", text: csv())]
        case .json: [OutputFile(name: "routing.json", text: json())]
        }
    }
}
