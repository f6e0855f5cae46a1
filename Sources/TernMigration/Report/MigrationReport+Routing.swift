import Foundation

extension MigrationReport {
    // MARK: - Inventory

    static func inventorySummary(_ inventory: [InventoryObject]) -> InventorySummary {
        let byKind = InventoryObject.Kind.allCases.compactMap { kind -> KindCount? in
            let objects = inventory.filter { $0.kind == kind }
            guard !objects.isEmpty else { return nil }
            return KindCount(kind: kind, total: objects.count, planned: objects.count { $0.status == .planned },
                review: objects.count { $0.status == .review }, skipped: objects.count { $0.status == .skipped })
        }
        let review = inventory.filter { $0.status == .review }
            .sorted { ($0.kind, $0.address) < ($1.kind, $1.address) }
            .map { object in
                ReviewObject(kind: object.kind, address: object.address, notes: object.notes,
                    sources: object.sources.map(\.description))
            }
        return InventorySummary(objects: inventory.count, byKind: byKind, review: review)
    }

    // MARK: - Routing

    /// Aliases, groups, forwarders and the catch-all in destination addresses, each with what
    /// is known about it at the destination: the latest outcome `routing apply`, `routing
    /// verify` or `checklist` recorded for it (`reports/routing.json`), else what the last
    /// checklist's routing evidence says, else that it is still to be made.
    static func routing(_ inventory: [InventoryObject], checklist: ChecklistRecord?, record: RoutingRecord? = nil)
        -> [RoutingRow] {
        var renamed: [String: String] = [:]
        for object in inventory where object.kind.isMailbox {
            if let destination = object.destination { renamed[object.address] = destination }
        }
        let evidence = checklist?.report["routing"]?.evidence ?? []
        return inventory.filter { RoutingTable.routingKinds.contains($0.kind) }
            .sorted { ($0.kind, $0.address) < ($1.kind, $1.address) }
            .map { object in
                let destination = object.destination ?? renamed[object.address] ?? object.address
                var targets: [String] = []
                for target in object.targets.map({ renamed[$0] ?? $0 }) where !targets.contains(target) {
                    targets.append(target)
                }
                let recorded = object.status == .planned
                    ? record?.entry(kind: object.kind, address: destination) : nil
                let (status, detail, checkedAt) = recorded.map(Self.destinationStatus)
                    ?? destinationStatus(object, at: destination, evidence: evidence, evaluatedAt: checklist?.evaluatedAt)
                return RoutingRow(kind: object.kind, address: object.address, destinationAddress: destination,
                    targets: targets, keepCopy: object.keepCopy, action: object.action, actionText: object.actionText,
                    inventoryStatus: object.status, destinationStatus: status, detail: detail, checkedAt: checkedAt)
            }
    }

    /// What a recorded outcome says: apply's ok is "created", a check's ok "verified".
    static func destinationStatus(_ entry: RoutingRecord.Entry) -> (RoutingRow.DestinationStatus, String, Date?) {
        let outcome = entry.outcome
        let detail = outcome.detail.hasPrefix("manual: ") ? String(outcome.detail.dropFirst("manual: ".count))
            : outcome.detail
        switch outcome.status {
        case .ok: return (entry.command == "apply" ? .created : .verified, detail, entry.at)
        case .missing: return (.missing, detail, entry.at)
        case .failed: return (.failed, detail, entry.at)
        case .manual, .planned: return (.manual, detail, nil)
        }
    }

    static func destinationStatus(_ object: InventoryObject, at address: String, evidence: [String],
                                  evaluatedAt: Date?) -> (RoutingRow.DestinationStatus, String, Date?) {
        switch object.status {
        case .skipped: return (.skipped, "left behind on purpose", nil)
        case .review:
            return (.review, object.notes.isEmpty ? "decide before cutover" : object.notes.joined(separator: "; "), nil)
        case .planned: break
        }
        // The checklist's routing evidence: "ADDRESS: detail", "ADDRESS: missing: detail" …
        if let line = evidence.first(where: { $0.hasPrefix(address + ": ") }) {
            let said = String(line.dropFirst(address.count + 2))
            if said.hasPrefix("manual: ") {
                // Listed as a manual step, not checked: no check time.
                return (.manual, String(said.dropFirst("manual: ".count)), nil)
            }
            for (prefix, status) in [("missing: ", RoutingRow.DestinationStatus.missing), ("failed: ", .failed)]
            where said.hasPrefix(prefix) {
                return (status, String(said.dropFirst(prefix.count)), evaluatedAt)
            }
            if said.hasPrefix("not verified") {
                return (.notChecked, "not read back by the last checklist: give it --host2", evaluatedAt)
            }
            return (.verified, said.isEmpty ? "read back as expected" : said, evaluatedAt)
        }
        switch object.kind {
        case .forwarder:
            return (.notChecked, "install with tern routing apply; tern checklist --host2 reads it back", nil)
        case .catchall:
            return (.manual, "set the catch-all policy in the provider's admin console", nil)
        default:
            return (.manual, "create in the provider's admin console", nil)
        }
    }

    // MARK: - Attention

    /// What a person should look at, most urgent kind first, then by subject.
    static func attention(_ rows: [MailboxRow], inventory: [InventoryObject], checklist: ChecklistSection)
        -> [AttentionItem] {
        var items: [AttentionItem] = []
        for row in rows where row.state != .skipped {
            let copy = row.lastCopy
            switch row.state {
            case .failed:
                items.append(AttentionItem(kind: .mailboxFailed, subject: row.address,
                    detail: copy?.error ?? row.sync?.error ?? "the last copy failed",
                    recordedAt: copy?.finishedAt ?? row.sync?.updatedAt))
            case .partial:
                let failed = copy?.failed ?? 0
                items.append(AttentionItem(kind: .mailboxPartial, subject: row.address,
                    detail: "\(failed) message\(failed == 1 ? "" : "s") could not be copied; the mailbox's log in "
                        + "logs/ names them, and the next pass retries them",
                    recordedAt: copy?.finishedAt ?? row.sync?.updatedAt))
            case .mismatch:
                let differences = row.lastVerification?.failed ?? 0
                items.append(AttentionItem(kind: .verificationMismatch, subject: row.address,
                    detail: "\(differences) difference\(differences == 1 ? "" : "s") (missing, extra or flags); "
                        + "copy again, then verify",
                    recordedAt: row.lastVerification?.finishedAt))
            case .inProgress:
                items.append(AttentionItem(kind: .copyInterrupted, subject: row.address,
                    detail: "a copy started and has not finished: it is running now, or it was interrupted "
                        + "(run it again: it resumes)",
                    recordedAt: row.sync?.updatedAt))
            default:
                break
            }
            if let verification = row.lastVerification, verification.status == "failed", row.state.copied {
                items.append(AttentionItem(kind: .verificationFailed, subject: row.address,
                    detail: verification.error ?? "the verification did not finish", recordedAt: verification.finishedAt))
            }
            if let scan = row.scan {
                if scan.status != "ok" {
                    items.append(AttentionItem(kind: .scanFailed, subject: row.address,
                        detail: scan.error ?? "the scan failed", recordedAt: scan.scannedAt))
                }
            } else {
                items.append(AttentionItem(kind: .neverScanned, subject: row.address,
                    detail: "no scan recorded: run tern inventory scan", recordedAt: nil))
            }
        }
        for object in inventory where object.status == .review {
            items.append(AttentionItem(kind: .review, subject: object.address,
                detail: "\(object.kind.rawValue): " + (object.notes.isEmpty ? "decide before cutover"
                    : object.notes.joined(separator: "; ")),
                recordedAt: nil))
        }
        for item in checklist.items where item.status == .fail {
            items.append(AttentionItem(kind: .checklistFailed, subject: item.key,
                detail: item.title + ": " + item.evidence.joined(separator: "; "), recordedAt: checklist.evaluatedAt))
        }
        let order = AttentionItem.Kind.allCases
        return items.enumerated().sorted {
            (order.firstIndex(of: $0.element.kind)!, $0.element.subject, $0.offset)
                < (order.firstIndex(of: $1.element.kind)!, $1.element.subject, $1.offset)
        }.map(\.element)
    }
}
