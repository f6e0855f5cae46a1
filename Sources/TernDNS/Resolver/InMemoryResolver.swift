/// Zone data held in memory: for tests and the SPF conformance suite. Names absent from the data
/// are NXDOMAIN; a name in `timeouts` times out for every type it holds no records of (the
/// OpenSPF suite's `TIMEOUT` convention: a name with TXT data answers TXT, other types hang).
public struct InMemoryResolver: DNSResolver {
    public var records: [DNSName: [ResourceRecord]]
    public var timeouts: Set<DNSName>

    public init(records: [ResourceRecord] = [], timeouts: Set<DNSName> = []) {
        self.records = Dictionary(grouping: records, by: \.name)
        self.timeouts = timeouts
    }

    public mutating func add(_ record: ResourceRecord) { records[record.name, default: []].append(record) }

    public mutating func add(_ name: DNSName, _ data: RData, ttl: UInt32 = 3600) {
        add(ResourceRecord(name: name, ttl: ttl, data: data))
    }

    /// Marks `name` as existing (so it answers NODATA rather than NXDOMAIN).
    public mutating func touch(_ name: DNSName) { if records[name] == nil { records[name] = [] } }

    public func lookup(_ name: DNSName, _ type: RecordType) async throws -> DNSLookup {
        var current = name
        var chain: [ResourceRecord] = []
        while true {
            if timeouts.contains(current), !(records[current] ?? []).contains(where: { $0.type == type }) {
                throw DNSError(.timeout, "no answer within the time-out (test data)", name: current.description, type: type.description)
            }
            guard let here = records[current] else {
                return DNSLookup(name: name, type: type, rcode: .nxDomain, records: [], chain: chain)
            }
            let matching = here.filter { $0.type == type }
            if !matching.isEmpty || type == .cname {
                return DNSLookup(name: name, type: type, rcode: .noError, records: matching, chain: chain)
            }
            guard let cname = here.first(where: { $0.type == .cname }), case .cname(let record) = cname.data else {
                return DNSLookup(name: name, type: type, rcode: .noError, records: [], chain: chain)
            }
            chain.append(cname)
            guard chain.count <= DNSLimits.maxCNAMEChain else {
                throw DNSError(.badRecordData, "CNAME chain too long", name: name.description, type: type.description)
            }
            current = record.cname
        }
    }
}
