import Foundation

/// A cPanel forwarder file, `/etc/valiases/DOMAIN`: one per domain, read by Exim's
/// `virtual_aliases` router as an `lsearch` table (cPanel docs, "Forwarders" and "Default
/// Address"; Exim spec ch. 9 "lsearch": `key: data`, `#` comments, lines starting with
/// white space continue the previous line).
///
///     sales@example.com: dana@example.com
///     team@example.com: a@example.com,b@example.com
///     info@example.com: info@example.com,owner@gmail.com
///     old@example.com: :fail: No longer with the company
///     *: :fail: No such person at this address
///
/// `*` is the domain's default address (catch-all): an address or account name, `:fail: TEXT`
/// (reject at SMTP time), `:blackhole:` (discard). Pipes (`|/path`) and file deliveries
/// (`/path`) cannot be recreated elsewhere: the object is imported for review without them.
/// The domain comes from the file name, else from the import's default domain.
struct CPanelValiasesImporter: InventoryImporter {
    func parse(_ text: String, file: String, context: ImportContext) -> ImportResult {
        var result = ImportResult()
        let fileDomain = (try? AddressNormalizer.domain((file as NSString).lastPathComponent))
            .flatMap { $0.contains(".") ? $0 : nil }
        let domain = fileDomain ?? context.defaultDomain
        var context = context
        if let domain { context.defaultDomain = domain }
        var logical: [(line: Int, text: String)] = []
        for (number, line) in ImportText.lines(text) {
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            if trimmed.isEmpty || trimmed.hasPrefix("#") { continue }
            if line.first?.isWhitespace == true, !logical.isEmpty {
                logical[logical.count - 1].text += " " + trimmed
            } else {
                logical.append((number, trimmed))
            }
        }
        for (line, entry) in logical {
            let source = InventoryObject.Source(file: file, line: line)
            guard let colon = entry.firstIndex(of: ":") else {
                result.bad(source, "expected \"address: target\"")
                continue
            }
            let key = entry[..<colon].trimmingCharacters(in: .whitespaces)
            let value = entry[entry.index(after: colon)...].trimmingCharacters(in: .whitespaces)
            guard !key.isEmpty else {
                result.bad(source, "the address before \":\" is empty")
                continue
            }
            guard !value.isEmpty else {
                result.bad(source, "\(key) has no target")
                continue
            }
            let address: String
            do {
                if key == "*" {
                    guard let domain else {
                        result.bad(source, "\"*\" needs the domain: name the file after it or pass --domain")
                        continue
                    }
                    address = "@" + domain
                } else {
                    address = try AddressNormalizer.address(key, defaultDomain: domain)
                }
            } catch {
                result.bad(source, "\(error)")
                continue
            }
            if value.hasPrefix(":fail:") || value.hasPrefix(":blackhole:") {
                let reject = value.hasPrefix(":fail:")
                let message = reject ? value.dropFirst(":fail:".count).trimmingCharacters(in: .whitespaces) : nil
                result.add(InventoryObject(kind: address.hasPrefix("@") ? .catchall : .alias, address: address,
                    sources: [source], action: reject ? .reject : .discard,
                    actionText: reject ? (message?.isEmpty == false ? message : "No such person at this address") : nil))
                continue
            }
            var targets: [String] = []
            var manual: [String] = []
            var failed = false
            for raw in splitTargets(value) {
                if raw.hasPrefix("|") || raw.hasPrefix("/") || raw.hasPrefix("\"|") {
                    manual.append(raw)
                    continue
                }
                do {
                    targets.append(try AddressNormalizer.address(raw, defaultDomain: domain))
                } catch {
                    result.bad(source, "target \(error)")
                    failed = true
                    break
                }
            }
            if failed { continue }
            var object: InventoryObject
            if targets.isEmpty {
                object = InventoryObject(kind: address.hasPrefix("@") ? .catchall : .forwarder, address: address,
                    sources: [source])
            } else {
                object = .routing(address: address, targets: targets, source: source, context: context)
            }
            if !manual.isEmpty {
                object.status = .review
                object.notes.append("delivers to a program or file at the source (\(manual.joined(separator: ", "))): "
                    + "recreate by hand")
                result.warn(source, "\(address) delivers to \(manual.joined(separator: ", ")): imported for review")
            }
            result.add(object)
        }
        return result
    }

    /// Commas separate targets; a quoted pipe command may contain commas and spaces.
    private func splitTargets(_ value: String) -> [String] {
        var targets: [String] = []
        var current = ""
        var quoted = false
        for character in value {
            if character == "\"" { quoted.toggle() }
            if character == "," && !quoted {
                targets.append(current)
                current = ""
            } else {
                current.append(character)
            }
        }
        targets.append(current)
        return targets.map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
    }
}
