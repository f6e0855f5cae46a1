import Foundation
import Testing
@testable import TernDNS

struct PolicyRecordTests {
    /// Tests/Fixtures/conformance/dkim/dkimpy: each key record with dkimpy's verdict.
    @Test func dkimpyKeyRecords() throws {
        let table = String(decoding: try SharedData.data("conformance/dkim/dkimpy/expected.tsv"), as: UTF8.self)
        var checked = 0
        for line in table.split(separator: "\n") where !line.hasPrefix("#") {
            let fields = line.split(separator: "\t").map(String.init)
            guard fields.count >= 2 else { continue }
            let text = String(decoding: try SharedData.data("conformance/dkim/dkimpy/\(fields[0])"), as: UTF8.self)
                .trimmingCharacters(in: .whitespacesAndNewlines)
            let verdict: String
            do {
                let key = try DKIMKey(parsing: text)
                verdict = "\(key.keyType.rawValue):\(key.bits)" + (key.services == ["*"] ? "" : ",s=\(key.services.joined(separator: ":"))")
            } catch {
                verdict = "invalid"
            }
            #expect(verdict == fields[1], "\(fields[0])")
            checked += 1
        }
        #expect(checked == 8)
    }

    @Test func dkimRevokedAndFlags() throws {
        let revoked = try DKIMKey(parsing: "v=DKIM1; k=rsa; p=")
        #expect(revoked.revoked && !revoked.usableForEmail)
        let testing = try DKIMKey(parsing: "v=DKIM1; t=y:s; h=sha256; p=yi50DjK5O9pqbFpNHklsv9lqaS0ArSYu02qp1S0DW1Y=; k=ed25519")
        #expect(testing.testing && testing.strict && testing.hashAlgorithms == ["sha256"])
        #expect(throws: PolicyError.self) { try DKIMKey(parsing: "v=DKIM1; p=!!!notbase64") }
        #expect(throws: PolicyError.self) { try DKIMKey(parsing: "v=DKIM1; h=md5; p=") }
        #expect(throws: PolicyError.self) { try DKIMKey(parsing: "v=DKIM1; p=; p=") }
        #expect(throws: PolicyError.self) { try DKIMKey(parsing: "v=DKIM1; k=rsa") }
    }

    @Test func dmarcRecords() throws {
        let full = try DMARCRecord(parsing: "v=DMARC1; p=reject; sp=quarantine; pct=25; rua=mailto:a@example.com,mailto:b@example.net!10m; ruf=mailto:f@example.com; adkim=s; aspf=r; fo=1:d; ri=3600")
        #expect(full.policy == .reject && full.subdomainPolicy == .quarantine && full.percent == 25)
        #expect(full.aggregateReports.count == 2 && full.failureReports == ["mailto:f@example.com"])
        #expect(full.dkimAlignment == .strict && full.spfAlignment == .relaxed && full.failureOptions == ["1", "d"])
        #expect(full.reportInterval == 3600)
        let defaults = try DMARCRecord(parsing: "v=DMARC1; p=none")
        #expect(defaults.percent == 100 && defaults.dkimAlignment == .relaxed && defaults.failureOptions == ["0"])
        // RFC 7489 §6.6.3: bad p= with a valid rua= acts as p=none.
        let fallback = try DMARCRecord(parsing: "v=DMARC1; p=bogus; rua=mailto:d@example.com")
        #expect(fallback.policy == .none && !fallback.warnings.isEmpty)
        for bad in ["v=DMARC1; p=bogus", "v=DMARC1", "p=none; v=DMARC1", "v=DMARC1; p=none; pct=101", "v=DMARC1; p=none; adkim=x",
                    "v=DMARC1; p=none; fo=2", "v=DMARC1; p=none; rua=dmarc@example.com", "v=DMARC1; p=none; sp=maybe"] {
            #expect(throws: PolicyError.self, "\(bad)") { try DMARCRecord(parsing: bad) }
        }
        #expect(DMARCRecord.isDMARC("v=DMARC1; p=none") && !DMARCRecord.isDMARC("v=spf1 -all"))
        #expect(DMARCRecord.reportDomain("mailto:x@reports.example.net!10m") == "reports.example.net")
    }

    @Test func organizationalDomain() throws {
        func org(_ text: String) throws -> String { OrganizationalDomain.of(try DNSName(text)).text }
        #expect(try org("mail.eu.example.com") == "example.com")
        #expect(try org("shop.example.co.uk") == "example.co.uk")
        #expect(try org("example.com") == "example.com")
    }

    @Test func mtaSTSAndTLSRPT() throws {
        #expect(try MTASTSRecord(parsing: "v=STSv1; id=20240601T000000").id == "20240601T000000")
        #expect(throws: PolicyError.self) { try MTASTSRecord(parsing: "v=STSv1; id=has-dash") }
        #expect(throws: PolicyError.self) { try MTASTSRecord(parsing: "v=STSv1") }
        #expect(try TLSRPTRecord(parsing: "v=TLSRPTv1; rua=mailto:a@example.com,https://r.example.com/x").reportURIs.count == 2)
        #expect(throws: PolicyError.self) { try TLSRPTRecord(parsing: "v=TLSRPTv1; rua=ftp://x") }
    }

    @Test func srvDiscoveryOrdersAndSkipsDot() async throws {
        var zone = InMemoryResolver()
        let domain = try DNSName("example.com")
        zone.add(try domain.prepending("_imaps._tcp"), .srv(SRVRecord(priority: 10, weight: 0, port: 993, target: try DNSName("b.example.com"))))
        zone.add(try domain.prepending("_imaps._tcp"), .srv(SRVRecord(priority: 5, weight: 0, port: 993, target: try DNSName("a.example.com"))))
        zone.add(try domain.prepending("_imap._tcp"), .srv(SRVRecord(priority: 0, weight: 0, port: 0, target: .root)))
        let found = await MailServiceDiscovery(resolver: zone).discover(domain)
        #expect(found.map(\.target) == ["a.example.com", "b.example.com"])
        #expect(found.allSatisfy { $0.implicitTLS })
    }

    @Test func spfAnalyzerCountsAndFindsLoops() async throws {
        var zone = InMemoryResolver()
        zone.add(try DNSName("example.com"), .txt(TXTRecord("v=spf1 mx a include:_spf.example.net redirect=_r.example.com")))
        zone.add(try DNSName("_spf.example.net"), .txt(TXTRecord("v=spf1 include:example.com -all")))
        zone.add(try DNSName("_r.example.com"), .txt(TXTRecord("v=spf1 ip4:192.0.2.0/24 exists:%{i}.x.example.com -all")))
        let tree = await SPFAnalyzer(resolver: zone).analyze("example.com")
        #expect(tree.lookups == 4)
        #expect(tree.totalLookups == 6)
        #expect(tree.errors.contains { $0.contains("loop") })
    }

    @Test func spfSyntaxErrorsArePermerrors() async throws {
        let bad = ["v=spf1 ip4:192.0.2.300 -all", "v=spf1 foo:bar", "v=spf1 redirect=a.example.com redirect=b.example.com",
                   "v=spf1 a:example.com/33", "v=spf1 include:", "v=spf1 ip6:::1/129", "v=spf1 a:%{z}.example.com", "v=spf1 -exp=x.example.com"]
        for text in bad {
            var zone = InMemoryResolver()
            zone.add(try DNSName("example.com"), .txt(TXTRecord(text)))
            let evaluation = await SPFEvaluator(resolver: zone).evaluate(ip: IPAddress("192.0.2.1")!, sender: "a@example.com", helo: "x")
            #expect(evaluation.result == .permerror, "\(text)")
        }
    }
}
