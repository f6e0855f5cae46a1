import TernState

extension MigrationProject {
    /// The project's inventory, ordered by address then kind.
    public func inventory() async throws -> [InventoryObject] {
        try await openState().inventory().compactMap(InventoryObject.init(record:))
    }

    /// The mailboxes a wave moves (`plan capacity`, `plan folders`, `run wave`): mailbox and
    /// shared objects, once per address, without the deliberately skipped ones, stored in
    /// `wave`; nil or `final` (everyone's delta pass) is every mailbox.
    public func mailboxes(inWave wave: String?) async throws -> [InventoryObject] {
        var seen = Set<String>()
        return try await inventory().filter { object in
            object.kind.isMailbox && object.status != .skipped
                && (wave == nil || wave == Wave.final.rawValue || object.wave == wave)
                && seen.insert(object.address).inserted
        }
    }

    /// Imports `path` in `format`: normalises, merges into what the project holds, stores.
    /// Bad rows are in the result's `problems`, merges and conflicts in its `warnings`.
    public func importInventory(_ path: String, format: InventoryFormat, defaultDomain: String? = nil)
        async throws -> ImportResult {
        let context = ImportContext(domains: config.domains, defaultDomain: defaultDomain)
        var result = try format.read(path, context: context)
        let state = try openState()
        let existing = try await state.inventory().compactMap(InventoryObject.init(record:))
        let merged = InventoryNormalizer.merge(existing: existing, incoming: result.objects)
        // Merging with the project repeats what merging within the file already said.
        for warning in merged.warnings where !result.warnings.contains(warning) { result.warnings.append(warning) }
        let keys = Set(result.objects.map(\.address))
        // Store what this import touched (new or merged objects and conflicts marked on old ones).
        let changed = merged.objects.filter { keys.contains($0.address) }
        try await state.saveInventory(changed.map(\.record))
        result.problems.sort { $0.source.line < $1.source.line }
        result.warnings.sort { $0.source.line < $1.source.line }
        return result
    }
}
