/// Everything `tern dns check` reports about a domain.
public struct CheckReport: Sendable, Codable {
    public var domain: String
    public var nameservers: [ServerSnapshot]
    public var disagreements: [String]
    public var spf: SPFAnalyzer.Node?
    public var dkim: [String: DKIMKey]
    public var dmarc: DMARCRecord?
    /// Where the DMARC record was found (the domain or its organizational domain).
    public var dmarcDomain: String?
    public var services: [MailServiceDiscovery.Service]
    public var findings: [Finding]
}

/// Builds a `CheckReport`: the authoritative view plus SPF, DKIM, DMARC, MTA-STS, TLS-RPT and SRV.
public struct DomainChecker: Sendable {
    public var view: AuthoritativeView
    /// For records outside the zone (SPF includes, CNAMEd DKIM keys, the organizational domain).
    public var resolver: any DNSResolver

    public init(view: AuthoritativeView) {
        self.view = view
        self.resolver = view.resolver
    }

    public func check(_ domain: DNSName, dkimSelectors: [String]) async throws -> CheckReport {
        let nameservers = try await view.nameservers(of: domain)
        let snapshots = await view.snapshots(of: domain, nameservers: nameservers, dkimSelectors: dkimSelectors)
        var report = CheckReport(domain: domain.text, nameservers: snapshots, disagreements: AuthoritativeView.disagreements(snapshots),
                                 spf: nil, dkim: [:], dmarc: nil, dmarcDomain: nil, services: [], findings: [])
        var findings: [Finding] = []
        // Nameservers and consistency.
        for snapshot in snapshots {
            if let error = snapshot.error {
                findings.append(Finding("NS", .fail, "\(snapshot.nameserver.name) (\(snapshot.nameserver.server)): \(error)",
                                        advice: "make every listed nameserver answer authoritatively, or remove it from the NS set"))
            } else {
                findings.append(Finding("NS", .ok, "\(snapshot.nameserver.name) (\(snapshot.nameserver.server)) answers, SOA serial \(snapshot.soaSerial ?? 0)"))
            }
        }
        for disagreement in report.disagreements {
            findings.append(Finding("NS", .warn, "servers disagree: \(disagreement)",
                                    advice: "wait for the secondaries to transfer the zone, or fix the server that is out of date"))
        }
        let reference = snapshots.first { $0.error == nil }
        // MX.
        for snapshot in snapshots where snapshot.error == nil {
            let mx = snapshot.mx ?? ServerSnapshot.Records(values: [], ttl: nil)
            if mx.values.isEmpty {
                findings.append(Finding("MX", .fail, "\(snapshot.nameserver.name): no MX records",
                                        advice: "publish MX records; without them mail goes to the domain's A record"))
            } else if mx.values == ["0 ."] {
                findings.append(Finding("MX", .info, "\(snapshot.nameserver.name): null MX (RFC 7505): the domain accepts no mail"))
            } else {
                findings.append(Finding("MX", .ok, "\(snapshot.nameserver.name): \(mx.values.joined(separator: ", ")) (TTL \(mx.ttl ?? 0))"))
            }
        }
        // SPF.
        let spfTree = await SPFAnalyzer(resolver: resolver).analyze(domain.text)
        report.spf = spfTree
        findings += Self.spfFindings(spfTree, published: reference?.records["SPF"])
        // DKIM.
        if dkimSelectors.isEmpty {
            findings.append(Finding("DKIM", .info, "no selector given: DKIM keys cannot be found without one",
                                    advice: "pass --dkim-selector NAME (the s= of a DKIM-Signature header from this domain)"))
        }
        for selector in dkimSelectors {
            let (key, finding) = await dkimFinding(domain, selector: selector)
            if let key { report.dkim[selector] = key }
            findings.append(finding)
        }
        // DMARC.
        let (dmarc, dmarcDomain, dmarcFindings) = await dmarcFindings(domain)
        report.dmarc = dmarc
        report.dmarcDomain = dmarcDomain
        findings += dmarcFindings
        // MTA-STS and TLS-RPT.
        findings.append(Self.simpleRecord("MTA-STS", reference?.records["MTA-STS"], parse: { _ = try MTASTSRecord(parsing: $0) },
                                          absent: "no _mta-sts record: senders use opportunistic TLS only",
                                          advice: "optional: publish _mta-sts TXT and https://mta-sts.\(domain.text)/.well-known/mta-sts.txt"))
        findings.append(Self.simpleRecord("TLS-RPT", reference?.records["TLS-RPT"], parse: { _ = try TLSRPTRecord(parsing: $0) },
                                          absent: "no _smtp._tls record: you get no TLS failure reports",
                                          advice: "optional: publish \"v=TLSRPTv1; rua=mailto:…\" at _smtp._tls.\(domain.text)"))
        // SRV discovery (RFC 6186).
        report.services = await MailServiceDiscovery(resolver: view.direct(nameservers[0])).discover(domain)
        for service in report.services {
            findings.append(Finding("SRV", .info, "\(service.service): \(service.target):\(service.port)"
                                    + (service.implicitTLS ? " (implicit TLS)" : " (STARTTLS)")))
        }
        report.findings = findings
        return report
    }

    static func spfFindings(_ tree: SPFAnalyzer.Node, published: ServerSnapshot.Records?) -> [Finding] {
        var findings: [Finding] = []
        guard let record = tree.record else {
            findings.append(Finding("SPF", .fail, tree.error ?? "no SPF record",
                                    advice: tree.error?.contains("records") == true ? "merge the SPF records into one TXT record"
                                        : "publish one TXT record \"v=spf1 include:<your provider> -all\""))
            return findings
        }
        let ttl = published?.ttl.map { " (TTL \($0))" } ?? ""
        findings.append(Finding("SPF", .ok, "\"\(record)\"\(ttl)"))
        for error in tree.errors {
            findings.append(Finding("SPF", .fail, error, advice: "fix or remove the broken include; receivers return permerror for the whole record"))
        }
        let total = tree.totalLookups
        if total > 10 {
            findings.append(Finding("SPF", .fail, "\(total) DNS lookups; RFC 7208 allows 10 (permerror)",
                                    advice: "replace includes with ip4:/ip6: ranges or drop senders you no longer use"))
        } else if total >= 8 {
            findings.append(Finding("SPF", .warn, "\(total) of 10 DNS lookups used", advice: "little room left for another include"))
        } else {
            findings.append(Finding("SPF", .ok, "\(total) of 10 DNS lookups"))
        }
        let lower = record.lowercased()
        if lower.hasSuffix("+all") || lower.hasSuffix(" all") {
            findings.append(Finding("SPF", .fail, "ends in +all: every host on the internet passes", advice: "end the record with ~all or -all"))
        } else if !(lower.hasSuffix("-all") || lower.hasSuffix("~all")) && !lower.contains("redirect=") {
            findings.append(Finding("SPF", .warn, "does not end in -all or ~all: unlisted senders get neutral", advice: "end the record with ~all or -all"))
        }
        return findings
    }

    func dkimFinding(_ domain: DNSName, selector: String) async -> (DKIMKey?, Finding) {
        let area = "DKIM"
        guard let name = try? domain.prepending("\(selector)._domainkey") else {
            return (nil, Finding(area, .fail, "'\(selector)' is not a valid selector"))
        }
        let lookup: DNSLookup
        do { lookup = try await resolver.lookup(name, .txt) } catch {
            return (nil, Finding(area, .fail, "\(name.text): lookup failed: \(error)", advice: "retry; check the nameservers answer"))
        }
        let via = lookup.chain.isEmpty ? "" : " (via CNAME)"
        guard lookup.records.count == 1, let text = lookup.txtStrings.first else {
            return (nil, Finding(area, .fail, lookup.records.isEmpty ? "\(name.text): no key record" : "\(name.text): \(lookup.records.count) TXT records",
                                 advice: lookup.records.isEmpty ? "publish the DKIM key your provider gives you for selector \(selector)"
                                    : "keep exactly one TXT record at \(name.text)"))
        }
        do {
            let key = try DKIMKey(parsing: text)
            if key.revoked {
                return (key, Finding(area, .warn, "\(selector): key revoked (empty p=)\(via)", advice: "remove the record once no mail is signed with it"))
            }
            if !key.usableForEmail {
                return (key, Finding(area, .fail, "\(selector): s=\(key.services.joined(separator: ":")) excludes email", advice: "remove s= or set s=email"))
            }
            if key.keyType == .rsa && key.bits < 1024 {
                return (key, Finding(area, .fail, "\(selector): RSA \(key.bits)-bit key is too short (RFC 8301)", advice: "publish a 2048-bit key"))
            }
            if key.keyType == .rsa && key.bits < 2048 {
                return (key, Finding(area, .warn, "\(selector): RSA \(key.bits)-bit key\(via)", advice: "rotate to a 2048-bit key when convenient"))
            }
            if key.testing {
                return (key, Finding(area, .warn, "\(selector): t=y (testing mode)\(via)", advice: "drop t=y once signatures verify"))
            }
            return (key, Finding(area, .ok, "\(selector): \(key.keyType.rawValue) \(key.bits)-bit key\(via)"))
        } catch {
            return (nil, Finding(area, .fail, "\(selector): invalid key record: \(error)", advice: "republish the key exactly as your provider gives it"))
        }
    }

    func dmarcFindings(_ domain: DNSName) async -> (DMARCRecord?, String?, [Finding]) {
        let organizational = OrganizationalDomain.of(domain)
        var candidates = [domain]
        if organizational != domain { candidates.append(organizational) }
        for candidate in candidates {
            guard let name = try? candidate.prepending("_dmarc") else { continue }
            let lookup: DNSLookup
            do { lookup = try await resolver.lookup(name, .txt) } catch {
                return (nil, nil, [Finding("DMARC", .fail, "\(name.text): lookup failed: \(error)")])
            }
            let records = lookup.txtStrings.filter(DMARCRecord.isDMARC)
            if records.isEmpty { continue }
            let inherited = candidate != domain ? " (inherited from organizational domain \(candidate.text); Tern's rule: last two labels, three for co.uk-style suffixes)" : ""
            guard records.count == 1 else {
                return (nil, candidate.text, [Finding("DMARC", .fail, "\(name.text): \(records.count) DMARC records: receivers ignore all of them",
                                                      advice: "keep exactly one")])
            }
            do {
                let record = try DMARCRecord(parsing: records[0])
                var findings: [Finding] = []
                let ttl = lookup.records.first.map { " (TTL \($0.ttl))" } ?? ""
                let summary = "p=\(record.policy.rawValue)" + (record.subdomainPolicy.map { " sp=\($0.rawValue)" } ?? "")
                    + " pct=\(record.percent) adkim=\(record.dkimAlignment.rawValue) aspf=\(record.spfAlignment.rawValue)"
                    + (record.aggregateReports.isEmpty ? "" : " rua=\(record.aggregateReports.joined(separator: ","))")
                findings.append(Finding("DMARC", record.policy == .none ? .warn : .ok, summary + ttl + inherited,
                                        advice: record.policy == .none ? "monitoring only: move to p=quarantine once reports are clean" : nil))
                for warning in record.warnings { findings.append(Finding("DMARC", .warn, warning)) }
                if record.aggregateReports.isEmpty {
                    findings.append(Finding("DMARC", .warn, "no rua=: you receive no aggregate reports", advice: "add rua=mailto:dmarc@\(domain.text)"))
                }
                for uri in record.aggregateReports + record.failureReports {
                    guard let reportDomain = DMARCRecord.reportDomain(uri), let reportName = try? DNSName(reportDomain),
                          OrganizationalDomain.of(reportName) != organizational,
                          let authorization = try? DNSName("\(candidate.text)._report._dmarc.\(reportName.text)") else { continue }
                    let authorized = (try? await resolver.lookup(authorization, .txt))?.txtStrings.contains(where: DMARCRecord.isDMARC) ?? false
                    if !authorized {
                        findings.append(Finding("DMARC", .warn, "\(uri) is outside \(organizational.text) and \(authorization.text) does not authorize it (RFC 7489 §7.1)",
                                                advice: "ask the report receiver to publish v=DMARC1 at \(authorization.text)"))
                    }
                }
                return (record, candidate.text, findings)
            } catch {
                return (nil, candidate.text, [Finding("DMARC", .fail, "\(name.text): invalid record: \(error)", advice: "fix the record: v=DMARC1; p=none; rua=mailto:…")])
            }
        }
        return (nil, nil, [Finding("DMARC", .warn, "no DMARC record at _dmarc.\(domain.text)" + (organizational != domain ? " or _dmarc.\(organizational.text)" : ""),
                                   advice: "publish \"v=DMARC1; p=none; rua=mailto:dmarc@\(domain.text)\" to start monitoring")])
    }

    static func simpleRecord(_ area: String, _ records: ServerSnapshot.Records?, parse: (String) throws -> Void,
                             absent: String, advice: String) -> Finding {
        guard let records, !records.values.isEmpty else { return Finding(area, .info, absent, advice: advice) }
        guard records.values.count == 1 else { return Finding(area, .fail, "\(records.values.count) records: keep exactly one") }
        do {
            try parse(records.values[0])
            return Finding(area, .ok, "\"\(records.values[0])\" (TTL \(records.ttl ?? 0))")
        } catch {
            return Finding(area, .fail, "invalid: \(error)", advice: advice)
        }
    }
}
