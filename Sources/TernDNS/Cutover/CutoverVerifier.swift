import Foundation

/// `tern dns verify` (issue item 7): on every authoritative server, the old MX is gone, the new MX
/// is present, SPF is one valid record within 10 lookups that authorizes the destination, and
/// DKIM and DMARC are present.
public struct CutoverVerifier: Sendable {
    public struct ServerResult: Sendable, Codable {
        public var nameserver: Nameserver
        public var findings: [Finding]
        public var holds: Bool { findings.worst != .fail }
    }

    public struct Report: Sendable, Codable {
        public var domain: String
        public var servers: [ServerResult]
        public var holds: Bool { !servers.isEmpty && servers.allSatisfy(\.holds) }
        public var lagging: [String] { servers.filter { !$0.holds }.map(\.nameserver.name) }
    }

    public var view: AuthoritativeView
    public init(view: AuthoritativeView) { self.view = view }

    public func verify(_ domain: DNSName, target: CutoverTarget) async throws -> Report {
        let nameservers = try await view.nameservers(of: domain)
        var results: [ServerResult] = []
        for nameserver in nameservers {
            let snapshot = await view.snapshot(of: domain, at: nameserver, dkimSelectors: target.dkim.map(\.selector))
            results.append(ServerResult(nameserver: nameserver, findings: await check(snapshot, domain: domain, target: target)))
        }
        return Report(domain: domain.text, servers: results)
    }

    func check(_ snapshot: ServerSnapshot, domain: DNSName, target: CutoverTarget) async -> [Finding] {
        if let error = snapshot.error { return [Finding("NS", .fail, error)] }
        var findings: [Finding] = []
        // Compared as (preference, host) values: case and the trailing dot do not make an MX differ.
        let servedText = snapshot.mx?.values ?? []
        let served = servedText.map { CutoverTarget.MX(served: $0) }
        let mx = Set(served.compactMap { $0 })
        let wanted = Set(target.mx)
        let unreadable = zip(servedText, served).filter { $0.1 == nil }.map { $0.0 }
        let old = mx.subtracting(wanted).map(\.text) + unreadable
        findings.append(old.isEmpty ? Finding("MX", .ok, "old MX gone")
                        : Finding("MX", .fail, "old MX still present: \(old.sorted().joined(separator: ", "))", advice: "remove it (tern dns apply) or wait for this server to update"))
        let missing = wanted.subtracting(mx).map(\.text)
        findings.append(missing.isEmpty ? Finding("MX", .ok, "new MX present: \(wanted.map(\.text).sorted().joined(separator: ", "))")
                        : Finding("MX", .fail, "new MX missing: \(missing.sorted().joined(separator: ", "))", advice: "add it, or wait for this server to update"))
        let spf = snapshot.records["SPF"]?.values ?? []
        let record = spf.count == 1 ? try? SPFRecord(parsing: spf[0]) : nil
        if spf.count != 1 {
            findings.append(Finding("SPF", .fail, spf.isEmpty ? "no SPF record" : "\(spf.count) SPF records", advice: "publish exactly one v=spf1 record"))
        } else if record == nil {
            findings.append(Finding("SPF", .fail, "SPF record has a syntax error: \(spf[0])"))
        } else {
            let lookups = await CutoverPlanner.lookups(of: spf[0], resolver: view.resolver)
            findings.append(lookups <= 10 ? Finding("SPF", .ok, "one record, \(lookups) lookups")
                            : Finding("SPF", .fail, "\(lookups) DNS lookups (limit 10)", advice: "flatten includes"))
            if let include = target.spfInclude {
                let direct = record?.directives.contains { if case .include(let spec) = $0.mechanism { spec.description.lowercased().trimmingSuffixDot == include.lowercased().trimmingSuffixDot } else { false } } ?? false
                findings.append(direct ? Finding("SPF", .ok, "authorizes the destination (include:\(include))")
                                : Finding("SPF", .fail, "does not include \(include)", advice: "add include:\(include) to the SPF record"))
            }
        }
        for dkim in target.dkim {
            let present = !(snapshot.records["DKIM \(dkim.selector)"]?.values.isEmpty ?? true)
            findings.append(present ? Finding("DKIM", .ok, "\(dkim.selector)._domainkey present")
                            : Finding("DKIM", .fail, "\(dkim.selector)._domainkey missing", advice: "publish the destination's DKIM key"))
        }
        let dmarc = snapshot.records["DMARC"]?.values ?? []
        findings.append(dmarc.count == 1 && (try? DMARCRecord(parsing: dmarc[0])) != nil ? Finding("DMARC", .ok, "present")
                        : Finding("DMARC", .fail, dmarc.isEmpty ? "no DMARC record" : "DMARC record invalid or duplicated", advice: "publish one v=DMARC1 record"))
        return findings
    }

    /// Polls until the checks hold on every server or `timeout` passes; `progress` sees each round.
    public func wait(_ domain: DNSName, target: CutoverTarget, timeout: TimeInterval, interval: TimeInterval = 5,
                     progress: @Sendable (Report) -> Void = { _ in }) async throws -> Report {
        let deadline = Date().addingTimeInterval(timeout)
        while true {
            let report = try await verify(domain, target: target)
            if report.holds || Date().addingTimeInterval(interval) > deadline { return report }
            progress(report)
            try await Task.sleep(nanoseconds: UInt64(interval * 1_000_000_000))
        }
    }
}

extension CutoverTarget.MX {
    /// From a served record's text ("10 mx.example.com."); nil when it is not "preference host".
    init?(served text: String) {
        let parts = text.split(separator: " ", omittingEmptySubsequences: true)
        guard parts.count == 2, let preference = UInt16(parts[0]) else { return nil }
        self.init(host: String(parts[1]), preference: preference)
    }

    /// As zone files and the findings show it: "10 mx.example.com.".
    var text: String { "\(preference) \(host)." }
}
