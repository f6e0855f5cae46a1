@testable import TernIMAP

/// FETCH, SEARCH, ESEARCH, VANISHED.
enum MessageFixtures {
    static let all: [ParseFixture] = fetches + searches

    static func fetch(_ number: Int, _ attributes: FetchAttributes) -> Response {
        .untagged(.fetch(number, attributes))
    }

    static func body(_ text: String) -> ArraySlice<UInt8>? { ArraySlice(Array(text.utf8)) }

    static let message = "Subject: hi\r\n\r\nBody {5}\r\nline\r\n"

    static let fetches: [ParseFixture] = [
        ParseFixture("FETCH flags", "* 12 FETCH (FLAGS (\\Seen))\r\n", fetch(12, FetchAttributes(flags: [.seen]))),
        ParseFixture("FETCH empty flags", "* 1 FETCH (UID 4 FLAGS ())\r\n", fetch(1, FetchAttributes(uid: 4, flags: []))),
        ParseFixture(
            "FETCH UID size date", "* 2 FETCH (UID 3001 RFC822.SIZE 44827 INTERNALDATE \"17-Jul-1996 02:44:25 -0700\")\r\n",
            fetch(2, FetchAttributes(
                uid: 3001,
                internalDate: InternalDate(year: 1996, month: 7, day: 17, hour: 2, minute: 44, second: 25,
                                           zoneMinutes: -420),
                rfc822Size: 44827))),
        ParseFixture(
            "FETCH space-padded day", "* 3 FETCH (INTERNALDATE \" 7-Feb-2024 09:05:00 +0530\")\r\n",
            fetch(3, FetchAttributes(internalDate: InternalDate(
                year: 2024, month: 2, day: 7, hour: 9, minute: 5, second: 0, zoneMinutes: 330)))),
        ParseFixture(
            "FETCH bad date kept going", "* 3 FETCH (INTERNALDATE \"yesterday\" UID 9)\r\n",
            fetch(3, FetchAttributes(uid: 9, skippedItems: ["INTERNALDATE"]))),
        ParseFixture(
            "FETCH BODY[] literal containing braces and CRLF",
            "* 4 FETCH (UID 10 BODY[] {\(message.utf8.count)}\r\n\(message) FLAGS (\\Seen))\r\n",
            fetch(4, FetchAttributes(uid: 10, flags: [.seen], bodySections: [.complete: body(message)]))),
        ParseFixture(
            "FETCH BODY[]<0> partial", "* 5 FETCH (BODY[]<0> {3}\r\nabc)\r\n",
            fetch(5, FetchAttributes(bodySections: [BodySection(origin: 0): body("abc")]))),
        ParseFixture(
            "FETCH HEADER.FIELDS", "* 6 FETCH (UID 7 BODY[HEADER.FIELDS (MESSAGE-ID DATE)] {21}\r\n"
                + "Message-ID: <a@b>\r\n\r\n)\r\n",
            fetch(6, FetchAttributes(uid: 7, bodySections: [
                .headerFields(["message-id", "date"]): body("Message-ID: <a@b>\r\n\r\n"),
            ]))),
        ParseFixture(
            "FETCH BODY[HEADER] NIL and part", "* 7 FETCH (BODY[HEADER] NIL BODY[1.2.MIME] \"x\" BODY[2] \"\")\r\n",
            fetch(7, FetchAttributes(bodySections: [
                .header: ArraySlice<UInt8>?.none, BodySection(part: [1, 2], kind: .mime): body("x"), BodySection(part: [2]): body(""),
            ]))),
        ParseFixture(
            "FETCH RFC822 forms", "* 8 FETCH (RFC822 {2}\r\nab RFC822.HEADER \"h\" RFC822.TEXT NIL)\r\n",
            fetch(8, FetchAttributes(bodySections: [.complete: body("ab"), .header: body("h"), .text: ArraySlice<UInt8>?.none]))),
        ParseFixture(
            "FETCH MODSEQ", "* 9 FETCH (UID 2 MODSEQ (624140003))\r\n",
            fetch(9, FetchAttributes(uid: 2, modSeq: 624_140_003))),
        ParseFixture(
            "FETCH Gmail", "* 1 FETCH (X-GM-THRID 1278455344230334865 X-GM-MSGID 1278455344230334865 "
                + "X-GM-LABELS (\\Inbox \\Sent Important \"Muy Importante\" \"&AOk-t&AOk-\") UID 4 FLAGS (\\Seen))\r\n",
            fetch(1, FetchAttributes(
                uid: 4, flags: [.seen],
                gmailLabels: ["\\Inbox", "\\Sent", "Important", "Muy Importante", "été"],
                gmailMessageID: 1_278_455_344_230_334_865, gmailThreadID: 1_278_455_344_230_334_865))),
        ParseFixture(
            "FETCH OBJECTID", "* 1 FETCH (EMAILID (M6d99ac3275bb4e) THREADID NIL)\r\n",
            fetch(1, FetchAttributes(emailID: "M6d99ac3275bb4e", skippedItems: []))),
        ParseFixture(
            "FETCH ENVELOPE and BODYSTRUCTURE skipped",
            "* 12 FETCH (ENVELOPE (\"Wed, 17 Jul 1996 02:23:25 -0700 (PDT)\" \"IMAP4rev1 WG mtg summary\" "
                + "((\"Terry Gray\" NIL \"gray\" \"cac.washington.edu\")) NIL NIL "
                + "((NIL NIL \"imap\" \"cac.washington.edu\")) NIL NIL NIL \"<B27397-0100000@cac.washington.edu>\") "
                + "BODYSTRUCTURE ((\"TEXT\" \"PLAIN\" (\"CHARSET\" \"US-ASCII\") NIL NIL \"7BIT\" 3028 92)"
                + "(\"APPLICATION\" \"PDF\" (\"NAME\" {7}\r\nx y.pdf) NIL NIL \"BASE64\" 1000) \"MIXED\") UID 5)\r\n",
            fetch(12, FetchAttributes(uid: 5, skippedItems: ["ENVELOPE", "BODYSTRUCTURE"]))),
        ParseFixture(
            "FETCH BINARY literal8 and unknown item skipped",
            "* 2 FETCH (BINARY[1] ~{3}\r\n\u{0}\u{1}\u{2} X-VENDOR (a (b c)) BINARY.SIZE[1] 3 UID 8)\r\n",
            fetch(2, FetchAttributes(uid: 8, skippedItems: ["BINARY", "X-VENDOR", "BINARY.SIZE"]))),
        ParseFixture(
            "FETCH Exchange doubled spaces", "* 3 FETCH ( UID 5  FLAGS (\\Seen  \\Answered) )\r\n",
            fetch(3, FetchAttributes(uid: 5, flags: [.seen, .answered]))),
        ParseFixture(
            "FETCH lowercase items", "* 3 fetch (uid 5 rfc822.size 10 body[header.fields (from)] {2}\r\nab)\r\n",
            fetch(3, FetchAttributes(uid: 5, rfc822Size: 10, bodySections: [.headerFields(["FROM"]): body("ab")]))),
        ParseFixture(
            "FETCH 8-bit quoted body", "* 1 FETCH (BODY[HEADER] \"Subject: Grüße\")\r\n",
            fetch(1, FetchAttributes(bodySections: [.header: body("Subject: Grüße")]))),
        ParseFixture(
            "FETCH non-sync literal from server", "* 1 FETCH (BODY[] {3+}\r\nxyz)\r\n",
            fetch(1, FetchAttributes(bodySections: [.complete: body("xyz")]))),
    ]

    static let searches: [ParseFixture] = [
        ParseFixture("SEARCH", "* SEARCH 2 3 6\r\n", .untagged(.search([2, 3, 6], modSeq: nil))),
        ParseFixture("SEARCH empty", "* SEARCH\r\n", .untagged(.search([], modSeq: nil))),
        ParseFixture("SEARCH trailing space", "* SEARCH 1 \r\n", .untagged(.search([1], modSeq: nil))),
        ParseFixture("SEARCH MODSEQ", "* SEARCH 2 5 6 7 11 12 18 19 20 23 (MODSEQ 917162500)\r\n",
                     .untagged(.search([2, 5, 6, 7, 11, 12, 18, 19, 20, 23], modSeq: 917_162_500))),
        ParseFixture("ESEARCH RFC 4731", "* ESEARCH (TAG \"A282\") MIN 2 COUNT 3\r\n",
                     .untagged(.esearch(ESearchResponse(tag: "A282", min: 2, count: 3)))),
        ParseFixture("ESEARCH UID ALL", "* ESEARCH (TAG \"A284\") UID ALL 4:18,21,28 MAX 28\r\n",
                     .untagged(.esearch(ESearchResponse(tag: "A284", uid: true, max: 28,
                                                        all: [4...18, 21...21, 28...28])))),
        ParseFixture("ESEARCH empty result", "* ESEARCH (TAG \"A285\") UID\r\n",
                     .untagged(.esearch(ESearchResponse(tag: "A285", uid: true)))),
        ParseFixture("ESEARCH MODSEQ and unknown", "* ESEARCH UID COUNT 1 MODSEQ 12 RELEVANCY (4)\r\n",
                     .untagged(.esearch(ESearchResponse(uid: true, count: 1, modSeq: 12, other: [
                        ListExtendedItem(tag: "RELEVANCY", value: .list([.atom("4")])),
                     ])))),
        // SORT (RFC 5256) has SEARCH's shape; the numbers stay in the server's sort order.
        ParseFixture("SORT", "* SORT 2 3 6 1\r\n", .untagged(.search([2, 3, 6, 1], modSeq: nil))),
        ParseFixture("SORT empty", "* SORT\r\n", .untagged(.search([], modSeq: nil))),
        ParseFixture("SORT MODSEQ", "* SORT 5 3 (MODSEQ 1236)\r\n", .untagged(.search([5, 3], modSeq: 1236))),
        // ESORT (RFC 5267) answers with ESEARCH; MIN is the first message in sort order.
        ParseFixture("ESORT MIN", "* ESEARCH (TAG \"t7\") UID MIN 4\r\n",
                     .untagged(.esearch(ESearchResponse(tag: "t7", uid: true, min: 4)))),
        ParseFixture("ESORT empty mailbox", "* ESEARCH (TAG \"t9\") UID\r\n",
                     .untagged(.esearch(ESearchResponse(tag: "t9", uid: true)))),
        ParseFixture("ESORT MIN MAX COUNT", "* ESEARCH (TAG \"E01\") UID MIN 17 MAX 3 COUNT 5\r\n",
                     .untagged(.esearch(ESearchResponse(tag: "E01", uid: true, min: 17, max: 3, count: 5)))),
        ParseFixture("VANISHED", "* VANISHED 405,407,410,425\r\n",
                     .untagged(.vanished(earlier: false, UIDSet(ranges: [405...405, 407...407, 410...410, 425...425])))),
        ParseFixture("VANISHED EARLIER", "* VANISHED (EARLIER) 300:310,405,411\r\n",
                     .untagged(.vanished(earlier: true, UIDSet(ranges: [300...310, 405...405, 411...411])))),
    ]
}
