import Foundation

/// Where to send queries: an IP address and port. `HOST[:PORT]`, `[v6]:PORT` or a bare IPv6.
public struct DNSServer: Hashable, Sendable, CustomStringConvertible, Codable {
    public var address: IPAddress
    public var port: UInt16

    public init(address: IPAddress, port: UInt16 = 53) {
        self.address = address
        self.port = port
    }

    /// Parses `192.0.2.1`, `127.0.0.1:5353`, `::1`, `[::1]:5353`. Host names are not accepted
    /// here (the CLI resolves them first), so parsing never touches the network.
    public init(parsing text: String, defaultPort: UInt16 = 53) throws {
        var host = text
        var port = defaultPort
        if text.hasPrefix("["), let close = text.firstIndex(of: "]") {
            host = String(text[text.index(after: text.startIndex)..<close])
            let rest = text[text.index(after: close)...]
            if rest.hasPrefix(":") {
                guard let value = UInt16(rest.dropFirst()) else { throw Self.badPort(text) }
                port = value
            }
        } else if text.filter({ $0 == ":" }).count == 1, let colon = text.firstIndex(of: ":") {
            host = String(text[..<colon])
            guard let value = UInt16(text[text.index(after: colon)...]), value > 0 else { throw Self.badPort(text) }
            port = value
        }
        guard let address = IPAddress(host) else {
            throw DNSError(.badInput, "'\(host)' is not an IP address; give the server as IP[:PORT] or [IPv6]:PORT")
        }
        self.init(address: address, port: port)
    }

    private static func badPort(_ text: String) -> DNSError {
        DNSError(.badInput, "'\(text)' has a bad port; use HOST:PORT with a port from 1 to 65535")
    }

    public var description: String {
        address.isIPv4 ? "\(address):\(port)" : "[\(address)]:\(port)"
    }

    /// Loopback servers are the only ones tests may talk to.
    public var isLoopback: Bool {
        switch address {
        case .v4(let bytes): bytes[0] == 127
        case .v6(let bytes): bytes == [UInt8](repeating: 0, count: 15) + [1]
        }
    }

    /// The `nameserver` lines of a resolv.conf (RFC-less, see resolv.conf(5)).
    public static func fromResolvConf(path: String = "/etc/resolv.conf") throws -> [DNSServer] {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
            throw DNSError(.noServers, "cannot read \(path); pass --server IP[:PORT]")
        }
        let servers = text.split(whereSeparator: \.isNewline).compactMap { line -> DNSServer? in
            let fields = line.split(whereSeparator: { $0 == " " || $0 == "\t" })
            guard fields.count >= 2, fields[0] == "nameserver" else { return nil }
            let host = fields[1].split(separator: "%").first.map(String.init) ?? ""
            return IPAddress(host).map { DNSServer(address: $0) }
        }
        guard !servers.isEmpty else { throw DNSError(.noServers, "\(path) lists no nameserver; pass --server IP[:PORT]") }
        return servers
    }
}
