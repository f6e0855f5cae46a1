import COpenSSL
import Glibc

/// One OpenSSL client session over a connected, non-blocking socket.
///
/// Owned by a single I/O thread (OpenSSL's `SSL` objects are not safe to share); every call
/// here is non-blocking and reports "would block" as `.wantRead`/`.wantWrite`. The raw
/// OpenSSL calls of this module live in this folder only.
final class TLSSession {
    enum Step: Equatable {
        case done(Int)
        case wantRead
        case wantWrite
        case endOfStream
    }

    private let context: OpaquePointer  // SSL_CTX *
    private let ssl: OpaquePointer  // SSL *
    private let endpoint: String
    let verifying: Bool

    init(fd: Int32, configuration: TLSConfiguration, host: String, endpoint: String) throws(TransportError) {
        self.endpoint = endpoint
        self.verifying = !configuration.insecure
        OpenSSLLibrary.ensureInitialized()
        ERR_clear_error()
        guard let ctx = SSL_CTX_new(TLS_client_method()) else {
            throw TransportError(.tlsHandshake, "could not create a TLS context: \(Self.drainErrors())",
                endpoint: endpoint)
        }
        _ = tern_SSL_CTX_set_min_proto_version(ctx, tern_TLS1_2_VERSION())
        _ = tern_SSL_CTX_set_mode(
            ctx, tern_SSL_MODE_ENABLE_PARTIAL_WRITE() | tern_SSL_MODE_ACCEPT_MOVING_WRITE_BUFFER())
        tern_SSL_CTX_ignore_unexpected_eof(ctx)
        if configuration.insecure {
            SSL_CTX_set_verify(ctx, SSL_VERIFY_NONE, nil)
        } else {
            SSL_CTX_set_verify(ctx, SSL_VERIFY_PEER, nil)
            let loaded: Int32
            if let caFile = configuration.caFile {
                loaded = SSL_CTX_load_verify_locations(ctx, caFile, nil)
            } else {
                loaded = SSL_CTX_set_default_verify_paths(ctx)
            }
            if loaded != 1 {
                let detail = Self.drainErrors()
                SSL_CTX_free(ctx)
                let what = configuration.caFile.map { "the CA file \($0)" } ?? "the system CA store"
                throw TransportError(.certificateVerification, "could not load \(what): \(detail)",
                    endpoint: endpoint)
            }
        }
        guard let ssl = SSL_new(ctx) else {
            SSL_CTX_free(ctx)
            throw TransportError(.tlsHandshake, "could not create a TLS session: \(Self.drainErrors())",
                endpoint: endpoint)
        }
        self.context = ctx
        self.ssl = ssl
        SSL_set_fd(ssl, fd)
        let name = configuration.serverName ?? host
        let isAddress = Self.isIPAddress(name)
        if !isAddress {
            // SNI is for names only (RFC 6066 §3 forbids literal addresses).
            _ = tern_SSL_set_tlsext_host_name(ssl, name)
        }
        if verifying {
            let param = SSL_get0_param(ssl)
            X509_VERIFY_PARAM_set_hostflags(param, UInt32(X509_CHECK_FLAG_NO_PARTIAL_WILDCARDS))
            let ok = isAddress ? X509_VERIFY_PARAM_set1_ip_asc(param, name) : X509_VERIFY_PARAM_set1_host(param, name, 0)
            if ok != 1 {
                throw TransportError(.certificateVerification,
                    "cannot verify against the name \(name): \(Self.drainErrors())", endpoint: endpoint)
            }
        }
        SSL_set_connect_state(ssl)
    }

    deinit {
        SSL_free(ssl)
        SSL_CTX_free(context)
    }

    func handshake() throws(TransportError) -> Step {
        ERR_clear_error()
        let result = SSL_do_handshake(ssl)
        if result == 1 { return .done(0) }
        switch SSL_get_error(ssl, result) {
        case SSL_ERROR_WANT_READ: return .wantRead
        case SSL_ERROR_WANT_WRITE: return .wantWrite
        default:
            let verify = SSL_get_verify_result(ssl)
            if verifying && verify != Int(X509_V_OK) {
                let reason = String(cString: X509_verify_cert_error_string(verify))
                throw TransportError(.certificateVerification,
                    "TLS certificate not trusted: \(reason). Pass --ca-file FILE for a private CA, "
                        + "or --insecure to skip verification (not recommended)",
                    endpoint: endpoint)
            }
            let detail = Self.drainErrors()
            throw TransportError(.tlsHandshake,
                "TLS handshake failed: \(detail.isEmpty ? "connection closed by the server" : detail)",
                endpoint: endpoint)
        }
    }

    func read(into buffer: UnsafeMutableRawBufferPointer) throws(TransportError) -> Step {
        ERR_clear_error()
        let count = SSL_read(ssl, buffer.baseAddress, Int32(clamping: buffer.count))
        if count > 0 { return .done(Int(count)) }
        return try classify(count, operation: "read")
    }

    func write(_ bytes: UnsafeRawBufferPointer) throws(TransportError) -> Step {
        ERR_clear_error()
        let count = SSL_write(ssl, bytes.baseAddress, Int32(clamping: bytes.count))
        if count > 0 { return .done(Int(count)) }
        return try classify(count, operation: "write")
    }

    /// Sends close_notify once; we do not wait for the peer's.
    func shutdown() {
        ERR_clear_error()
        _ = SSL_shutdown(ssl)
    }

    var protocolVersion: String { String(cString: SSL_get_version(ssl)) }
    var cipher: String { tern_SSL_cipher_name(ssl).map { String(cString: $0) } ?? "unknown" }

    private func classify(_ result: Int32, operation: String) throws(TransportError) -> Step {
        let error = SSL_get_error(ssl, result)
        switch error {
        case SSL_ERROR_WANT_READ: return .wantRead
        case SSL_ERROR_WANT_WRITE: return .wantWrite
        case SSL_ERROR_ZERO_RETURN: return .endOfStream
        case SSL_ERROR_SYSCALL where ERR_peek_error() == 0:
            if errno == 0 || errno == ECONNRESET || errno == EPIPE { return .endOfStream }
            throw TransportError(.io, "TLS \(operation) failed: \(String(cString: strerror(errno)))",
                endpoint: endpoint)
        default:
            throw TransportError(.io, "TLS \(operation) failed: \(Self.drainErrors())", endpoint: endpoint)
        }
    }

    static func drainErrors() -> String {
        var parts: [String] = []
        while true {
            let code = ERR_get_error()
            if code == 0 { break }
            var buffer = [CChar](repeating: 0, count: 256)
            ERR_error_string_n(code, &buffer, buffer.count)
            parts.append(String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self))
        }
        return parts.joined(separator: "; ")
    }

    static func isIPAddress(_ text: String) -> Bool {
        var v4 = in_addr()
        var v6 = in6_addr()
        return inet_pton(AF_INET, text, &v4) == 1 || inet_pton(AF_INET6, text, &v6) == 1
    }
}
