import Testing
@testable import TernDNS

/// MX records are compared as values: a server writing the host in capitals or without the
/// root dot serves the same MX, not "old MX still present" beside "new MX missing".
@Suite struct CutoverMXTests {
    @Test func servedMXCompareByPreferenceAndHost() {
        let wanted = CutoverTarget.MX(host: "smtp.google.com", preference: 1)
        #expect(CutoverTarget.MX(served: "1 SMTP.Google.COM.") == wanted)
        #expect(CutoverTarget.MX(served: "1 smtp.google.com") == wanted)
        #expect(CutoverTarget.MX(served: "5 smtp.google.com.") != wanted)
        #expect(CutoverTarget.MX(served: "garbage") == nil)
        #expect(wanted.text == "1 smtp.google.com.")
    }
}
