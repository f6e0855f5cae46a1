import Glibc

/// Resolves a host and opens a non-blocking TCP socket to the first address that answers.
/// Blocking work (getaddrinfo, waiting for connect) runs on the caller's thread, which must
/// not be a Swift concurrency thread (NetworkStream calls this from a Dispatch queue).
enum TCPConnector {
    static func connect(host: String, port: Int, timeout: Duration, endpoint: String) throws(TransportError) -> Int32 {
        var hints = addrinfo()
        hints.ai_family = AF_UNSPEC
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        hints.ai_flags = AI_ADDRCONFIG
        var list: UnsafeMutablePointer<addrinfo>?
        let status = getaddrinfo(host, String(port), &hints, &list)
        guard status == 0, let first = list else {
            let reason = String(cString: gai_strerror(status))
            throw TransportError(.nameResolution, "cannot resolve host \(host): \(reason); check --host",
                endpoint: endpoint)
        }
        defer { freeaddrinfo(list) }

        var lastError = "no address found"
        var entry: UnsafeMutablePointer<addrinfo>? = first
        while let info = entry {
            entry = info.pointee.ai_next
            let fd = socket(info.pointee.ai_family, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
            if fd < 0 {
                lastError = String(cString: strerror(errno))
                continue
            }
            do {
                try connect(fd: fd, address: info.pointee.ai_addr, length: info.pointee.ai_addrlen, timeout: timeout)
                var one: Int32 = 1
                _ = setsockopt(fd, Int32(IPPROTO_TCP), TCP_NODELAY, &one, socklen_t(MemoryLayout<Int32>.size))
                return fd
            } catch let error {
                lastError = error.reason
                close(fd)
            }
        }
        throw TransportError(.connectFailed, "cannot connect to \(endpoint): \(lastError)", endpoint: endpoint)
    }

    /// Non-blocking connect with a deadline; the descriptor stays non-blocking afterwards.
    private static func connect(
        fd: Int32, address: UnsafeMutablePointer<sockaddr>, length: socklen_t, timeout: Duration
    ) throws(SocketFailure) {
        let flags = fcntl(fd, F_GETFL, 0)
        _ = fcntl(fd, F_SETFL, flags | O_NONBLOCK)
        if Glibc.connect(fd, address, length) == 0 { return }
        guard errno == EINPROGRESS else { throw SocketFailure(String(cString: strerror(errno))) }
        var pfd = pollfd(fd: fd, events: Int16(POLLOUT), revents: 0)
        let millis = Int32(clamping: timeout.components.seconds * 1000 + timeout.components.attoseconds / 1_000_000_000_000_000)
        var ready: Int32
        repeat { ready = poll(&pfd, 1, millis) } while ready < 0 && errno == EINTR
        if ready == 0 { throw SocketFailure("timed out after \(timeout)") }
        if ready < 0 { throw SocketFailure(String(cString: strerror(errno))) }
        var soError: Int32 = 0
        var size = socklen_t(MemoryLayout<Int32>.size)
        _ = getsockopt(fd, SOL_SOCKET, SO_ERROR, &soError, &size)
        if soError != 0 { throw SocketFailure(String(cString: strerror(soError))) }
    }
}

/// Why one address failed; folded into the TransportError for the whole host.
private struct SocketFailure: Error {
    let reason: String
    init(_ reason: String) { self.reason = reason }
}
