/// One authoritative nameserver and where Tern reaches it.
public struct Nameserver: Sendable, Hashable, Codable {
    public var name: String
    public var server: DNSServer
}

/// What one authoritative server says about a domain's mail records (queried without recursion).
public struct ServerSnapshot: Sendable, Codable {
    public struct Records: Sendable, Codable, Hashable {
        /// Presentation form of each record's data, sorted, and the RRset TTL (nil when absent).
        public var values: [String]
        public var ttl: UInt32?
    }

    public var nameserver: Nameserver
    public var error: String?
    public var soaSerial: UInt32?
    /// Keys: "MX", "SPF", "TXT", "DMARC", "MTA-STS", "TLS-RPT", "DKIM <selector>".
    public var records: [String: Records] = [:]

    public var mx: Records? { records["MX"] }
}

/// The authoritative view of a domain (issue item 2): find its NS set, reach every nameserver
/// directly (RD=0) and report what each one serves, and where they disagree.
public struct AuthoritativeView: Sendable {
    /// Used to find the NS set and the nameservers' addresses.
    public var resolver: any DNSResolver
    public var client: DNSClient
    /// `--nameserver NAME=ADDR[:PORT]`: where to reach a nameserver instead of its A/AAAA (port 53).
    public var overrides: [DNSName: DNSServer]

    public init(resolver: any DNSResolver, client: DNSClient = DNSClient(), overrides: [DNSName: DNSServer] = [:]) {
        self.resolver = resolver
        self.client = client
        self.overrides = overrides
    }

    /// The domain's NS set with an address for each server. Throws when there is none.
    public func nameservers(of domain: DNSName) async throws -> [Nameserver] {
        let lookup = try await resolver.lookup(domain, .ns)
        let names = lookup.records.compactMap { if case .ns(let ns) = $0.data { ns.nameserver } else { nil } }
            .sorted { $0.description < $1.description }
        guard !names.isEmpty else {
            throw DNSError(lookup.isNXDomain ? .nameError : .notAuthoritative,
                           lookup.isNXDomain ? "\(domain.text) does not exist" : "\(domain.text) has no NS records: is it the zone apex?",
                           name: domain.description, type: "NS")
        }
        var result: [Nameserver] = []
        for name in names {
            if let server = overrides[name] {
                result.append(Nameserver(name: name.text, server: server))
                continue
            }
            var addresses: [IPAddress] = []
            for type in [RecordType.a, .aaaa] {
                if let found = try? await resolver.lookup(name, type) { addresses += found.addresses }
            }
            guard let address = addresses.first else {
                throw DNSError(.connectFailed, "nameserver \(name.text) has no address; fix its glue or pass --nameserver \(name.text)=IP[:PORT]",
                               name: name.description, type: "A")
            }
            result.append(Nameserver(name: name.text, server: DNSServer(address: address)))
        }
        return result
    }

    /// A resolver that asks one nameserver directly, without recursion.
    public func direct(_ nameserver: Nameserver) -> StubResolver {
        StubResolver(servers: [nameserver.server], client: client, recursionDesired: false)
    }

    /// Queries every nameserver for the mail records of `domain` (+ DKIM selectors).
    public func snapshots(of domain: DNSName, nameservers: [Nameserver], dkimSelectors: [String] = []) async -> [ServerSnapshot] {
        var snapshots: [ServerSnapshot] = []
        for nameserver in nameservers {
            snapshots.append(await snapshot(of: domain, at: nameserver, dkimSelectors: dkimSelectors))
        }
        return snapshots
    }

    public func snapshot(of domain: DNSName, at nameserver: Nameserver, dkimSelectors: [String]) async -> ServerSnapshot {
        let resolver = direct(nameserver)
        var snapshot = ServerSnapshot(nameserver: nameserver)
        do {
            let soa = try await resolver.lookup(domain, .soa)
            guard let record = soa.records.first, case .soa(let data) = record.data else {
                snapshot.error = "no SOA for \(domain.text): the server is not authoritative for it"
                return snapshot
            }
            snapshot.soaSerial = data.serial
            let mx = try await resolver.lookup(domain, .mx)
            snapshot.records["MX"] = Self.records(mx)
            let txt = try await resolver.lookup(domain, .txt)
            snapshot.records["SPF"] = Self.records(txt) { SPFRecord.isSPF($0) }
            let queries: [(String, String, (String) -> Bool)] = [
                ("DMARC", "_dmarc", DMARCRecord.isDMARC), ("MTA-STS", "_mta-sts", MTASTSRecord.isMTASTS),
                ("TLS-RPT", "_smtp._tls", TLSRPTRecord.isTLSRPT),
            ] + dkimSelectors.map { ("DKIM \($0)", "\($0)._domainkey", { _ in true }) }
            for (key, prefix, filter) in queries {
                let lookup = try await resolver.lookup(try domain.prepending(prefix), .txt)
                var records = Self.records(lookup, filter)
                if records.values.isEmpty, let cname = lookup.chain.first, case .cname(let target) = cname.data {
                    records = ServerSnapshot.Records(values: ["CNAME \(target.cname.text)"], ttl: cname.ttl)
                }
                snapshot.records[key] = records
            }
        } catch {
            snapshot.error = "\(error)"
        }
        return snapshot
    }

    static func records(_ lookup: DNSLookup, _ filter: (String) -> Bool = { _ in true }) -> ServerSnapshot.Records {
        var values: [String] = []
        var ttl: UInt32?
        for record in lookup.records {
            let value: String
            if case .txt(let txt) = record.data { value = txt.text } else { value = record.data.presentation }
            guard filter(value) else { continue }
            values.append(value)
            ttl = min(ttl ?? record.ttl, record.ttl)
        }
        return ServerSnapshot.Records(values: values.sorted(), ttl: ttl)
    }

    /// Every way the servers disagree: SOA serial, and each record set (values or TTL).
    public static func disagreements(_ snapshots: [ServerSnapshot]) -> [String] {
        let answering = snapshots.filter { $0.error == nil }
        guard answering.count > 1 else { return [] }
        var found: [String] = []
        let serials = Set(answering.compactMap(\.soaSerial))
        if serials.count > 1 {
            found.append("SOA serial differs: " + answering.map { "\($0.nameserver.name)=\($0.soaSerial.map(String.init) ?? "-")" }.joined(separator: ", "))
        }
        let keys = Set(answering.flatMap { $0.records.keys }).sorted()
        for key in keys {
            let values = answering.map { $0.records[key]?.values ?? [] }
            if Set(values).count > 1 {
                found.append("\(key) differs: " + answering.map { "\($0.nameserver.name) has [\(($0.records[key]?.values ?? []).joined(separator: ", "))]" }.joined(separator: "; "))
            } else {
                let ttls = answering.map { $0.records[key]?.ttl }
                if Set(ttls).count > 1 {
                    found.append("\(key) TTL differs: " + answering.map { "\($0.nameserver.name)=\($0.records[key]?.ttl.map(String.init) ?? "-")" }.joined(separator: ", "))
                }
            }
        }
        return found
    }
}
