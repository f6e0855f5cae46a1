import Foundation

/// Compares the authoritative records with the destination's requirements and plans the change.
public struct CutoverPlanner: Sendable {
    public var view: AuthoritativeView
    public var shortTTL: UInt32 = 300

    public init(view: AuthoritativeView) { self.view = view }

    public func plan(_ domain: DNSName, target: CutoverTarget, cutoverAt: Date? = nil, now: Date = Date()) async throws -> CutoverPlan {
        let nameservers = try await view.nameservers(of: domain)
        let selectors = target.dkim.map(\.selector)
        let snapshots = await view.snapshots(of: domain, nameservers: nameservers, dkimSelectors: selectors)
        guard let reference = snapshots.first(where: { $0.error == nil }) else {
            throw DNSError(.connectFailed, "no authoritative server answered for \(domain.text): " + snapshots.compactMap(\.error).joined(separator: "; "))
        }
        var warnings = AuthoritativeView.disagreements(snapshots).map { "servers disagree: \($0)" }
        let apexTXT = try await view.direct(reference.nameserver).lookup(domain, .txt).txtStrings.sorted()
        let name = domain.text
        var changes: [RecordChange] = []
        // MX.
        let currentMX = reference.mx?.values ?? []
        let wanted = target.mx.map { "\($0.preference) \($0.host)." }
        for mx in currentMX where !wanted.contains(mx.lowercased()) {
            changes.append(RecordChange(action: .remove, name: name, type: "MX", ttl: 0, value: mx, reason: "old provider's MX"))
        }
        for mx in wanted where !currentMX.map({ $0.lowercased() }).contains(mx) {
            changes.append(RecordChange(action: .add, name: name, type: "MX", ttl: shortTTL, value: mx, reason: "destination MX"))
        }
        // SPF: merge so other senders keep working.
        let currentSPF = reference.records["SPF"]?.values.first
        if (reference.records["SPF"]?.values.count ?? 0) > 1 { warnings.append("the domain has several SPF records: the plan replaces the first; delete the others") }
        let mxOrgs = Set(currentMX.compactMap { value -> String? in
            guard let host = value.split(separator: " ").last, let hostName = try? DNSName(String(host)) else { return nil }
            return OrganizationalDomain.of(hostName).text.lowercased()
        })
        let (newSPF, removed) = Self.mergeSPF(currentSPF, include: target.spfInclude, remove: target.spfRemove, oldProviderOrgs: mxOrgs)
        if currentSPF != newSPF {
            if let currentSPF {
                changes.append(RecordChange(action: .remove, name: name, type: "TXT", ttl: 0, value: currentSPF,
                                            reason: removed.isEmpty ? "SPF replaced" : "SPF replaced: drops \(removed.map { "include:\($0)" }.joined(separator: " "))"))
            }
            changes.append(RecordChange(action: .add, name: name, type: "TXT", ttl: shortTTL, value: newSPF,
                                        reason: "SPF merged: keeps other senders, authorizes the destination"))
        }
        let newSPFLookups = await Self.lookups(of: newSPF, resolver: view.resolver)
        if newSPFLookups > 10 { warnings.append("the merged SPF record needs \(newSPFLookups) DNS lookups; RFC 7208 allows 10: flatten some includes") }
        // DKIM.
        for dkim in target.dkim {
            let present = !(reference.records["DKIM \(dkim.selector)"]?.values.isEmpty ?? true)
            if present { continue }
            if let cname = dkim.cname {
                changes.append(RecordChange(action: .add, name: "\(dkim.selector)._domainkey.\(name)", type: "CNAME", ttl: 3600,
                                            value: cname.trimmingSuffixDot + ".", reason: "destination DKIM key"))
            } else {
                warnings.append("publish the DKIM key your provider gives you at \(dkim.selector)._domainkey.\(name) (TXT); Tern cannot know it")
            }
        }
        // DMARC.
        if reference.records["DMARC"]?.values.isEmpty ?? true {
            let record = target.dmarc ?? "v=DMARC1; p=none; rua=mailto:postmaster@\(name)"
            changes.append(RecordChange(action: .add, name: "_dmarc.\(name)", type: "TXT", ttl: 3600, value: record,
                                        reason: "no DMARC record: start with monitoring"))
        }
        // TTL timeline.
        let oldTTL = snapshots.compactMap { snapshot in
            [snapshot.records["MX"]?.ttl, snapshot.records["SPF"]?.ttl].compactMap { $0 }.max()
        }.max() ?? 0
        var timeline: [CutoverPlan.Step] = []
        var earliest = now
        if oldTTL > shortTTL {
            timeline.append(.init(at: now, action: "lower the TTL of the MX and SPF records from \(oldTTL)s to \(shortTTL)s (same values)"))
            earliest = now.addingTimeInterval(TimeInterval(oldTTL))
            timeline.append(.init(at: earliest, action: "earliest safe cutover: every cache now holds the short TTL"))
        } else {
            timeline.append(.init(at: now, action: "TTLs are already \(oldTTL)s (≤ \(shortTTL)s): no lowering needed"))
        }
        let cutover = max(cutoverAt ?? earliest, earliest)
        if let cutoverAt, cutoverAt < earliest {
            warnings.append("--cutover-at is before the earliest safe time \(Self.format(earliest)): caches may keep the old MX for up to \(oldTTL)s")
        }
        timeline.append(.init(at: cutover, action: "cutover: apply the changes (tern dns apply), then tern dns verify --wait"))
        timeline.append(.init(at: cutover.addingTimeInterval(TimeInterval(shortTTL)), action: "old records expired from caches: mail flows only to the destination"))
        timeline.append(.init(at: cutover.addingTimeInterval(86_400), action: "after a day without problems, raise the TTLs back (e.g. 3600s)"))
        return CutoverPlan(domain: name, target: target, currentMX: currentMX, currentApexTXT: apexTXT, currentSPF: currentSPF,
                           newSPF: newSPF, newSPFLookups: newSPFLookups, changes: changes, oldTTL: oldTTL, shortTTL: shortTTL,
                           earliestCutover: earliest, requestedCutover: cutoverAt, timeline: timeline, warnings: warnings, createdAt: now)
    }

    /// Replaces the old provider's include(s) with the new one, keeping every other term.
    static func mergeSPF(_ current: String?, include: String?, remove: [String], oldProviderOrgs: Set<String>) -> (String, [String]) {
        guard let current, SPFRecord.isSPF(current) else {
            return ("v=spf1" + (include.map { " include:\($0)" } ?? "") + " ~all", [])
        }
        var terms = current.split(separator: " ").map(String.init).dropFirst().map { $0 }
        var removed: [String] = []
        var insertAt: Int?
        let removeSet = Set(remove.map { $0.lowercased().trimmingSuffixDot })
        for (index, term) in terms.enumerated().reversed() {
            guard term.lowercased().hasPrefix("include:") || term.lowercased().hasPrefix("+include:") else { continue }
            let target = String(term.split(separator: ":", maxSplits: 1)[1]).lowercased().trimmingSuffixDot
            let org = (try? DNSName(target)).map { OrganizationalDomain.of($0).text.lowercased() }
            if removeSet.contains(target) || (removeSet.isEmpty && org.map(oldProviderOrgs.contains) == true) {
                terms.remove(at: index)
                removed.insert(target, at: 0)
                insertAt = index
            }
        }
        if let include, !terms.contains(where: { $0.lowercased() == "include:\(include.lowercased())" }) {
            let allIndex = terms.firstIndex { ["all", "-all", "~all", "?all", "+all"].contains($0.lowercased()) || $0.lowercased().hasPrefix("redirect=") }
            terms.insert("include:\(include)", at: min(insertAt ?? allIndex ?? terms.count, terms.count))
        }
        return ((["v=spf1"] + terms).joined(separator: " "), removed)
    }

    /// Lookups a record text would need: its own DNS terms plus each include's subtree.
    static func lookups(of record: String, resolver: any DNSResolver) async -> Int {
        guard let parsed = try? SPFRecord(parsing: record) else { return 0 }
        var total = 0
        let analyzer = SPFAnalyzer(resolver: resolver)
        for directive in parsed.directives where directive.mechanism.countsAsLookup {
            total += 1
            if case .include(let spec) = directive.mechanism { total += await analyzer.analyze(spec.description).totalLookups }
        }
        if let redirect = parsed.redirect { total += 1 + (await analyzer.analyze(redirect.description).totalLookups) }
        return total
    }

    static func format(_ date: Date) -> String {
        let formatter = ISO8601DateFormatter()
        return formatter.string(from: date)
    }
}
