/// Merges newly imported objects into the inventory.
///
/// - The same address imported twice as the same kind is one object: targets are united (file
///   order kept), sources listed, and a warning names both records. A mailbox and a shared
///   mailbox at one address are the same object (shared wins). Reading the very same record
///   again (same file and line, e.g. after fixing a file) replaces its imported fields quietly
///   and keeps what later steps set (wave, status, destination).
/// - One address as two kinds is kept as two objects. A mailbox that also forwards is normal;
///   anything else (an alias that is also a mailbox, a group that is also an alias) is marked
///   `review` on both sides: someone must decide before the destination is built.
public enum InventoryNormalizer {
    public static func merge(existing: [InventoryObject], incoming: [InventoryObject])
        -> (objects: [InventoryObject], warnings: [InventoryProblem]) {
        var objects = existing
        var index: [MergeKey: Int] = [:]
        for (position, object) in objects.enumerated() { index[MergeKey(object)] = position }
        var warnings: [InventoryProblem] = []
        var touched: Set<Int> = []

        for object in incoming {
            let key = MergeKey(object)
            guard let position = index[key] else {
                index[key] = objects.count
                touched.insert(objects.count)
                objects.append(object)
                continue
            }
            touched.insert(position)
            var current = objects[position]
            if !Set(object.sources).isDisjoint(with: current.sources) {
                current.targets = object.targets
                current.displayName = object.displayName ?? current.displayName
                current.keepCopy = object.keepCopy
                current.action = object.action
                current.actionText = object.actionText
                current.sizeBytes = object.sizeBytes ?? current.sizeBytes
                current.destination = object.destination ?? current.destination
                if current.kind != object.kind && object.kind == .shared { current.kind = .shared }
                objects[position] = current
                continue
            }
            let here = object.sources.first.map(\.description) ?? "?"
            let first = current.sources.first.map(\.description) ?? "?"
            warnings.append(InventoryProblem(object.sources.first ?? .init(file: "?", line: 0),
                "duplicate \(object.kind.rawValue) \(object.address) merged with the record at \(first)"))
            for target in object.targets where !current.targets.contains(target) { current.targets.append(target) }
            if object.kind == .shared { current.kind = .shared }
            current.displayName = current.displayName ?? object.displayName
            current.keepCopy = current.keepCopy || object.keepCopy
            current.sizeBytes = max(current.sizeBytes ?? 0, object.sizeBytes ?? 0) == 0
                ? nil : max(current.sizeBytes ?? 0, object.sizeBytes ?? 0)
            if let destination = object.destination {
                if let existing = current.destination, existing != destination {
                    current.status = .review
                    current.notes.append("\(here) gives destination \(destination), \(first) gives \(existing)")
                    warnings.append(InventoryProblem(object.sources.first!,
                        "\(object.address): destination \(destination) differs from \(existing) at \(first); kept \(existing)"))
                } else {
                    current.destination = destination
                }
            }
            if object.action != current.action {
                current.status = .review
                current.notes.append("\(here) says \(object.action.rawValue), \(first) says \(current.action.rawValue)")
            }
            for note in object.notes where !current.notes.contains(note) { current.notes.append(note) }
            if object.status == .review { current.status = .review }
            current.sources.append(contentsOf: object.sources.filter { !current.sources.contains($0) })
            objects[position] = current
        }

        warnings += markConflicts(&objects, touched: touched)
        warnings += caseTwins(objects, touched: touched)
        objects.sort { ($0.address, $0.kind) < ($1.address, $1.kind) }
        return (objects, warnings)
    }

    /// Objects of different kinds at one address, where at least one was just imported.
    static func markConflicts(_ objects: inout [InventoryObject], touched: Set<Int>) -> [InventoryProblem] {
        var byAddress: [String: [Int]] = [:]
        for (position, object) in objects.enumerated() { byAddress[object.address, default: []].append(position) }
        var warnings: [InventoryProblem] = []
        for positions in byAddress.values where positions.count > 1 && positions.contains(where: touched.contains) {
            let kinds = Set(positions.map { objects[$0].kind })
            let mailbox = positions.first { objects[$0].kind.isMailbox }
            let forwarder = positions.first { objects[$0].kind == .forwarder }
            if kinds.count == 2, let mailbox, let forwarder {
                if !objects[forwarder].keepCopy {
                    let note = "forwards without keeping a copy, so the mailbox receives nothing"
                    if !objects[forwarder].notes.contains(note) {
                        objects[forwarder].notes.append(note)
                        warnings.append(InventoryProblem(objects[forwarder].sources.first ?? .init(file: "?", line: 0),
                            "\(objects[forwarder].address) is a mailbox (\(objects[mailbox].sources.first.map(\.description) ?? "?")) that \(note)"))
                    }
                }
                continue
            }
            for position in positions {
                let others = positions.filter { $0 != position }.map { other in
                    "\(objects[other].kind.rawValue) (\(objects[other].sources.first.map(\.description) ?? "?"))"
                }
                let note = "also imported as " + others.joined(separator: " and ") + ": decide which one the destination gets"
                if !objects[position].notes.contains(note) {
                    objects[position].notes.append(note)
                    objects[position].status = .review
                    if touched.contains(position) {
                        warnings.append(InventoryProblem(objects[position].sources.first ?? .init(file: "?", line: 0),
                            "\(objects[position].address) (\(objects[position].kind.rawValue)) is \(note)"))
                    }
                }
            }
        }
        return warnings
    }

    /// Addresses of one kind that differ only in the letter case of the local part: kept apart
    /// (RFC 5321 §2.4 lets the host decide), but nearly every server treats them as one.
    static func caseTwins(_ objects: [InventoryObject], touched: Set<Int>) -> [InventoryProblem] {
        var seen: [MergeKey: Int] = [:]
        var warnings: [InventoryProblem] = []
        for (position, object) in objects.enumerated() {
            var key = MergeKey(object)
            key.address = key.address.lowercased()
            guard let other = seen[key] else {
                seen[key] = position
                continue
            }
            guard touched.contains(position) || touched.contains(other) else { continue }
            warnings.append(InventoryProblem(object.sources.first ?? .init(file: "?", line: 0),
                "\(object.address) and \(objects[other].address) differ only in letter case; most servers treat them "
                    + "as one \(object.kind.rawValue): correct one of the files, or they stay two objects"))
        }
        return warnings
    }

    /// Mailbox and shared mailbox are one family; every other kind stands alone.
    struct MergeKey: Hashable {
        var family: String
        var address: String
        init(_ object: InventoryObject) {
            family = object.kind.isMailbox ? "mailbox" : object.kind.rawValue
            address = object.address
        }
    }
}
