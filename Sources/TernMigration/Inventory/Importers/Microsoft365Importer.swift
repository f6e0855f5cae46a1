/// A Microsoft 365 / Exchange Online recipient export, as an admin makes it in Exchange Online
/// PowerShell:
///
///     Get-Recipient -ResultSize Unlimited |
///       Select-Object DisplayName, RecipientType, RecipientTypeDetails, PrimarySmtpAddress,
///         @{n='EmailAddresses';e={$_.EmailAddresses -join ';'}} |
///       Export-Csv recipients.csv -NoTypeInformation -Encoding UTF8
///
/// Columns are matched by name, case-insensitively; `#TYPE …` lines (Windows PowerShell without
/// `-NoTypeInformation`) are skipped. Values follow the Get-Recipient reference (Microsoft
/// Learn, "Get-Recipient": RecipientTypeDetails) and the proxy-address convention: `SMTP:` in
/// upper case is the primary address, `smtp:` a secondary one (which becomes an alias of the
/// primary); `X500:`, `SIP:`, `SPO:`, `EUM:` proxies and `*.onmicrosoft.com` routing addresses
/// are not routing objects at the destination and are skipped.
///
/// Optional columns a richer export (Get-Mailbox / Get-DistributionGroupMember) adds:
/// `ForwardingSmtpAddress` with `DeliverToMailboxAndForward` (a forwarder, keeping a copy when
/// True), `Members` (a group's members, `;`-separated), `TotalItemSize` (from
/// Get-MailboxStatistics, e.g. "2.1 GB (2,254,857,830 bytes)"), `ExternalEmailAddress` (MailUser).
struct Microsoft365Importer: InventoryImporter {
    static let mailboxTypes: Set<String> = ["usermailbox", "linkedmailbox", "legacymailbox", "remoteusermailbox"]
    static let sharedTypes: Set<String> = [
        "sharedmailbox", "roommailbox", "equipmentmailbox", "schedulingmailbox", "remotesharedmailbox",
        "remoteroommailbox", "remoteequipmentmailbox",
    ]
    static let groupTypes: Set<String> = [
        "mailuniversaldistributiongroup", "mailuniversalsecuritygroup", "mailnonuniversalgroup",
        "dynamicdistributiongroup", "groupmailbox", "roomlist", "mailuniversalgroup",
    ]
    static let skippedTypes: Set<String> = ["mailcontact", "discoverymailbox", "publicfolder", "systemmailbox",
        "arbitrationmailbox", "auditlogmailbox", "monitoringmailbox"]

    func parse(_ text: String, file: String, context: ImportContext) -> ImportResult {
        var result = ImportResult()
        guard let table = ImportText.table(text, file: file, problems: &result.problems) else { return result }
        guard table.header.contains("primarysmtpaddress"),
              table.header.contains("recipienttypedetails") || table.header.contains("recipienttype") else {
            result.bad(.init(file: file, line: table.headerLine),
                "not a recipient export: needs PrimarySmtpAddress and RecipientType or RecipientTypeDetails columns")
            return result
        }
        for row in table.rows {
            read(row.cells, source: .init(file: file, line: row.line), context: context, into: &result)
        }
        return result
    }

    private func read(_ cells: [String: String], source: InventoryObject.Source, context: ImportContext,
                      into result: inout ImportResult) {
        let details = (cells["recipienttypedetails"].flatMap { $0.isEmpty ? nil : $0 } ?? cells["recipienttype"] ?? "")
        let type = details.lowercased()
        let primaryText = cells["primarysmtpaddress"] ?? ""
        if Self.skippedTypes.contains(type) {
            result.warn(source, "\(details) \(primaryText) is not an object of the domain: skipped")
            return
        }
        let kind: InventoryObject.Kind
        switch type {
        case _ where Self.mailboxTypes.contains(type): kind = .mailbox
        case _ where Self.sharedTypes.contains(type): kind = .shared
        case _ where Self.groupTypes.contains(type): kind = .group
        case "mailuser", "guestmailuser": kind = .forwarder
        default:
            result.bad(source, "unknown recipient type \"\(details)\"")
            return
        }
        let primary: String
        do {
            primary = try AddressNormalizer.address(primaryText)
        } catch {
            result.bad(source, "PrimarySmtpAddress \(error)")
            return
        }
        var object = InventoryObject(kind: kind, address: primary, displayName: nonEmpty(cells["displayname"]),
            sources: [source])
        if let size = nonEmpty(cells["totalitemsize"]) { object.sizeBytes = ImportText.size(size) }
        if ["roommailbox", "equipmentmailbox", "remoteroommailbox", "remoteequipmentmailbox"].contains(type) {
            object.notes.append("\(details): a resource calendar at the source; IMAP copies only its mail")
        }
        switch kind {
        case .group:
            if let members = nonEmpty(cells["members"]) {
                for raw in ImportText.addressList(members) {
                    guard let member = try? AddressNormalizer.address(raw) else {
                        result.bad(source, "member \"\(raw)\" is not an address")
                        return
                    }
                    if !object.targets.contains(member) { object.targets.append(member) }
                }
            } else {
                object.status = .review
                object.notes.append(type == "dynamicdistributiongroup"
                    ? "dynamic group: members come from a filter; list them with Get-DynamicDistributionGroupMember"
                    : "members not in this export; list them with Get-DistributionGroupMember")
            }
        case .forwarder:
            guard let external = nonEmpty(cells["externalemailaddress"]).map(stripProxyPrefix),
                  let target = try? AddressNormalizer.address(external) else {
                object.kind = .mailbox
                object.status = .review
                object.notes.append("\(details) without ExternalEmailAddress in the export: where does its mail go?")
                break
            }
            object.targets = [target]
        default:
            break
        }
        result.add(object)

        // Secondary SMTP proxies: aliases of the primary address.
        for proxy in ImportText.addressList(cells["emailaddresses"] ?? "") {
            guard let colon = proxy.firstIndex(of: ":") else { continue }
            let prefix = proxy[..<colon]
            guard prefix == "smtp" else {
                if prefix == "SMTP",
                   let stated = try? AddressNormalizer.address(String(proxy[proxy.index(after: colon)...])),
                   stated != primary {
                    result.warn(source, "the SMTP: primary proxy \(stated) differs from PrimarySmtpAddress \(primary)")
                }
                continue
            }
            let raw = String(proxy[proxy.index(after: colon)...])
            guard let alias = try? AddressNormalizer.address(raw) else {
                result.bad(source, "proxy address \"\(proxy)\" is not an address")
                continue
            }
            if alias == primary || alias.hasSuffix(".onmicrosoft.com") { continue }
            result.add(InventoryObject(kind: .alias, address: alias, targets: [primary], sources: [source]))
        }

        if let forwarding = nonEmpty(cells["forwardingsmtpaddress"]).map(stripProxyPrefix) {
            guard let target = try? AddressNormalizer.address(forwarding) else {
                result.bad(source, "ForwardingSmtpAddress \"\(forwarding)\" is not an address")
                return
            }
            let keep = (cells["delivertomailboxandforward"] ?? "").lowercased() == "true"
            result.add(InventoryObject(kind: .forwarder, address: primary, targets: [target], sources: [source],
                keepCopy: keep))
        }
    }

    private func stripProxyPrefix(_ text: String) -> String {
        text.lowercased().hasPrefix("smtp:") ? String(text.dropFirst(5)) : text
    }

    private func nonEmpty(_ text: String?) -> String? {
        guard let text, !text.isEmpty else { return nil }
        return text
    }
}
