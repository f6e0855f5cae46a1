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
        // Stored in state databases and compared with fresh ones: the hash must not change.
        #expect(MessageIdentity.fingerprint(["message-id": "<a@b>", "date": "x", "from": "y", "subject": "z"])
            == StableHash.hex128(Array("m2|ab||y|z".utf8)))
        #expect(MessageIdentity.legacyFingerprint(["message-id": "<a@b>", "date": "x", "from": "y", "subject": "z"])
            == StableHash.hex128(Array("m|<a@b>|x|y|z".utf8)))
        #expect(StableHash.hex128([]) == "cbf29ce484222325" + "84222325cbf29ce4")
    }

    /// What destinations do to header bytes on APPEND, each a copy identity must still find.
    @Test(arguments: [
        "Entwurf: GrXXXXe",  // Cyrus munge8bit: one X per 8-bit byte
        "Entwurf: Gr????e",  // a server that puts ? for them
        "=?UTF-8?Q?Entwurf:_Gr=C3=BC=C3=9Fe?=",  // re-encoded, Q
        "=?utf-8?B?RW50d3VyZjogR3LDvMOfZQ==?=",  // re-encoded, B
        "=?UTF-8?Q?Entwurf:?=\r\n =?UTF-8?Q?_Gr=C3=BC=C3=9Fe?=",  // split and folded
        "entwurf:   grüße",  // case and spacing
    ])
    func rewrittenHeadersKeepTheirIdentity(_ rewritten: String) {
        let original: HeaderFields = ["message-id": "<draft@tern.test>", "date": "Wed, 17 Jan 2024 14:00:00 +0100",
                                      "from": "Owner <owner@example.com>", "subject": "Entwurf: Grüße"]
        var copy = original
        copy["subject"] = rewritten
        #expect(MessageIdentity.fingerprint(copy) == MessageIdentity.fingerprint(original))
    }

    @Test func skeletonsStillTellMessagesApart() {
        let base: HeaderFields = ["message-id": "<m@x>", "date": "d", "from": "a", "subject": "Invoice 17"]
        var other = base
        other["subject"] = "Invoice 18"
        #expect(MessageIdentity.fingerprint(base) != MessageIdentity.fingerprint(other))
        // A broken encoded word is read as plain text, never dropped.
        #expect(MessageIdentity.skeleton("=?utf-8?Q?unterminated") == "utf8qunterminated")
        #expect(MessageIdentity.skeleton("=?utf-8?B?***?=") == "utf8b")
    }

    @Test func differencesNameTheAlteredFields() {
        let source: HeaderFields = ["message-id": "<m@x>", "subject": "Entwurf: Grüße", "from": "a"]
        let copy: HeaderFields = ["message-id": "<m@x>", "subject": "Entwurf: GrXXXXe", "from": "a", "received": "r"]
        let changes = MessageIdentity.differences(source, copy)
        #expect(changes.map(\.field) == ["subject"])
        #expect(changes.first?.destination == "Entwurf: GrXXXXe")
        var refolded = source
        refolded["subject"] = "Entwurf:\r\n  Grüße"
        #expect(MessageIdentity.differences(source, refolded).isEmpty)
    }

    @Test func flagsNormalise() {
        #expect(FlagSet.normalize(["\\seen", "\\Recent", "$Label1", "\\SEEN", "\\Unknown"]) == ["$Label1", "\\Seen"])
        let split = FlagSet.accepted(["\\Seen", "$Label1", "Custom"], keywords: ["$label1"])
        #expect(split.kept == ["\\Seen", "$Label1"])
        #expect(split.dropped == ["Custom"])
        #expect(FlagSet.accepted(["Custom"], keywords: nil).kept == ["Custom"])
    }
}
