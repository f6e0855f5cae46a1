/// Finds a domain's mail-access servers from SRV records (RFC 6186; `_submissions` from RFC 8314),
/// to suggest where a migration's source IMAP server is.
public struct MailServiceDiscovery: Sendable {
    public struct Service: Sendable, Hashable, Codable {
        public var service: String
        public var target: String
        public var port: UInt16
        public var priority: UInt16
        public var weight: UInt16
        /// Implicit TLS (`_imaps`, `_submissions`, `_pop3s`) rather than STARTTLS.
        public var implicitTLS: Bool
    }

    public static let services = ["_imaps._tcp", "_imap._tcp", "_submissions._tcp", "_submission._tcp", "_pop3s._tcp"]

    public var resolver: any DNSResolver
    public init(resolver: any DNSResolver) { self.resolver = resolver }

    /// Offered services, best first (priority, then weight). A target of "." (not offered) is left
    /// out; lookups that fail are skipped.
    public func discover(_ domain: DNSName) async -> [Service] {
        var found: [Service] = []
        for service in Self.services {
            guard let name = try? domain.prepending(service), let lookup = try? await resolver.lookup(name, .srv) else { continue }
            for record in lookup.records {
                guard case .srv(let srv) = record.data, !srv.target.labels.isEmpty, srv.port != 0 else { continue }
                found.append(Service(service: service, target: srv.target.text, port: srv.port, priority: srv.priority,
                                     weight: srv.weight, implicitTLS: service.hasPrefix("_imaps") || service.hasPrefix("_submissions")
                                        || service.hasPrefix("_pop3s")))
            }
        }
        return found.sorted { ($0.priority, UInt16.max - $0.weight) < ($1.priority, UInt16.max - $1.weight) }
    }
}
