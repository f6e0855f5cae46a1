#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
import Foundation

/// Blocking-free socket exchanges: non-blocking sockets and `poll(2)` with a deadline, so no call
/// waits longer than its time-out. These run on a dispatch queue, never on the cooperative pool.
enum SocketExchange {
    /// Sends `request` over UDP from a random source port and returns the first reply whose ID and
    /// question match (RFC 5452 §9.1); other datagrams are dropped.
    static func udp(_ request: [UInt8], to server: DNSServer, timeout: Double, matches: ([UInt8]) -> Bool) throws -> [UInt8] {
        let fd = try openSocket(server, type: Int32(SOCK_DGRAM.rawValue))
        defer { close(fd) }
        bindRandomPort(fd, family: server.address.isIPv4 ? AF_INET : AF_INET6)
        try connectSocket(fd, server, deadline: Date().addingTimeInterval(timeout))
        let sent = request.withUnsafeBytes { send(fd, $0.baseAddress, request.count, 0) }
        guard sent == request.count else { throw failure("cannot send to", server) }
        let deadline = Date().addingTimeInterval(timeout)
        var buffer = [UInt8](repeating: 0, count: 65_535)
        while true {
            try waitFor(fd, events: Int16(POLLIN), deadline: deadline, server: server)
            let count = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            if count < 0 {
                if errno == EAGAIN || errno == EINTR { continue }
                if errno == ECONNREFUSED {
                    throw DNSError(.connectFailed, "nothing answers DNS there (ICMP port unreachable); check the address and port", server: server.description)
                }
                throw failure("cannot read from", server)
            }
            let reply = Array(buffer[0..<count])
            if matches(reply) { return reply }
        }
    }

    /// Sends `request` over TCP with the 2-octet length prefix (RFC 1035 §4.2.2, RFC 7766).
    static func tcp(_ request: [UInt8], to server: DNSServer, timeout: Double) throws -> [UInt8] {
        let deadline = Date().addingTimeInterval(timeout)
        let fd = try openSocket(server, type: Int32(SOCK_STREAM.rawValue))
        defer { close(fd) }
        try connectSocket(fd, server, deadline: deadline)
        let framed = [UInt8(request.count >> 8), UInt8(request.count & 0xFF)] + request
        var written = 0
        while written < framed.count {
            try waitFor(fd, events: Int16(POLLOUT), deadline: deadline, server: server)
            let count = framed[written...].withUnsafeBytes { send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            if count < 0 {
                if errno == EAGAIN || errno == EINTR { continue }
                throw failure("cannot send to", server)
            }
            written += count
        }
        let prefix = try readExactly(fd, 2, deadline: deadline, server: server)
        let length = Int(prefix[0]) << 8 | Int(prefix[1])
        return try readExactly(fd, length, deadline: deadline, server: server)
    }

    private static func readExactly(_ fd: Int32, _ length: Int, deadline: Date, server: DNSServer) throws -> [UInt8] {
        var out = [UInt8](repeating: 0, count: length)
        var filled = 0
        while filled < length {
            try waitFor(fd, events: Int16(POLLIN), deadline: deadline, server: server)
            let count = out[filled...].withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            if count < 0 {
                if errno == EAGAIN || errno == EINTR { continue }
                throw failure("cannot read from", server)
            }
            if count == 0 {
                throw DNSError(.truncatedOverTCP, "the server closed the TCP connection after \(filled) of \(length) octets", server: server.description)
            }
            filled += count
        }
        return out
    }

    private static func openSocket(_ server: DNSServer, type: Int32) throws -> Int32 {
        let family = server.address.isIPv4 ? AF_INET : AF_INET6
        let fd = socket(family, type | Int32(SOCK_NONBLOCK.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { throw failure("cannot open a socket for", server) }
        return fd
    }

    /// Source-port randomisation (RFC 5452 §4.5): try a few random high ports, else let the kernel pick.
    private static func bindRandomPort(_ fd: Int32, family: Int32) {
        for _ in 0..<8 {
            let port = UInt16.random(in: 49_152...65_535)
            let status = withSockaddr(family == AF_INET ? .v4([0, 0, 0, 0]) : .v6(Array(repeating: 0, count: 16)), port: port) {
                bind(fd, $0, $1)
            }
            if status == 0 { return }
        }
    }

    private static func connectSocket(_ fd: Int32, _ server: DNSServer, deadline: Date) throws {
        let status = withSockaddr(server.address, port: server.port) { connect(fd, $0, $1) }
        if status == 0 { return }
        guard errno == EINPROGRESS else { throw failure("cannot connect to", server) }
        try waitFor(fd, events: Int16(POLLOUT), deadline: deadline, server: server)
        var error: Int32 = 0
        var length = socklen_t(MemoryLayout<Int32>.size)
        getsockopt(fd, SOL_SOCKET, SO_ERROR, &error, &length)
        guard error == 0 else {
            errno = error
            throw failure("cannot connect to", server)
        }
    }

    private static func waitFor(_ fd: Int32, events: Int16, deadline: Date, server: DNSServer) throws {
        while true {
            let remaining = deadline.timeIntervalSinceNow
            guard remaining > 0 else {
                throw DNSError(.timeout, "no answer within the time-out (--timeout); the server may be down, filtered or overloaded", server: server.description)
            }
            var descriptor = pollfd(fd: fd, events: events, revents: 0)
            let ready = poll(&descriptor, 1, Int32(min(remaining * 1000, 60_000)) + 1)
            if ready < 0 && errno == EINTR { continue }
            if ready < 0 { throw failure("cannot poll", server) }
            if ready > 0 { return }
        }
    }

    private static func failure(_ what: String, _ server: DNSServer) -> DNSError {
        let reason = String(cString: strerror(errno))
        return DNSError(.connectFailed, "\(what) \(server): \(reason)", server: server.description)
    }

    static func withSockaddr<T>(_ address: IPAddress, port: UInt16, _ body: (UnsafePointer<sockaddr>, socklen_t) -> T) -> T {
        switch address {
        case .v4(let bytes):
            var storage = sockaddr_in()
            storage.sin_family = sa_family_t(AF_INET)
            storage.sin_port = port.bigEndian
            withUnsafeMutableBytes(of: &storage.sin_addr) { $0.copyBytes(from: bytes) }
            return withUnsafePointer(to: &storage) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { body($0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
            }
        case .v6(let bytes):
            var storage = sockaddr_in6()
            storage.sin6_family = sa_family_t(AF_INET6)
            storage.sin6_port = port.bigEndian
            withUnsafeMutableBytes(of: &storage.sin6_addr) { $0.copyBytes(from: bytes) }
            return withUnsafePointer(to: &storage) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { body($0, socklen_t(MemoryLayout<sockaddr_in6>.size)) }
            }
        }
    }
}
