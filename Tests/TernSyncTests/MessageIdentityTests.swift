import Testing
import TernCore
@testable import TernSync

@Suite struct MessageIdentityTests {
    static let message = Array("""
        Received: from a\r
        Message-ID: <abc@example.com>\r
        Date: Mon, 2 Mar 2026\r
         10:00:00 +0100\r
        From: "Alice" <alice@example.com>\r
        Subject: =?UTF-8?Q?Gr=C3=BC=C3=9Fe?= and\r
        \tmore\r
        X-Empty:\r
        \r
        Body: not a header\r
        """.utf8)

    @Test func parsesFoldedHeadersUntilTheBody() {
        let headers = HeaderParser.parse(Self.message[...])
        #expect(headers["message-id"] == "<abc@example.com>")
        #expect(headers["date"] == "Mon, 2 Mar 2026 10:00:00 +0100")
        #expect(headers["subject"] == "=?UTF-8?Q?Gr=C3=BC=C3=9Fe?= and more")
        #expect(headers["x-empty"] == "")
        #expect(headers["body"] == nil)
    }

    @Test func bareLineFeedsAndFirstOccurrenceWin() {
        let headers = HeaderParser.parse(Array("Subject: one\nSubject: two\n\nx".utf8)[...])
        #expect(headers["subject"] == "one")
    }

    @Test func fingerprintIgnoresFoldingAndCaseOfMessageID() {
        let a: HeaderFields = ["message-id": "<ABC@example.com>", "date": "Mon, 2 Mar 2026  10:00:00", "from": "a",
                               "subject": "Hi"]
        let b: HeaderFields = ["message-id": "<abc@example.com>", "date": "Mon, 2 Mar 2026 10:00:00", "from": "a",
                               "subject": "Hi", "received": "added by the destination"]
        #expect(MessageIdentity.fingerprint(a) == MessageIdentity.fingerprint(b))
    }

    @Test func sharedMessageIDWithDifferentHeadersStaysDistinct() {
        let a: HeaderFields = ["message-id": "<dup@x>", "date": "d1", "from": "a", "subject": "one"]
        let b: HeaderFields = ["message-id": "<dup@x>", "date": "d1", "from": "a", "subject": "two"]
        #expect(MessageIdentity.fingerprint(a) != MessageIdentity.fingerprint(b))
    }

    @Test func withoutMessageIDOtherHeadersDecide() {
        let a: HeaderFields = ["date": "d1", "from": "a", "to": "b", "subject": "s"]
        let b: HeaderFields = ["date": "d1", "from": "a", "to": "c", "subject": "s"]
        #expect(MessageIdentity.fingerprint(a) != MessageIdentity.fingerprint(b))
        #expect(MessageIdentity.fingerprint(a) == MessageIdentity.fingerprint(a))
        #expect(MessageIdentity.fingerprint(a).count == 32)
    }

    @Test func fingerprintsAreStableAcrossReleases() {
        // Stored in state databases: changing the hash would make every re-run re-identify.
        #expect(MessageIdentity.fingerprint(["message-id": "<a@b>", "date": "x", "from": "y", "subject": "z"])
            == StableHash.hex128(Array("m|<a@b>|x|y|z".utf8)))
        #expect(StableHash.hex128([]) == "cbf29ce484222325" + "84222325cbf29ce4")
    }

    @Test func flagsNormalise() {
        #expect(FlagSet.normalize(["\\seen", "\\Recent", "$Label1", "\\SEEN", "\\Unknown"]) == ["$Label1", "\\Seen"])
        let split = FlagSet.accepted(["\\Seen", "$Label1", "Custom"], keywords: ["$label1"])
        #expect(split.kept == ["\\Seen", "$Label1"])
        #expect(split.dropped == ["Custom"])
        #expect(FlagSet.accepted(["Custom"], keywords: nil).kept == ["Custom"])
    }
}
