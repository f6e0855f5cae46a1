/// Tern's own inventory CSV, for what no export covers (RFC 4180 quoting, first line names
/// the columns, `#` comments):
///
///     type,address,targets,display_name,destination,size,keep_copy,action,notes
///     mailbox,ceo@example.com,,Dana Boss,,48 GB,,,oversized: start early
///     alias,sales@example.com,dana@example.com
///     group,team@example.com,"a@example.com; b@example.com"
///     forwarder,info@example.com,owner@gmail.com,,,,yes
///     catchall,@example.com,,,,,,reject,No such user here
///
/// Only `type` and `address` are required. `type` is mailbox, shared, alias, group, forwarder
/// or catchall (`catch-all`); `targets` holds addresses separated by `;`, `,` or spaces;
/// `action` is deliver (default), reject (its text in `notes`) or discard.
struct TypedCSVImporter: InventoryImporter {
    static let columns: Set<String> = [
        "type", "kind", "address", "targets", "display_name", "name", "destination", "size", "keep_copy", "action",
        "notes", "wave",
    ]

    func parse(_ text: String, file: String, context: ImportContext) -> ImportResult {
        var result = ImportResult()
        guard let table = ImportText.table(text, file: file, problems: &result.problems) else { return result }
        let headerSource = InventoryObject.Source(file: file, line: table.headerLine)
        guard table.header.contains("address"), table.header.contains("type") || table.header.contains("kind") else {
            result.bad(headerSource, "the first line must name the columns, with at least type and address")
            return result
        }
        for name in table.header where !Self.columns.contains(name) {
            result.warn(headerSource, "unknown column \"\(name)\" ignored")
        }
        for row in table.rows {
            let source = InventoryObject.Source(file: file, line: row.line)
            do throws(RowError) {
                result.add(try object(row.cells, source: source, context: context))
            } catch {
                result.bad(source, "\(error)")
            }
        }
        return result
    }

    struct RowError: Error, CustomStringConvertible {
        var message: String
        var description: String { message }
    }

    private func object(_ cells: [String: String], source: InventoryObject.Source, context: ImportContext)
        throws(RowError) -> InventoryObject {
        let typeText = (cells["type"] ?? cells["kind"] ?? "").lowercased()
        let kind: InventoryObject.Kind
        switch typeText {
        case "catch-all", "catchall", "wildcard": kind = .catchall
        case "forward", "forwarder": kind = .forwarder
        case "list", "group", "distribution": kind = .group
        default:
            guard let known = InventoryObject.Kind(rawValue: typeText) else {
                throw RowError(message: "unknown type \"\(typeText)\" (mailbox, shared, alias, group, forwarder, catchall)")
            }
            kind = known
        }
        var addressText = cells["address"] ?? ""
        if kind == .catchall && addressText.hasPrefix("*@") { addressText.removeFirst() }
        let address: String
        do {
            address = try AddressNormalizer.address(addressText, defaultDomain: kind == .catchall ? nil : context.defaultDomain)
        } catch {
            throw RowError(message: "\(error)")
        }
        if kind == .catchall && !address.hasPrefix("@") {
            throw RowError(message: "a catch-all address is @domain, not \"\(addressText)\"")
        }
        if kind != .catchall && address.hasPrefix("@") {
            throw RowError(message: "\"\(addressText)\" is a catch-all address; use type catchall")
        }
        var targets: [String] = []
        for raw in ImportText.addressList(cells["targets"] ?? "") {
            do {
                let target = try AddressNormalizer.address(raw, defaultDomain: context.defaultDomain)
                if !targets.contains(target) { targets.append(target) }
            } catch {
                throw RowError(message: "target \(error)")
            }
        }
        let actionText = (cells["action"] ?? "").lowercased()
        guard let action = actionText.isEmpty ? .deliver : InventoryObject.Action(rawValue: actionText) else {
            throw RowError(message: "unknown action \"\(actionText)\" (deliver, reject, discard)")
        }
        switch kind {
        case .alias where targets.count != 1 && action == .deliver:
            throw RowError(message: "an alias has exactly one target, found \(targets.count) (use group for several)")
        case .group where targets.isEmpty, .forwarder where targets.isEmpty:
            throw RowError(message: "a \(kind.rawValue) needs at least one target")
        case .catchall where targets.isEmpty && action == .deliver:
            throw RowError(message: "a catch-all that delivers needs a target (or action reject/discard)")
        case .mailbox where !targets.isEmpty, .shared where !targets.isEmpty:
            throw RowError(message: "a \(kind.rawValue) has no targets; list forwarding as a separate forwarder row")
        default: break
        }
        let keepText = (cells["keep_copy"] ?? "").lowercased()
        guard ["", "yes", "no", "true", "false", "1", "0", "y", "n"].contains(keepText) else {
            throw RowError(message: "keep_copy \"\(keepText)\" must be yes or no")
        }
        var size: Int64?
        if let sizeText = cells["size"], !sizeText.isEmpty {
            guard let value = ImportText.size(sizeText) else { throw RowError(message: "size \"\(sizeText)\" is not a size") }
            size = value
        }
        var destination: String?
        if let text = cells["destination"], !text.isEmpty {
            do {
                destination = try AddressNormalizer.address(text, defaultDomain: context.defaultDomain)
            } catch {
                throw RowError(message: "destination \(error)")
            }
        }
        let notes = cells["notes"].flatMap { $0.isEmpty ? nil : $0 }
        let name = cells["display_name"] ?? cells["name"]
        return InventoryObject(
            kind: kind, address: address, targets: targets, displayName: name?.isEmpty == false ? name : nil,
            sources: [source], destination: destination == address ? nil : destination,
            wave: cells["wave"].flatMap { $0.isEmpty ? nil : $0 },
            notes: action == .reject ? [] : notes.map { [$0] } ?? [],
            keepCopy: ["yes", "true", "1", "y"].contains(keepText), action: action,
            actionText: action == .reject ? (notes ?? "550 No such user here") : nil, sizeBytes: size)
    }
}
