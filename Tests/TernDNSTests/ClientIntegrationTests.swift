import Foundation
import Testing
@testable import TernDNS
#if canImport(Glibc)
import Glibc
#endif

/// The wire client against the local Knot servers (127.0.0.1 only).
@Suite(.serialized) struct ClientIntegrationTests {
    let client = TestDNSEnvironment.fastClient

    @Test func mxAnswerKeepsTTLsAndDiffersBetweenServers() async throws {
        try TestDNSEnvironment.require()
        let name = try DNSName("example.test")
        let a = try await client.query(name, .mx, server: TestDNSEnvironment.serverA, recursionDesired: false)
        let b = try await client.query(name, .mx, server: TestDNSEnvironment.serverB, recursionDesired: false)
        #expect(a.message.header.authoritative && !a.usedTCP)
        #expect(a.message.answers.allSatisfy { $0.ttl == 3600 })
        let exchangesA = Set(a.message.answers.map(\.data.presentation))
        let exchangesB = Set(b.message.answers.map(\.data.presentation))
        #expect(exchangesA == ["10 mx1.example.test.", "20 mx2.example.test."])
        #expect(exchangesB == ["10 mx1.example.test.", "20 mx-legacy.example.test."])
    }

    @Test func largeTXTFallsBackToTCP() async throws {
        try TestDNSEnvironment.require()
        let exchange = try await client.query(try DNSName("big.example.test"), .txt, server: TestDNSEnvironment.serverA,
                                              recursionDesired: false)
        #expect(exchange.usedTCP)
        #expect(exchange.message.answers.count == 24)
        #expect(exchange.bytes.count > 4096)
    }

    @Test func everyRecordTypeDecodesFromKnot() async throws {
        try TestDNSEnvironment.require()
        let resolver = StubResolver(servers: [TestDNSEnvironment.serverA], client: client, recursionDesired: false)
        let cases: [(String, RecordType, String)] = [
            ("example.test", .soa, "ns1.example.test. hostmaster.example.test. 2024060102 3600 600 604800 300"),
            ("example.test", .ns, "ns1.example.test."),
            ("web.example.test", .a, "192.0.2.80"),
            ("web.example.test", .aaaa, "2001:db8::80"),
            ("_imaps._tcp.example.test", .srv, "0 1 993 imap.example.test."),
            ("example.test", .caa, "0 issue \"letsencrypt.org\""),
            ("25.2.0.192.in-addr.arpa", .ptr, "mx1.example.test."),
            ("www.example.test", .cname, "web.example.test."),
        ]
        for (name, type, expected) in cases {
            let lookup = try await resolver.lookup(try DNSName(name), type)
            #expect(lookup.records.map(\.data.presentation).contains(expected), "\(name) \(type)")
        }
        let txt = try await resolver.lookup(try DNSName("old._domainkey.cutover.test"), .txt)
        guard case .txt(let record) = try #require(txt.records.first).data else { return }
        #expect(record.strings.count == 2 && record.text.hasPrefix("v=DKIM1; k=rsa; p=MIIB"))
    }

    @Test func cnameChainsAreFollowed() async throws {
        try TestDNSEnvironment.require()
        let resolver = StubResolver(servers: [TestDNSEnvironment.serverA], client: client, recursionDesired: false)
        let lookup = try await resolver.lookup(try DNSName("alias1.example.test"), .a)
        #expect(lookup.chain.count == 2)
        #expect(lookup.addresses == [IPAddress("192.0.2.80")!])
    }

    @Test func nxdomainIsAnAnswerNotAnError() async throws {
        try TestDNSEnvironment.require()
        let resolver = StubResolver(servers: [TestDNSEnvironment.serverA], client: client, recursionDesired: false)
        let lookup = try await resolver.lookup(try DNSName("nothing-here.example.test"), .a)
        #expect(lookup.isNXDomain && lookup.isEmpty)
        let nodata = try await resolver.lookup(try DNSName("web.example.test"), .mx)
        #expect(!nodata.isNXDomain && nodata.isEmpty)
    }

    @Test func refusedOutsideServedZones() async throws {
        try TestDNSEnvironment.require()
        let resolver = StubResolver(servers: [TestDNSEnvironment.serverA], client: client, recursionDesired: false)
        await #expect(throws: DNSError.self) { _ = try await resolver.lookup(try DNSName("example.invalid"), .a) }
    }

    @Test func silentServerTimesOutAndNextServerAnswers() async throws {
        try TestDNSEnvironment.require()
        // A UDP socket on loopback that receives but never answers.
        let fd = socket(AF_INET, Int32(SOCK_DGRAM.rawValue), 0)
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = UInt32(0x7F00_0001).bigEndian
        _ = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        let silent = DNSServer(address: IPAddress("127.0.0.1")!, port: UInt16(bigEndian: address.sin_port))
        let quick = DNSClient(options: .init(timeout: 0.3, attempts: 2))
        let started = Date()
        do {
            _ = try await quick.query(try DNSName("example.test"), .soa, server: silent, recursionDesired: false)
            Issue.record("a silent server answered")
        } catch let error as DNSError {
            #expect(error.code == .timeout)
            #expect(error.server == silent.description)
        }
        // Only a guard against hanging: 2 × 0.3 s is the budget, but a loaded CI machine can
        // be seconds late waking the timer, so no tighter wall-clock bound is asserted.
        #expect(Date().timeIntervalSince(started) < 30)
        let resolver = StubResolver(servers: [silent, TestDNSEnvironment.serverA], client: quick, recursionDesired: false)
        let lookup = try await resolver.lookup(try DNSName("example.test"), .soa)
        #expect(lookup.records.count == 1 && lookup.server == TestDNSEnvironment.serverA.description)
    }

    @Test func closedPortFailsFast() async throws {
        let closed = DNSServer(address: IPAddress("127.0.0.1")!, port: 9)
        do {
            _ = try await client.query(try DNSName("example.test"), .soa, server: closed, recursionDesired: false)
            Issue.record("port 9 answered")
        } catch let error as DNSError {
            #expect(error.code == .connectFailed || error.code == .timeout)
        }
    }
}
