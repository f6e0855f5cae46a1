/// Walks a domain's SPF include/redirect tree without a client IP: the record at each node, the
/// lookups each costs and the total against RFC 7208's limit of 10, loops and syntax errors.
public struct SPFAnalyzer: Sendable {
    public struct Node: Sendable, Codable, Hashable {
        public var domain: String
        public var record: String?
        public var error: String?
        /// DNS-querying terms in this record (include, a, mx, ptr, exists, redirect).
        public var lookups: Int
        public var children: [Node]

        /// This node's lookups plus all of its descendants'.
        public var totalLookups: Int { lookups + children.reduce(0) { $0 + $1.totalLookups } }

        public var errors: [String] {
            (error.map { ["\(domain): \($0)"] } ?? []) + children.flatMap(\.errors)
        }

        public var includedDomains: [String] { children.flatMap { [$0.domain] + $0.includedDomains } }
    }

    public var resolver: any DNSResolver
    public init(resolver: any DNSResolver) { self.resolver = resolver }

    public func analyze(_ domain: String) async -> Node {
        await node(domain, path: [])
    }

    func node(_ domain: String, path: [String]) async -> Node {
        var node = Node(domain: domain, record: nil, error: nil, lookups: 0, children: [])
        guard path.count < 12 else { node.error = "include chain deeper than 12"; return node }
        guard let name = SPFEvaluator.validDomain(domain) else { node.error = "not a valid domain name"; return node }
        let records: [String]
        do {
            records = try await resolver.lookup(name, .txt).txtStrings.filter(SPFRecord.isSPF)
        } catch {
            node.error = "TXT lookup failed: \(error) (temperror)"
            return node
        }
        guard records.count == 1 else {
            node.error = records.isEmpty ? "no SPF record (an include of it is a permerror)"
                : "\(records.count) SPF records (permerror): merge them into one"
            return node
        }
        node.record = records[0]
        let record: SPFRecord
        do { record = try SPFRecord(parsing: records[0]) } catch {
            node.error = "syntax error: \(error) (permerror)"
            return node
        }
        var targets: [String] = []
        for directive in record.directives where directive.mechanism.countsAsLookup {
            node.lookups += 1
            if case .include(let spec) = directive.mechanism { targets.append(spec.description) }
        }
        if let redirect = record.redirect {
            node.lookups += 1
            targets.append(redirect.description)
        }
        for target in targets {
            if target.contains("%") {
                node.children.append(Node(domain: target, record: nil, error: nil, lookups: 0, children: []))
                continue
            }
            let lower = target.lowercased().trimmingSuffixDot
            if path.contains(lower) || lower == domain.lowercased().trimmingSuffixDot {
                node.children.append(Node(domain: target, record: nil, error: "include loop back to \(target) (permerror)", lookups: 0, children: []))
                continue
            }
            node.children.append(await self.node(target, path: path + [domain.lowercased().trimmingSuffixDot]))
        }
        return node
    }
}

extension String {
    var trimmingSuffixDot: String { hasSuffix(".") ? String(dropLast()) : self }
}
