import Dispatch
import Foundation
import Synchronization

/// A full-duplex byte stream to one server over TCP, optionally upgraded to TLS.
///
/// Each stream owns one I/O thread that runs a small poll loop over the socket. Reading and
/// writing progress independently: while a long write (a pipelined batch, a 50 MB APPEND) is
/// blocked on a full socket, the loop keeps reading the server's responses into a bounded
/// buffer, so a pipelining client and server can never wait on each other. Blocking work
/// never happens on Swift's cooperative thread pool.
///
/// Contract:
/// - `read()` returns every byte received so far (at most `inboundLimit`, at least one), or
///   an empty array at end of stream. Only one `read()` may be pending at a time.
/// - `write(_:)` returns once the bytes are handed to the kernel (or TLS), in call order.
///   A write that makes no progress for `stallTimeout` fails with `.timeout`.
/// - `startTLS(_:)` upgrades a plain stream; it refuses if unread plaintext is buffered,
///   which would otherwise be a STARTTLS response-injection hole.
/// - `close()` is idempotent; pending operations fail with `.closed`. It only asks the I/O
///   thread to stop; `closeAndWait()` also waits until that thread has shut TLS down, freed
///   the session and closed the socket, so nothing of the stream is still running in OpenSSL
///   when the caller goes on (for instance to exit the process).
public final class NetworkStream: Sendable {
    public let host: String
    public let port: Int
    public var endpoint: String { "\(host):\(port)" }
    /// Bytes buffered from the socket before the loop pauses reading (back-pressure).
    public let inboundLimit: Int
    public let stallTimeout: Duration

    private let state: Mutex<StreamState>
    private let wakePipe: (read: Int32, write: Int32)
    private let fd: Int32

    private init(fd: Int32, host: String, port: Int, inboundLimit: Int, stallTimeout: Duration) throws(TransportError) {
        var fds: [Int32] = [0, 0]
        guard pipe(&fds) == 0 else {
            Glibc.close(fd)
            throw TransportError(.io, "cannot create a wake-up pipe: \(String(cString: strerror(errno)))",
                endpoint: "\(host):\(port)")
        }
        for end in fds {
            _ = fcntl(end, F_SETFL, fcntl(end, F_GETFL, 0) | O_NONBLOCK)
            _ = fcntl(end, F_SETFD, FD_CLOEXEC)
        }
        self.fd = fd
        self.host = host
        self.port = port
        self.inboundLimit = inboundLimit
        self.stallTimeout = stallTimeout
        self.wakePipe = (fds[0], fds[1])
        self.state = Mutex(StreamState())
        let loop = IOLoop(stream: self)
        let thread = Thread { loop.run() }
        thread.name = "tern.io \(host):\(port)"
        thread.start()
    }

    /// Opens a TCP connection; with `tls` set, performs the TLS handshake before returning
    /// (implicit TLS, e.g. IMAPS on 993).
    public static func connect(
        host: String, port: Int, tls: TLSConfiguration? = nil,
        connectTimeout: Duration = .seconds(30), stallTimeout: Duration = .seconds(120),
        inboundLimit: Int = 1 << 20
    ) async throws(TransportError) -> NetworkStream {
        let endpoint = "\(host):\(port)"
        let result: Result<Int32, TransportError> = await withCheckedContinuation { continuation in
            DispatchQueue.global().async {
                do throws(TransportError) {
                    let fd = try TCPConnector.connect(host: host, port: port, timeout: connectTimeout, endpoint: endpoint)
                    continuation.resume(returning: .success(fd))
                } catch {
                    continuation.resume(returning: .failure(error))
                }
            }
        }
        let stream = try NetworkStream(
            fd: result.get(), host: host, port: port, inboundLimit: inboundLimit, stallTimeout: stallTimeout)
        if let tls {
            do {
                try await stream.startTLS(tls, timeout: connectTimeout)
            } catch {
                await stream.closeAndWait()
                throw error
            }
        }
        return stream
    }

    /// Whether the stream is encrypted, and how.
    public var security: StreamSecurity { state.withLock { $0.security } }

    public func read() async throws(TransportError) -> [UInt8] {
        let result: Result<[UInt8], TransportError> = await withCheckedContinuation { continuation in
            let immediate: Result<[UInt8], TransportError>? = state.withLock { state in
                if !state.inbound.isEmpty {
                    let bytes = state.inbound
                    state.inbound = []
                    return .success(bytes)
                }
                if let failure = state.failure { return .failure(failure) }
                if state.endOfStream { return .success([]) }
                precondition(state.reader == nil, "NetworkStream allows one pending read")
                state.reader = continuation
                return nil
            }
            if let immediate {
                continuation.resume(returning: immediate)
            }
            // The loop may have paused reading on a full buffer that we just emptied.
            wake()
        }
        return try result.get()
    }

    public func write(_ bytes: [UInt8]) async throws(TransportError) {
        try await write(bytes[...])
    }

    /// Writes a slice without copying it (e.g. a message body inside a larger buffer).
    public func write(_ bytes: ArraySlice<UInt8>) async throws(TransportError) {
        if bytes.isEmpty { return }
        let result: Result<Void, TransportError> = await withCheckedContinuation { continuation in
            let failure: TransportError? = state.withLock { state in
                if let failure = state.failure { return failure }
                if state.closing { return closedError }
                state.writes.append(PendingWrite(bytes: bytes, continuation: continuation))
                return nil
            }
            if let failure {
                continuation.resume(returning: .failure(failure))
            } else {
                wake()
            }
        }
        try result.get()
    }

    /// Upgrades the stream to TLS (after the protocol's STARTTLS exchange, or at once for
    /// implicit TLS).
    public func startTLS(_ configuration: TLSConfiguration, timeout: Duration = .seconds(30)) async throws(TransportError) {
        let result: Result<Void, TransportError> = await withCheckedContinuation { continuation in
            let failure: TransportError? = state.withLock { state in
                if let failure = state.failure { return failure }
                if !state.inbound.isEmpty {
                    return TransportError(.startTLSUnavailable,
                        "the server sent data before the TLS handshake (possible STARTTLS injection); refusing",
                        endpoint: endpoint)
                }
                if case .tls = state.security {
                    return TransportError(.startTLSUnavailable, "the stream is already encrypted", endpoint: endpoint)
                }
                state.handshake = PendingHandshake(
                    configuration: configuration, deadline: .now + timeout, continuation: continuation)
                return nil
            }
            if let failure {
                continuation.resume(returning: .failure(failure))
            } else {
                wake()
            }
        }
        try result.get()
    }

    /// Closes the connection; the I/O thread ends and pending operations fail with `.closed`.
    public func close() {
        let first = state.withLock { state in
            defer { state.closing = true }
            return !state.closing
        }
        if first { wake() }
    }

    /// Closes the connection and returns once the I/O thread has finished with it (TLS
    /// close_notify sent, the OpenSSL session freed, the socket closed). The thread's last
    /// steps never block, so this returns promptly.
    public func closeAndWait() async {
        close()
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let finished = state.withLock { state in
                if state.finished { return true }
                state.finishWaiters.append(continuation)
                return false
            }
            if finished { continuation.resume() }
        }
    }

    /// Whether the I/O thread has ended (TLS session freed, socket closed).
    package var ioFinished: Bool { state.withLock { $0.finished } }

    var closedError: TransportError { TransportError(.closed, "connection closed", endpoint: endpoint) }

    private func wake() {
        var byte: UInt8 = 1
        _ = Glibc.write(wakePipe.write, &byte, 1)
    }

    // MARK: - Loop access

    fileprivate var socket: Int32 { fd }
    fileprivate var wakeDescriptor: Int32 { wakePipe.read }
    fileprivate func withState<R>(_ body: (inout StreamState) -> R) -> R { state.withLock { body(&$0) } }

    deinit {
        Glibc.close(wakePipe.read)
        Glibc.close(wakePipe.write)
    }
}

/// How a stream is protected; reported by `tern probe`.
public enum StreamSecurity: Sendable, Equatable {
    case plaintext
    case tls(version: String, cipher: String, verified: Bool)
}

struct PendingWrite {
    var bytes: ArraySlice<UInt8>
    var offset = 0
    var continuation: CheckedContinuation<Result<Void, TransportError>, Never>
}

struct PendingHandshake {
    var configuration: TLSConfiguration
    var deadline: ContinuousClock.Instant
    var continuation: CheckedContinuation<Result<Void, TransportError>, Never>
}

struct StreamState {
    var inbound: [UInt8] = []
    var endOfStream = false
    var failure: TransportError?
    var reader: CheckedContinuation<Result<[UInt8], TransportError>, Never>?
    var writes: [PendingWrite] = []
    var handshake: PendingHandshake?
    var security: StreamSecurity = .plaintext
    var closing = false
    /// Set by the I/O thread as its last step; `closeAndWait()` callers wait for it.
    var finished = false
    var finishWaiters: [CheckedContinuation<Void, Never>] = []
    /// When the front write last moved; a stall longer than `stallTimeout` fails it.
    var lastWriteProgress: ContinuousClock.Instant = .now
}

/// The poll loop behind a `NetworkStream`. Runs on its own thread and is the only user of
/// the socket and of the TLS session.
private final class IOLoop: @unchecked Sendable {
    private let stream: NetworkStream
    private var tls: TLSSession?
    private var scratch = [UInt8](repeating: 0, count: 64 * 1024)

    init(stream: NetworkStream) { self.stream = stream }

    func run() {
        // OpenSSL writes to the socket with write(2), which raises SIGPIPE on a reset link and
        // would kill the process. Blocked on this thread only, the write fails with EPIPE
        // instead; the rest of the process keeps its signal handling.
        var blocked = sigset_t()
        sigemptyset(&blocked)
        sigaddset(&blocked, SIGPIPE)
        pthread_sigmask(SIG_BLOCK, &blocked, nil)
        while true {
            var wantRead = false
            var wantWrite = false
            var progressed = false
            let snapshot = stream.withState { state in
                (closing: state.closing, handshake: state.handshake, hasWrite: !state.writes.isEmpty,
                 canRead: state.failure == nil && !state.endOfStream && state.inbound.count < stream.inboundLimit)
            }
            if snapshot.closing { break }

            if let handshake = snapshot.handshake {
                handshakeStep(handshake, wantRead: &wantRead, wantWrite: &wantWrite, progressed: &progressed)
            } else {
                if snapshot.hasWrite { writeStep(wantRead: &wantRead, wantWrite: &wantWrite, progressed: &progressed) }
                if snapshot.canRead { readStep(wantRead: &wantRead, wantWrite: &wantWrite, progressed: &progressed) }
            }
            if progressed { continue }
            waitForEvents(read: wantRead, write: wantWrite)
            checkDeadlines()
        }
        shutdown()
    }

    private func handshakeStep(_ pending: PendingHandshake, wantRead: inout Bool, wantWrite: inout Bool,
                               progressed: inout Bool) {
        do throws(TransportError) {
            if tls == nil {
                tls = try TLSSession(fd: stream.socket, configuration: pending.configuration, host: stream.host,
                    endpoint: stream.endpoint)
            }
            switch try tls!.handshake() {
            case .done:
                let session = tls!
                let continuation = stream.withState { state in
                    state.security = .tls(version: session.protocolVersion, cipher: session.cipher,
                        verified: session.verifying)
                    defer { state.handshake = nil }
                    return state.handshake?.continuation
                }
                continuation?.resume(returning: .success(()))
                progressed = true
            case .wantRead: wantRead = true
            case .wantWrite: wantWrite = true
            case .endOfStream:
                throw TransportError(.tlsHandshake, "the server closed the connection during the TLS handshake",
                    endpoint: stream.endpoint)
            }
        } catch {
            tls = nil
            fail(error)
            progressed = true
        }
    }

    private func writeStep(wantRead: inout Bool, wantWrite: inout Bool, progressed: inout Bool) {
        guard let front = stream.withState({ $0.writes.first }) else { return }
        let step: Result<TLSSession.Step, TransportError> = front.bytes.withUnsafeBytes { buffer in
            let rest = UnsafeRawBufferPointer(rebasing: buffer[front.offset...].prefix(256 * 1024))
            do throws(TransportError) {
                if let tls { return .success(try tls.write(rest)) }
                return .success(try plainWrite(rest))
            } catch {
                return .failure(error)
            }
        }
        switch step {
        case .success(.done(let count)):
            progressed = true
            let finished = stream.withState { state -> CheckedContinuation<Result<Void, TransportError>, Never>? in
                state.lastWriteProgress = .now
                state.writes[0].offset += count
                guard state.writes[0].offset == state.writes[0].bytes.count else { return nil }
                return state.writes.removeFirst().continuation
            }
            finished?.resume(returning: .success(()))
        case .success(.wantRead): wantRead = true
        case .success(.wantWrite): wantWrite = true
        case .success(.endOfStream):
            fail(TransportError(.closed, "the server closed the connection", endpoint: stream.endpoint))
            progressed = true
        case .failure(let error):
            fail(error)
            progressed = true
        }
    }

    private func readStep(wantRead: inout Bool, wantWrite: inout Bool, progressed: inout Bool) {
        let step: Result<TLSSession.Step, TransportError> = scratch.withUnsafeMutableBytes { buffer in
            do throws(TransportError) {
                if let tls { return .success(try tls.read(into: buffer)) }
                return .success(try plainRead(into: buffer))
            } catch {
                return .failure(error)
            }
        }
        switch step {
        case .success(.done(let count)):
            progressed = true
            let delivery = stream.withState { state -> (CheckedContinuation<Result<[UInt8], TransportError>, Never>, [UInt8])? in
                state.inbound.append(contentsOf: scratch[0..<count])
                guard let reader = state.reader else { return nil }
                state.reader = nil
                let bytes = state.inbound
                state.inbound = []
                return (reader, bytes)
            }
            if let (reader, bytes) = delivery { reader.resume(returning: .success(bytes)) }
        case .success(.wantRead): wantRead = true
        case .success(.wantWrite): wantWrite = true
        case .success(.endOfStream):
            progressed = true
            let reader = stream.withState { state in
                state.endOfStream = true
                defer { state.reader = nil }
                return state.inbound.isEmpty ? state.reader : nil
            }
            reader?.resume(returning: .success([]))
        case .failure(let error):
            fail(error)
            progressed = true
        }
    }

    private func plainRead(into buffer: UnsafeMutableRawBufferPointer) throws(TransportError) -> TLSSession.Step {
        while true {
            let count = recv(stream.socket, buffer.baseAddress, buffer.count, 0)
            if count > 0 { return .done(count) }
            if count == 0 { return .endOfStream }
            switch errno {
            case EINTR: continue
            case EAGAIN, EWOULDBLOCK: return .wantRead
            case ECONNRESET: return .endOfStream
            default: throw TransportError(.io, "read failed: \(String(cString: strerror(errno)))",
                endpoint: stream.endpoint)
            }
        }
    }

    private func plainWrite(_ bytes: UnsafeRawBufferPointer) throws(TransportError) -> TLSSession.Step {
        while true {
            let count = send(stream.socket, bytes.baseAddress, bytes.count, Int32(MSG_NOSIGNAL))
            if count >= 0 { return .done(count) }
            switch errno {
            case EINTR: continue
            case EAGAIN, EWOULDBLOCK: return .wantWrite
            case EPIPE, ECONNRESET: return .endOfStream
            default: throw TransportError(.io, "write failed: \(String(cString: strerror(errno)))",
                endpoint: stream.endpoint)
            }
        }
    }

    private func waitForEvents(read: Bool, write: Bool) {
        var events: Int16 = 0
        if read { events |= Int16(POLLIN) }
        if write { events |= Int16(POLLOUT) }
        var fds = [
            pollfd(fd: stream.socket, events: events, revents: 0),
            pollfd(fd: stream.wakeDescriptor, events: Int16(POLLIN), revents: 0),
        ]
        let timeout = pollTimeoutMillis()
        _ = poll(&fds, nfds_t(fds.count), timeout)
        if fds[1].revents != 0 {
            var drain = [UInt8](repeating: 0, count: 64)
            while Glibc.read(stream.wakeDescriptor, &drain, drain.count) > 0 {}
        }
    }

    /// Wake up in time to enforce the handshake deadline and the write-stall limit.
    private func pollTimeoutMillis() -> Int32 {
        let deadline: ContinuousClock.Instant? = stream.withState { state in
            if let handshake = state.handshake { return handshake.deadline }
            if !state.writes.isEmpty { return state.lastWriteProgress + stream.stallTimeout }
            return nil
        }
        guard let deadline else { return -1 }
        let remaining = ContinuousClock.now.duration(to: deadline)
        if remaining <= .zero { return 0 }
        return Int32(clamping: remaining.components.seconds * 1000 + 1)
    }

    private func checkDeadlines() {
        let now = ContinuousClock.now
        let expired: TransportError? = stream.withState { state in
            if let handshake = state.handshake, now >= handshake.deadline {
                return TransportError(.timeout, "TLS handshake timed out", endpoint: stream.endpoint)
            }
            if state.handshake == nil, !state.writes.isEmpty, now >= state.lastWriteProgress + stream.stallTimeout {
                return TransportError(.timeout, "the server accepted no data for \(stream.stallTimeout)",
                    endpoint: stream.endpoint)
            }
            return nil
        }
        if let expired { fail(expired) }
    }

    /// Records a fatal error and fails everything pending; later calls fail at once.
    private func fail(_ error: TransportError) {
        let pending = stream.withState { state in
            if state.failure == nil { state.failure = error }
            return takePending(&state)
        }
        pending.resume(with: error)
    }

    private func shutdown() {
        tls?.shutdown()
        tls = nil
        Glibc.close(stream.socket)
        let pending = stream.withState { state in
            if state.failure == nil { state.failure = stream.closedError }
            return takePending(&state)
        }
        pending.resume(with: stream.closedError)
        let waiters = stream.withState { state in
            state.finished = true
            defer { state.finishWaiters = [] }
            return state.finishWaiters
        }
        for waiter in waiters { waiter.resume() }
    }

    private func takePending(_ state: inout StreamState) -> PendingOperations {
        defer {
            state.reader = nil
            state.writes = []
            state.handshake = nil
        }
        return PendingOperations(reader: state.reader, writes: state.writes.map(\.continuation),
            handshake: state.handshake?.continuation)
    }
}

private struct PendingOperations {
    var reader: CheckedContinuation<Result<[UInt8], TransportError>, Never>?
    var writes: [CheckedContinuation<Result<Void, TransportError>, Never>]
    var handshake: CheckedContinuation<Result<Void, TransportError>, Never>?

    func resume(with error: TransportError) {
        reader?.resume(returning: .failure(error))
        for write in writes { write.resume(returning: .failure(error)) }
        handshake?.resume(returning: .failure(error))
    }
}
