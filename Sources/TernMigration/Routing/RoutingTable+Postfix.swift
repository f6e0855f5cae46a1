/// The routing objects as a Postfix `virtual` alias table (virtual(5),
/// https://www.postfix.org/virtual.5.html): `pattern result`, results separated by ", ".
///
/// - A forwarder that keeps a copy maps the address to itself and to its targets; virtual(5)
///   does not expand an address again when it appears in its own result, so this delivers to
///   the mailbox and forwards.
/// - A catch-all (`@domain`) "has the lowest precedence" among virtual patterns, but the whole
///   table is applied before mailbox delivery, so without more it would also swallow mail for
///   every mailbox of the domain that has no entry here. The writer therefore lists each such
///   mailbox as mapping to itself (the practice Postfix's VIRTUAL_README shows for catch-alls).
/// - An object under review (a conflict between sources, a pipe) is written commented out:
///   nothing ambiguous goes live without a person deciding.
/// - Rejecting and discarding are not things an alias table can do: they are written as
///   comments saying what to configure instead.
extension RoutingTable {
    public func postfixVirtual() -> String {
        var lines = [
            "# Postfix virtual alias table: aliases, groups, forwarders and catch-all, written by tern routing export.",
            "# Install: cp virtual /etc/postfix/virtual && postmap /etc/postfix/virtual",
            "# and in main.cf: virtual_alias_maps = hash:/etc/postfix/virtual (see virtual(5)).",
        ]
        let sections: [(InventoryObject.Kind, String)] = [
            (.alias, "Aliases"), (.group, "Groups"), (.forwarder, "Forwarders"), (.catchall, "Catch-all"),
        ]
        for (kind, title) in sections {
            let selected = entries.filter { $0.kind == kind }
            guard !selected.isEmpty else { continue }
            lines.append("")
            lines.append("# \(title)")
            for entry in selected { lines += postfixLines(entry) }
        }
        let catchAllDomains = Set(entries.filter { $0.kind == .catchall && $0.action == .deliver }.map {
            String($0.address.dropFirst())
        })
        let listed = Set(entries.map(\.address))
        let shadowed = mailboxes.filter {
            catchAllDomains.contains(AddressNormalizer.domainOf($0) ?? "") && !listed.contains($0)
        }
        if !shadowed.isEmpty {
            lines.append("")
            lines.append("# Mailboxes listed as themselves so the catch-all above does not take their mail")
            for mailbox in shadowed { lines.append("\(mailbox)\t\(mailbox)") }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    private func postfixLines(_ entry: Entry) -> [String] {
        var lines: [String] = []
        if entry.status == .review {
            lines.append("# REVIEW \(entry.address): " + (entry.notes.isEmpty ? "see tern inventory list" : entry.notes.joined(separator: "; "))
                + " -- decide, then uncomment the line below")
        }
        switch entry.action {
        case .reject:
            let text = entry.actionText ?? "No such user here"
            if entry.kind == .catchall {
                lines.append("# \(entry.address): reject unknown recipients (\"\(text)\"). Postfix does this for virtual "
                    + "mailbox domains by itself (smtpd_reject_unlisted_recipient); nothing to add.")
            } else {
                lines.append("# \(entry.address): reject (\"\(text)\"): add \"\(entry.address) REJECT \(text)\" to a "
                    + "check_recipient_access table.")
            }
            return lines
        case .discard:
            lines.append("# \(entry.address): discard. Map it to an address whose transport is discard: "
                + "(transport(5)) if you keep this behaviour.")
            return lines
        case .deliver:
            break
        }
        guard !entry.targets.isEmpty else {
            lines.append("# \(entry.address): no target at the source; nothing to write")
            return lines
        }
        let result = (entry.keepCopy ? [entry.address] : []) + entry.targets
        lines.append((entry.status == .review ? "# " : "") + "\(entry.address)\t\(result.joined(separator: ", "))")
        return lines
    }
}
