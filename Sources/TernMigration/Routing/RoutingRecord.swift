import Foundation

/// `DIR/reports/routing.json`: the latest outcome per routing object, from whichever command
/// last touched it (`routing apply`, `routing verify`, `checklist`) — what `tern report` says
/// about each alias, group, forwarder and catch-all at the destination.
public struct RoutingRecord: Sendable, Equatable, Codable {
    public struct Entry: Sendable, Equatable, Codable {
        public var outcome: RoutingApplier.Outcome
        /// "apply", "verify" or "checklist".
        public var command: String
        public var at: Date
    }

    public var entries: [Entry]

    public init(entries: [Entry] = []) { self.entries = entries }

    /// The entry for one object, if any command recorded it.
    public func entry(kind: InventoryObject.Kind, address: String) -> Entry? {
        entries.first { $0.outcome.kind == kind && $0.outcome.address == address }
    }

    /// Replaces the entries of the objects `outcomes` are about; dry-run plans are not facts
    /// and are left out.
    public mutating func record(_ outcomes: [RoutingApplier.Outcome], command: String, at: Date = Date()) {
        for outcome in outcomes where outcome.status != .planned {
            entries.removeAll { $0.outcome.kind == outcome.kind && $0.outcome.address == outcome.address }
            entries.append(Entry(outcome: outcome, command: command, at: at))
        }
        entries.sort { ($0.outcome.kind, $0.outcome.address) < ($1.outcome.kind, $1.outcome.address) }
    }

    public static func path(in project: MigrationProject) -> String { project.reportsDirectory + "/routing.json" }

    public static func load(from project: MigrationProject) throws(ProjectError) -> RoutingRecord? {
        let path = path(in: project)
        guard let data = FileManager.default.contents(atPath: path) else { return nil }
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        do {
            return try decoder.decode(RoutingRecord.self, from: data)
        } catch {
            throw ProjectError("\(path) is not a valid routing record: \(error); delete it to start afresh")
        }
    }

    /// Adds `outcomes` to the project's record and writes it (0600).
    public static func update(_ project: MigrationProject, with outcomes: [RoutingApplier.Outcome], command: String)
        throws(ProjectError) {
        var record = try load(from: project) ?? RoutingRecord()
        record.record(outcomes, command: command)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .iso8601
        let path = path(in: project)
        do {
            try FileManager.default.createDirectory(atPath: project.reportsDirectory, withIntermediateDirectories: true,
                attributes: [.posixPermissions: 0o700])
            var data = try encoder.encode(record)
            data.append(0x0A)
            try data.write(to: URL(fileURLWithPath: path), options: .atomic)
            try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: path)
        } catch {
            throw ProjectError("cannot write \(path): \(error.localizedDescription)")
        }
    }
}
