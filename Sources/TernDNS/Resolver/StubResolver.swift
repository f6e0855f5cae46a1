/// A stub resolver over `DNSClient`: asks the given servers in order (recursion desired, or not
/// when talking to an authoritative server), follows CNAME chains, and turns SERVFAIL/REFUSED
/// into errors after trying every server.
public struct StubResolver: DNSResolver {
    public var servers: [DNSServer]
    public var client: DNSClient
    public var recursionDesired: Bool

    public init(servers: [DNSServer], client: DNSClient = DNSClient(), recursionDesired: Bool = true) {
        self.servers = servers
        self.client = client
        self.recursionDesired = recursionDesired
    }

    /// The servers in /etc/resolv.conf.
    public static func system(client: DNSClient = DNSClient()) throws -> StubResolver {
        StubResolver(servers: try DNSServer.fromResolvConf(), client: client)
    }

    public func lookup(_ name: DNSName, _ type: RecordType) async throws -> DNSLookup {
        var chain: [ResourceRecord] = []
        var current = name
        var visited: Set<DNSName> = [name]
        while true {
            let exchange = try await ask(current, type)
            let message = exchange.message
            // Follow any CNAMEs inside this answer first.
            var target = current
            while let cname = message.answers.first(where: { $0.type == .cname && $0.name == target }),
                  case .cname(let record) = cname.data, type != .cname {
                chain.append(cname)
                target = record.cname
                guard visited.insert(target).inserted, chain.count <= DNSLimits.maxCNAMEChain else {
                    throw DNSError(.badRecordData, "CNAME loop or chain longer than \(DNSLimits.maxCNAMEChain) links; fix the aliases",
                                   server: exchange.server.description, name: name.description, type: type.description)
                }
            }
            let records = message.answers.filter { $0.type == type && $0.name == target }
            // Authoritative (RD=0) lookups stop at a CNAME that leaves the server's zone: the
            // chain is the answer; only a recursive lookup asks again for the target.
            if !records.isEmpty || target == current || message.rcode == .nxDomain || !recursionDesired {
                return DNSLookup(name: name, type: type, rcode: message.rcode, records: records, chain: chain,
                                 server: exchange.server.description)
            }
            current = target // cross-zone CNAME: ask again for the target.
        }
    }

    /// One question, trying each server until one gives NOERROR or NXDOMAIN.
    func ask(_ name: DNSName, _ type: RecordType) async throws -> DNSClient.Exchange {
        guard !servers.isEmpty else { throw DNSError(.noServers, "no DNS server to ask; pass --server IP[:PORT]") }
        var lastError: DNSError?
        for server in servers {
            do {
                let exchange = try await client.query(name, type, server: server, recursionDesired: recursionDesired)
                switch exchange.message.rcode {
                case .noError, .nxDomain:
                    return exchange
                case .refused:
                    lastError = DNSError(.refused, "the server refused the query; it is not authoritative for this name or does not recurse for you",
                                         server: server.description, name: name.description, type: type.description)
                default:
                    lastError = DNSError(.serverFailure, "the server answered \(exchange.message.rcode); try again later or ask another server",
                                         server: server.description, name: name.description, type: type.description)
                }
            } catch let error as DNSError {
                lastError = error
            }
        }
        throw lastError!
    }
}
