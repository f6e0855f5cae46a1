import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A loopback TCP proxy for fault injection: forwards every connection to `127.0.0.1:target`
/// byte for byte (TLS passes through end to end) and, when armed, cuts one connection after
/// it has carried a given number of client→server bytes (in the middle of a command or an
/// APPEND literal) or server→client bytes (in the middle of a FETCH); or cuts every
/// connection once it has carried that many (a link that drops every few megabytes); or
/// stalls the link, forwarding nothing for a while at a fixed period. Plain POSIX sockets,
/// one thread per direction; for tests only.
public final class FaultyTCPProxy: @unchecked Sendable {
    public let port: Int
    public let targetPort: Int
    private let listener: Int32
    private let lock = NSLock()
    private var cutAfter: Int?
    private var cutAfterServer: Int?
    private var cutEveryClient: Int?
    private var cutEveryServer: Int?
    private var stallPlan: (started: ContinuousClock.Instant, pause: Duration, period: Duration)?
    private var cutsDone = 0
    private var stallsDone = 0
    private var connections = 0
    private var open: [Int32] = []
    private var stopped = false

    /// Connections accepted so far.
    public var connectionCount: Int { lock.withLock { connections } }
    /// Connections cut so far.
    public var cuts: Int { lock.withLock { cutsDone } }
    /// Times a direction of a connection held data back for a stall.
    public var stalls: Int { lock.withLock { stallsDone } }

    public init(targetPort: Int) throws {
        self.targetPort = targetPort
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw ProxyError("socket: \(String(cString: strerror(errno)))") }
        var yes: Int32 = 1
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &yes, socklen_t(MemoryLayout<Int32>.size))
        var address = Self.loopback(port: 0)
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard bound == 0, listen(fd, 16) == 0 else {
            close(fd)
            throw ProxyError("bind/listen: \(String(cString: strerror(errno)))")
        }
        var actual = sockaddr_in()
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &actual) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        listener = fd
        port = Int(UInt16(bigEndian: actual.sin_port))
        let thread = Thread { [self] in acceptLoop() }
        thread.start()
    }

    deinit { stop() }

    /// Cuts the next connection whose client→server byte count passes `bytes` (once).
    public func cut(afterClientBytes bytes: Int) {
        lock.withLock { cutAfter = bytes }
    }

    /// Cuts the next connection whose server→client byte count passes `bytes` (once).
    public func cut(afterServerBytes bytes: Int) {
        lock.withLock { cutAfterServer = bytes }
    }

    /// Cuts every connection (from now on, each on its own count) once it has carried `bytes`
    /// client→server bytes; nil stops cutting.
    public func cutEvery(clientBytes bytes: Int?) {
        lock.withLock { cutEveryClient = bytes }
    }

    /// Cuts every connection once it has carried `bytes` server→client bytes; nil stops cutting.
    public func cutEvery(serverBytes bytes: Int?) {
        lock.withLock { cutEveryServer = bytes }
    }

    /// From now on forwards nothing, either way, for `pause` at the start of every `period` (the
    /// link stalls `pause`, then runs `period - pause`); nil ends the stalls. Data waits in the
    /// proxy and the kernel's buffers, nothing is lost.
    public func stall(for pause: Duration?, every period: Duration) {
        lock.withLock {
            stallPlan = pause.map { (ContinuousClock.now, min($0, period), period) }
        }
    }

    /// Stops accepting and closes every open connection.
    public func stop() {
        let fds: [Int32] = lock.withLock {
            if stopped { return [] }
            stopped = true
            return open + [listener]
        }
        for fd in fds { shutdown(fd, Int32(SHUT_RDWR)) }
        if !fds.isEmpty { close(listener) }
    }

    private func acceptLoop() {
        while true {
            let client = accept(listener, nil, nil)
            if client < 0 {
                if errno == EINTR { continue }
                return
            }
            let upstream = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
            var address = Self.loopback(port: targetPort)
            let connected = withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                    connect(upstream, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
                }
            }
            guard connected == 0 else {
                close(client)
                close(upstream)
                continue
            }
            let accepted = lock.withLock { () -> Bool in
                if stopped { return false }
                connections += 1
                open += [client, upstream]
                return true
            }
            guard accepted else {
                close(client)
                close(upstream)
                return
            }
            let pair = Pair()
            Thread { [self] in pump(from: client, to: upstream, counting: true, pair: pair) }.start()
            Thread { [self] in pump(from: upstream, to: client, counting: false, pair: pair) }.start()
        }
    }

    /// Both ends of one proxied connection, closed once when either direction ends.
    private final class Pair: @unchecked Sendable {
        let lock = NSLock()
        var finished = 0
    }

    private func pump(from input: Int32, to output: Int32, counting: Bool, pair: Pair) {
        var buffer = [UInt8](repeating: 0, count: 16 * 1024)
        var total = 0
        loop: while true {
            let count = buffer.withUnsafeMutableBytes { recv(input, $0.baseAddress, $0.count, 0) }
            if count < 0 && errno == EINTR { continue }
            if count <= 0 { break }
            var length = count
            var cutNow = false
            lock.withLock {
                // The one-shot cut fires once for the whole proxy; the repeating one on every connection.
                let once = counting ? cutAfter : cutAfterServer
                let every = counting ? cutEveryClient : cutEveryServer
                let limit = [once, every].compactMap { $0 }.min()
                if let limit, total + count >= limit {
                    length = max(0, limit - total)
                    if limit == once { if counting { cutAfter = nil } else { cutAfterServer = nil } }
                    cutsDone += 1
                    cutNow = true
                }
            }
            waitOutStall()
            var sent = 0
            while sent < length {
                let written = buffer.withUnsafeBytes {
                    send(output, $0.baseAddress! + sent, length - sent, Int32(MSG_NOSIGNAL))
                }
                if written < 0 && errno == EINTR { continue }
                if written <= 0 { break loop }
                sent += written
            }
            total += length
            if cutNow { break }
        }
        // Either direction ending takes the whole connection down (both sides see a reset/EOF).
        shutdown(input, Int32(SHUT_RDWR))
        shutdown(output, Int32(SHUT_RDWR))
        let last = pair.lock.withLock { () -> Bool in
            pair.finished += 1
            return pair.finished == 2
        }
        if last {
            lock.withLock { open.removeAll { $0 == input || $0 == output } }
            close(input)
            close(output)
        }
    }

    /// Blocks this direction while the stall plan says the link is stalled.
    private func waitOutStall() {
        let wait: Duration? = lock.withLock {
            guard let plan = stallPlan else { return nil }
            let elapsed = ContinuousClock.now - plan.started
            let phase = elapsed - plan.period * Int(elapsed / plan.period)
            guard phase < plan.pause else { return nil }
            stallsDone += 1
            return plan.pause - phase
        }
        guard let wait else { return }
        let seconds = Double(wait.components.seconds) + Double(wait.components.attoseconds) / 1e18
        Thread.sleep(forTimeInterval: seconds)
    }

    private static func loopback(port: Int) -> sockaddr_in {
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = UInt16(port).bigEndian
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        return address
    }
}

public struct ProxyError: Error, CustomStringConvertible {
    public var description: String
    init(_ description: String) { self.description = description }
}
