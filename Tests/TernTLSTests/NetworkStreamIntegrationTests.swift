import Foundation
import Testing
import TernTLS
import TernTestSupport

/// Talks to the local Dovecot pair started by scripts/testenv (real TLS, real certificates
/// from the throwaway test CA).
@Suite(.timeLimit(.minutes(2))) struct NetworkStreamIntegrationTests {
    let env: TestEnvironment

    init() throws { env = try TestEnvironment.dovecot() }

    /// Reads until `needle` appears (or the stream ends) and returns everything read.
    func readUntil(_ stream: NetworkStream, contains needle: String) async throws -> String {
        var text = ""
        while !text.contains(needle) {
            let chunk = try await stream.read()
            if chunk.isEmpty { break }
            text += String(decoding: chunk, as: UTF8.self)
        }
        return text
    }

    @Test func implicitTLSVerifiesAgainstTheTestCA() async throws {
        let stream = try await NetworkStream.connect(
            host: "127.0.0.1", port: env.source.tlsPort,
            tls: TLSConfiguration(caFile: env.ca, serverName: "localhost"))
        defer { stream.close() }
        let greeting = try await readUntil(stream, contains: "\r\n")
        #expect(greeting.hasPrefix("* OK"))
        guard case .tls(let version, _, let verified) = stream.security else {
            Issue.record("stream is not encrypted")
            return
        }
        #expect(verified)
        #expect(version.hasPrefix("TLSv1.2") || version.hasPrefix("TLSv1.3"))
    }

    @Test func verifiesAnIPAddressAgainstTheCertificate() async throws {
        let stream = try await NetworkStream.connect(
            host: "127.0.0.1", port: env.destination.tlsPort, tls: TLSConfiguration(caFile: env.ca))
        defer { stream.close() }
        #expect(try await readUntil(stream, contains: "\r\n").hasPrefix("* OK"))
    }

    /// Issue 11: a process that exits while a stream's I/O thread is still in SSL_shutdown
    /// crashed in OpenSSL. `closeAndWait()` returns only once that thread is done with OpenSSL.
    @Test func closeAndWaitReturnsOnceTheIOThreadHasFinished() async throws {
        for _ in 0..<20 {
            let stream = try await NetworkStream.connect(
                host: "127.0.0.1", port: env.source.tlsPort,
                tls: TLSConfiguration(caFile: env.ca, serverName: "localhost"))
            #expect(try await readUntil(stream, contains: "\r\n").hasPrefix("* OK"))
            #expect(!stream.ioFinished)
            await stream.closeAndWait()
            #expect(stream.ioFinished)
            await stream.closeAndWait()  // idempotent, returns at once
            await #expect(throws: TransportError.self) { try await stream.write(Array("a NOOP\r\n".utf8)) }
        }
    }

    @Test func refusesACertificateFromAnUntrustedCA() async throws {
        let error = await #expect(throws: TransportError.self) {
            _ = try await NetworkStream.connect(
                host: "127.0.0.1", port: env.source.tlsPort, tls: TLSConfiguration(serverName: "localhost"))
        }
        #expect(error?.code == .certificateVerification)
        #expect(error?.message.contains("--ca-file") == true)
    }

    @Test func refusesACertificateForAnotherName() async throws {
        let error = await #expect(throws: TransportError.self) {
            _ = try await NetworkStream.connect(
                host: "127.0.0.1", port: env.source.tlsPort,
                tls: TLSConfiguration(caFile: env.ca, serverName: "imap.wrong-name.test"))
        }
        #expect(error?.code == .certificateVerification)
    }

    @Test func insecureSkipsVerificationButStillEncrypts() async throws {
        let stream = try await NetworkStream.connect(
            host: "127.0.0.1", port: env.source.tlsPort, tls: TLSConfiguration(insecure: true))
        defer { stream.close() }
        #expect(try await readUntil(stream, contains: "\r\n").hasPrefix("* OK"))
        guard case .tls(_, _, let verified) = stream.security else {
            Issue.record("stream is not encrypted")
            return
        }
        #expect(!verified)
    }

    @Test func reportsARefusedConnection() async throws {
        // Port 1 on loopback: nothing listens there.
        let error = await #expect(throws: TransportError.self) {
            _ = try await NetworkStream.connect(host: "127.0.0.1", port: 1)
        }
        #expect(error?.code == .connectFailed)
    }

    @Test func reportsAnUnresolvableHost() async throws {
        let error = await #expect(throws: TransportError.self) {
            _ = try await NetworkStream.connect(host: "no-such-host.invalid", port: 993)
        }
        #expect(error?.code == .nameResolution)
    }

    @Test func startTLSUpgradesAPlainConnection() async throws {
        let stream = try await NetworkStream.connect(host: "127.0.0.1", port: env.source.port)
        defer { stream.close() }
        _ = try await readUntil(stream, contains: "\r\n")
        try await stream.write(Array("s1 STARTTLS\r\n".utf8))
        let reply = try await readUntil(stream, contains: "s1 ")
        #expect(reply.contains("s1 OK"))
        try await stream.startTLS(TLSConfiguration(caFile: env.ca, serverName: "localhost"))
        try await stream.write(Array("s2 CAPABILITY\r\n".utf8))
        let capabilities = try await readUntil(stream, contains: "s2 OK")
        #expect(capabilities.contains("AUTH=PLAIN"))
    }

    /// Writes far more pipelined commands than the socket buffers hold while the server
    /// answers each: only a stream that reads while it writes finishes this.
    @Test func pipelinesWithoutDeadlock() async throws {
        let stream = try await NetworkStream.connect(
            host: "127.0.0.1", port: env.destination.tlsPort, tls: TLSConfiguration(caFile: env.ca))
        defer { stream.close() }
        _ = try await readUntil(stream, contains: "\r\n")
        let count = 20_000
        let batch = (0..<count).flatMap { Array("p\($0) CAPABILITY\r\n".utf8) }
        async let written: Void = stream.write(batch)
        var received = 0
        var tail = ""
        while !tail.contains("p\(count - 1) ") {
            let chunk = try await stream.read()
            if chunk.isEmpty { break }
            received += chunk.count
            tail = String(decoding: chunk.suffix(4096), as: UTF8.self)
        }
        try await written
        #expect(tail.contains("p\(count - 1) "))
        #expect(received > batch.count)
    }

    @Test func closeFailsAPendingRead() async throws {
        let stream = try await NetworkStream.connect(host: "127.0.0.1", port: env.destination.port)
        _ = try await readUntil(stream, contains: "\r\n")
        let pending = Task { try await stream.read() }
        try await Task.sleep(for: .milliseconds(50))
        stream.close()
        await #expect(throws: TransportError.self) { _ = try await pending.value }
    }
}
