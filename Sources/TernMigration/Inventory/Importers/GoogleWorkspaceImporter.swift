/// Google Workspace exports, recognised by their columns:
///
/// - Users, as the Admin console downloads them (Directory > Users > Download users; the
///   columns of Google's bulk-upload template, Admin Help "Add or update multiple users from a
///   CSV file", https://support.google.com/a/answer/40057): `First Name [Required]`,
///   `Last Name [Required]`, `Email Address [Required]`, `Status [READ ONLY]`,
///   `Email Usage [READ ONLY]` …; or as GAM prints them (`gam print users aliases`):
///   `primaryEmail`, `name.fullName`, `suspended`, `aliases.0`, `aliases.1` …
/// - Groups: `gam print groups name members` (`email`, `name`, `members` with members
///   separated by spaces or `;`), or one row per membership as the Admin console's member
///   download and `gam print group-members` give them (`group`/`Group Email`, `email`/
///   `Member Email`).
///
/// Header names are compared case-insensitively without their ` [Required]` / ` [READ ONLY]`
/// tags. Password columns are ignored.
struct GoogleWorkspaceImporter: InventoryImporter {
    func parse(_ text: String, file: String, context: ImportContext) -> ImportResult {
        var result = ImportResult()
        guard var table = ImportText.table(text, file: file, problems: &result.problems) else { return result }
        table.header = table.header.map(Self.bare)
        table.rows = table.rows.map { row in
            var cells: [String: String] = [:]
            for (key, value) in row.cells where cells[Self.bare(key)] == nil { cells[Self.bare(key)] = value }
            return (row.line, cells, row.count)
        }
        let header = Set(table.header)
        if header.contains("email address") || header.contains("primaryemail") {
            users(table, file: file, into: &result)
        } else if header.contains("group email") || header.contains("group") || header.contains("members") {
            groups(table, file: file, into: &result)
        } else {
            result.bad(.init(file: file, line: table.headerLine), "not a Google Workspace user or group export "
                + "(no Email Address [Required], primaryEmail, Group Email, group or members column)")
        }
        return result
    }

    /// `Email Address [Required]` → `email address`.
    static func bare(_ name: String) -> String {
        guard let bracket = name.firstIndex(of: "[") else { return name }
        return name[..<bracket].trimmingCharacters(in: .whitespaces)
    }

    private func users(_ table: ImportText.Table, file: String, into result: inout ImportResult) {
        let aliasColumns = table.header.filter { $0 == "aliases" || $0.hasPrefix("aliases.") }
        for row in table.rows {
            let source = InventoryObject.Source(file: file, line: row.line)
            let cells = row.cells
            let raw = cells["email address"] ?? cells["primaryemail"] ?? ""
            let address: String
            do {
                address = try AddressNormalizer.address(raw)
            } catch {
                result.bad(source, "\(error)")
                continue
            }
            var object = InventoryObject(kind: .mailbox, address: address, sources: [source])
            let name = [cells["first name"] ?? cells["name.givenname"], cells["last name"] ?? cells["name.familyname"]]
                .compactMap { $0 }.filter { !$0.isEmpty }.joined(separator: " ")
            object.displayName = cells["name.fullname"].flatMap { $0.isEmpty ? nil : $0 } ?? (name.isEmpty ? nil : name)
            let status = (cells["status"] ?? "").lowercased()
            if status == "suspended" || (cells["suspended"] ?? "").lowercased() == "true" {
                object.notes.append("suspended at the source")
            }
            if let usage = cells["email usage"], !usage.isEmpty {
                guard let bytes = ImportText.size(usage) else {
                    result.bad(source, "Email Usage \"\(usage)\" is not a size")
                    continue
                }
                object.sizeBytes = bytes
            }
            result.add(object)
            for column in aliasColumns {
                for alias in ImportText.addressList(cells[column] ?? "") {
                    guard let normalised = try? AddressNormalizer.address(alias) else {
                        result.bad(source, "alias \"\(alias)\" is not an address")
                        continue
                    }
                    result.add(InventoryObject(kind: .alias, address: normalised, targets: [address], sources: [source]))
                }
            }
        }
    }

    private func groups(_ table: ImportText.Table, file: String, into result: inout ImportResult) {
        let perMembership = table.header.contains("member email")
            || (table.header.contains("group") && table.header.contains("email"))
        for row in table.rows {
            let source = InventoryObject.Source(file: file, line: row.line)
            let cells = row.cells
            let groupText = perMembership ? (cells["group email"] ?? cells["group"] ?? "")
                : (cells["group email"] ?? cells["email"] ?? "")
            let group: String
            do {
                group = try AddressNormalizer.address(groupText)
            } catch {
                result.bad(source, "group \(error)")
                continue
            }
            var members: [String] = []
            let memberCell = perMembership ? (cells["member email"] ?? cells["email"] ?? "") : (cells["members"] ?? "")
            var bad = false
            for raw in ImportText.addressList(memberCell) {
                do {
                    members.append(try AddressNormalizer.address(raw))
                } catch {
                    result.bad(source, "member \(error)")
                    bad = true
                    break
                }
            }
            if bad { continue }
            if perMembership && members.isEmpty {
                result.bad(source, "the member address is empty")
                continue
            }
            var object = InventoryObject(kind: .group, address: group, targets: members,
                displayName: (cells["group name"] ?? cells["name"]).flatMap { $0.isEmpty ? nil : $0 }, sources: [source])
            if members.isEmpty {
                object.status = .review
                object.notes.append("no members in this export")
            }
            mergeGroup(object, perMembership: perMembership, into: &result)
        }
    }

    /// Membership rows of one group are one object, not duplicates.
    private func mergeGroup(_ object: InventoryObject, perMembership: Bool, into result: inout ImportResult) {
        if perMembership, let index = result.objects.firstIndex(where: { $0.key == object.key }) {
            for member in object.targets where !result.objects[index].targets.contains(member) {
                result.objects[index].targets.append(member)
            }
            result.objects[index].sources.append(contentsOf: object.sources)
            return
        }
        result.add(object)
    }
}
