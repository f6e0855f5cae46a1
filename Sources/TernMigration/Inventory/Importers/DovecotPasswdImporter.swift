/// A Dovecot passwd-file (https://doc.dovecot.org/configuration_manual/authentication/passwd_file/):
///
///     user:password:uid:gid:(gecos):home:(shell):extra_fields
///
/// "Empty lines and lines beginning with `#` character are ignored." Only the user is needed;
/// the password field (`{SCHEME}hash`) is never kept. The GECOS field becomes the display
/// name. Extra fields are space-separated `key=value` pairs and may contain colons
/// (`userdb_quota_rule=*:storage=2G`), so everything after the seventh colon is one field;
/// a storage quota rule is noted on the mailbox. Bare user names get the project's first
/// domain (the passwd-file is usually per domain, `%d` in `args`).
struct DovecotPasswdImporter: InventoryImporter {
    func parse(_ text: String, file: String, context: ImportContext) -> ImportResult {
        var result = ImportResult()
        for (number, line) in ImportText.lines(text) {
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            if trimmed.isEmpty || trimmed.hasPrefix("#") { continue }
            let source = InventoryObject.Source(file: file, line: number)
            let fields = line.split(separator: ":", maxSplits: 7, omittingEmptySubsequences: false).map(String.init)
            guard fields.count >= 2 else {
                result.bad(source, "expected user:password[:uid:gid:gecos:home:shell:extra_fields]")
                continue
            }
            let user = fields[0].trimmingCharacters(in: .whitespaces)
            guard !user.isEmpty else {
                result.bad(source, "the user field is empty")
                continue
            }
            for (index, name) in [(2, "uid"), (3, "gid")] where fields.count > index {
                let value = fields[index]
                // A number or a system user/group name; never white space.
                if value.contains(where: \.isWhitespace) {
                    result.bad(source, "\(name) \"\(value)\" is not a number or a name")
                    break
                }
            }
            if result.problems.last?.source == source { continue }
            let address: String
            do {
                address = try AddressNormalizer.address(user, defaultDomain: context.defaultDomain)
            } catch {
                result.bad(source, "\(error)")
                continue
            }
            var object = InventoryObject(kind: .mailbox, address: address, sources: [source])
            if fields.count > 4, !fields[4].trimmingCharacters(in: .whitespaces).isEmpty {
                object.displayName = fields[4].trimmingCharacters(in: .whitespaces)
            }
            if fields.count > 7 {
                for pair in fields[7].split(whereSeparator: \.isWhitespace) {
                    let text = String(pair)
                    if let quota = text.firstRange(of: "storage=") {
                        let value = text[quota.upperBound...]
                        // A limit, not the mailbox's size: noted only.
                        object.notes.append("quota \(value) at the source")
                    } else if text.hasPrefix("userdb_mail=") || text.hasPrefix("mail=") {
                        object.notes.append("mail location \(text.split(separator: "=", maxSplits: 1)[1])")
                    }
                }
            }
            result.add(object)
        }
        return result
    }
}
