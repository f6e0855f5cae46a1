import Testing
import TernCore
@testable import TernIMAP

/// One encoder table row: command, options, expected parts written as text with `⏸` marking a
/// continuation wait, and the expected trace.
struct EncodeFixture: Sendable, CustomTestStringConvertible {
    let name: String
    let command: Command
    let options: EncoderOptions
    let expected: String
    let trace: String?

    init(_ name: String, _ command: Command, _ expected: String, trace: String? = nil) {
        self.init(name, command, .default, expected, trace: trace)
    }

    init(_ name: String, _ command: Command, _ options: EncoderOptions, _ expected: String, trace: String? = nil) {
        self.name = name
        self.command = command
        self.options = options
        self.expected = expected
        self.trace = trace
    }

    var testDescription: String { name }
}

@Suite("Command encoder")
struct EncoderTests {
    static let plus = EncoderOptions(literalPlus: true)
    static let minus = EncoderOptions(literalMinus: true)
    static let utf8 = EncoderOptions(literalPlus: true, utf8Accept: true)

    static func name(_ text: String) -> MailboxName { MailboxName(decoded: text) }

    static let fixtures: [EncodeFixture] = [
        EncodeFixture("CAPABILITY", .capability, "A1 CAPABILITY\r\n"),
        EncodeFixture("LOGIN quoted", .login(user: "fred foo", password: Secret("p\"w")),
                      "A1 LOGIN \"fred foo\" \"p\\\"w\"\r\n", trace: "A1 LOGIN \"fred foo\" <redacted>"),
        EncodeFixture("LOGIN 8-bit password sync literal", .login(user: "u", password: Secret("pässword")),
                      "A1 LOGIN u {9}\r\n⏸pässword\r\n", trace: "A1 LOGIN u {9}<redacted>"),
        EncodeFixture("LOGIN 8-bit password LITERAL+", .login(user: "u", password: Secret("pässword")), plus,
                      "A1 LOGIN u {9+}\r\npässword\r\n"),
        EncodeFixture("AUTHENTICATE PLAIN SASL-IR",
                      .authenticate(mechanism: "PLAIN", initialResponse: Secret("\u{0}user\u{0}pass")),
                      "A1 AUTHENTICATE PLAIN AHVzZXIAcGFzcw==\r\n", trace: "A1 AUTHENTICATE PLAIN <redacted>"),
        EncodeFixture("AUTHENTICATE empty initial response", .authenticate(mechanism: "EXTERNAL", initialResponse: Secret("")),
                      "A1 AUTHENTICATE EXTERNAL =\r\n"),
        EncodeFixture("AUTHENTICATE no IR", .authenticate(mechanism: "XOAUTH2", initialResponse: nil),
                      "A1 AUTHENTICATE XOAUTH2\r\n"),
        EncodeFixture("ID", .id([IDField("name", "Tern"), IDField("version", nil)]),
                      "A1 ID (\"name\" \"Tern\" \"version\" NIL)\r\n"),
        EncodeFixture("ID NIL", .id([]), "A1 ID NIL\r\n"),
        EncodeFixture("ENABLE", .enable(["CONDSTORE", "UTF8=ACCEPT"]), "A1 ENABLE CONDSTORE UTF8=ACCEPT\r\n"),
        EncodeFixture("LIST plain", .list(reference: name(""), pattern: name("*")), "A1 LIST \"\" *\r\n"),
        EncodeFixture("LIST extended",
                      .list(reference: name(""), pattern: name("%"), selectOptions: [.subscribed, .recursiveMatch],
                            returnOptions: [.specialUse, .children, .status([.messages, .uidNext, .highestModSeq])]),
                      "A1 LIST (SUBSCRIBED RECURSIVEMATCH) \"\" % RETURN (SPECIAL-USE CHILDREN "
                        + "STATUS (MESSAGES UIDNEXT HIGHESTMODSEQ))\r\n"),
        EncodeFixture("LSUB", .lsub(reference: name("#news."), pattern: name("comp.mail.*")),
                      "A1 LSUB #news. comp.mail.*\r\n"),
        EncodeFixture("STATUS modified UTF-7", .status(name("Entwürfe"), [.messages, .uidValidity]),
                      "A1 STATUS Entw&APw-rfe (MESSAGES UIDVALIDITY)\r\n"),
        EncodeFixture("STATUS UTF8=ACCEPT", .status(name("Entwürfe"), [.size]), utf8,
                      "A1 STATUS \"Entwürfe\" (SIZE)\r\n"),
        EncodeFixture("received UTF-8 name without UTF8=ACCEPT", .select(MailboxName(bytes: wire("Réunions"))),
                      "A1 SELECT R&AOk-unions\r\n"),
        EncodeFixture("SELECT quoted", .select(name("Sent Items")), "A1 SELECT \"Sent Items\"\r\n"),
        EncodeFixture("SELECT CONDSTORE", .select(.inbox, condStore: true), "A1 SELECT INBOX (CONDSTORE)\r\n"),
        EncodeFixture("SELECT QRESYNC",
                      .select(.inbox, qResync: QResyncParameters(uidValidity: 67890007, modSeq: 20050715194045000,
                                                                 knownUIDs: UIDSet(ranges: [41...41, 43...211]))),
                      "A1 SELECT INBOX (QRESYNC (67890007 20050715194045000 41,43:211))\r\n"),
        EncodeFixture("EXAMINE", .examine(name("[Gmail]/All Mail")), "A1 EXAMINE \"[Gmail]/All Mail\"\r\n"),
        EncodeFixture("CREATE special use", .create(name("Sent"), specialUse: [.sent]),
                      "A1 CREATE Sent (USE (\\Sent))\r\n"),
        EncodeFixture("RENAME", .rename(from: name("a"), to: name("b c")), "A1 RENAME a \"b c\"\r\n"),
        EncodeFixture("NIL as mailbox is quoted", .subscribe(name("NIL")), "A1 SUBSCRIBE \"NIL\"\r\n"),
        EncodeFixture("name with CR is a literal", .delete(MailboxName(bytes: wire("a\rb"))),
                      "A1 DELETE {3}\r\n⏸a\rb\r\n"),
        EncodeFixture("UID FETCH", .uidFetch(UIDSet(ranges: [1...UIDSet.star]), [.uid, .flags, .internalDate,
                                                                                   .rfc822Size, .modSeq]),
                      "A1 UID FETCH 1:* (UID FLAGS INTERNALDATE RFC822.SIZE MODSEQ)\r\n"),
        EncodeFixture("UID FETCH body partial and headers",
                      .uidFetch([7], [.bodyPeek(.complete, partial: 0...1023), .headerFields(["Message-ID", "Date"]),
                                      .gmailLabels, .gmailMessageID, .envelope]),
                      "A1 UID FETCH 7 (BODY.PEEK[]<0.1024> BODY.PEEK[HEADER.FIELDS (Message-ID Date)] X-GM-LABELS "
                        + "X-GM-MSGID ENVELOPE)\r\n"),
        EncodeFixture("UID FETCH CHANGEDSINCE VANISHED",
                      .uidFetch(UIDSet(ranges: [300...500]), [.flags], changedSince: 12345, vanished: true),
                      "A1 UID FETCH 300:500 (FLAGS) (CHANGEDSINCE 12345 VANISHED)\r\n"),
        EncodeFixture("FETCH", .fetch(SequenceSet(ranges: [1...10]), [.uid]), "A1 FETCH 1:10 (UID)\r\n"),
        EncodeFixture("UID SEARCH ESEARCH", .uidSearch(criteria: "MODSEQ 620162338", returnOptions: ["ALL", "COUNT"]),
                      "A1 UID SEARCH RETURN (ALL COUNT) MODSEQ 620162338\r\n"),
        EncodeFixture("UID SORT ESORT largest", .uidSort([.largestFirst], criteria: "ALL", returnOptions: ["MIN"]),
                      "A1 UID SORT RETURN (MIN) (REVERSE SIZE) UTF-8 ALL\r\n"),
        EncodeFixture("UID SORT RFC 5256",
                      .uidSort([SortCriterion(.subject), .largestFirst, SortCriterion(.arrival)],
                               charset: "US-ASCII", criteria: "SINCE 1-Feb-1994 NOT FROM \"Smith\""),
                      "A1 UID SORT (SUBJECT REVERSE SIZE ARRIVAL) US-ASCII SINCE 1-Feb-1994 NOT FROM \"Smith\"\r\n"),
        EncodeFixture("UID STORE", .uidStore([5], .add, [.seen, .keyword("$Forwarded")]),
                      "A1 UID STORE 5 +FLAGS.SILENT (\\Seen $Forwarded)\r\n"),
        EncodeFixture("UID STORE UNCHANGEDSINCE", .uidStore([5, 6, 7], .replace, [], silent: false, unchangedSince: 99),
                      "A1 UID STORE 5:7 (UNCHANGEDSINCE 99) FLAGS ()\r\n"),
        EncodeFixture("UID EXPUNGE", .uidExpunge(UIDSet(ranges: [3000...3002, 3010...3010])),
                      "A1 UID EXPUNGE 3000:3002,3010\r\n"),
        EncodeFixture("GETQUOTAROOT", .getQuotaRoot(.inbox), "A1 GETQUOTAROOT INBOX\r\n"),
        EncodeFixture("GETQUOTA", .getQuota(""), "A1 GETQUOTA \"\"\r\n"),
        EncodeFixture("COMPRESS", .compress("DEFLATE"), "A1 COMPRESS DEFLATE\r\n"),
        EncodeFixture("raw", .raw("XLIST \"\" *"), "A1 XLIST \"\" *\r\n"),
        EncodeFixture("APPEND sync", .append(name("Sent"), [AppendMessage(
                          flags: [.seen, .recent], internalDate: InternalDate(
                              year: 2024, month: 3, day: 5, hour: 8, minute: 0, second: 9, zoneMinutes: -330),
                          bytes: wire("Hi\r\n"))]),
                      "A1 APPEND Sent (\\Seen) \" 5-Mar-2024 08:00:09 -0530\" {4}\r\n⏸Hi\r\n\r\n",
                      trace: "A1 APPEND Sent (\\Seen) \" 5-Mar-2024 08:00:09 -0530\" {4 bytes}"),
        EncodeFixture("MULTIAPPEND LITERAL+", .append(.inbox, [
                          AppendMessage(bytes: wire("one")), AppendMessage(flags: [.draft], bytes: wire("two!")),
                      ]), plus,
                      "A1 APPEND INBOX {3+}\r\none (\\Draft) {4+}\r\ntwo!\r\n"),
        EncodeFixture("MULTIAPPEND sync", .append(.inbox, [AppendMessage(bytes: wire("one")), AppendMessage(bytes: wire("2"))]),
                      "A1 APPEND INBOX {3}\r\n⏸one {1}\r\n⏸2\r\n"),
        EncodeFixture("LITERAL- small is non-sync", .append(.inbox, [AppendMessage(bytes: Array(repeating: 65, count: 4096))]),
                      minus, "A1 APPEND INBOX {4096+}\r\n" + String(repeating: "A", count: 4096) + "\r\n"),
        EncodeFixture("LITERAL- large is sync", .append(.inbox, [AppendMessage(bytes: Array(repeating: 65, count: 4097))]),
                      minus, "A1 APPEND INBOX {4097}\r\n⏸" + String(repeating: "A", count: 4097) + "\r\n"),
    ]

    /// Renders parts as text with `⏸` for each continuation wait.
    static func render(_ encoded: EncodedCommand) -> String {
        encoded.parts.map { part in
            switch part {
            case .bytes(let bytes): String(decoding: bytes, as: UTF8.self)
            case .awaitContinuation: "⏸"
            }
        }.joined()
    }

    @Test("encodes", arguments: fixtures)
    func encodes(_ fixture: EncodeFixture) throws {
        let encoded = try CommandEncoder.encode(tag: "A1", command: fixture.command, options: fixture.options)
        #expect(Self.render(encoded) == fixture.expected)
        if let trace = fixture.trace { #expect(encoded.redactedDescription == trace) }
        #expect(encoded.parts.last.map { if case .bytes(let bytes) = $0 { bytes.suffix(2) == [13, 10] } else { false } }
                == true)
    }

    @Test("a message body is its own part sharing the caller's storage")
    func appendSharesStorage() throws {
        let body = [UInt8](repeating: 0x41, count: 1 << 20)
        let encoded = try CommandEncoder.encode(tag: "A1", command: .append(.inbox, [AppendMessage(bytes: body)]),
                                                options: Self.plus)
        let bodyPart = try #require(encoded.parts.compactMap { part -> ArraySlice<UInt8>? in
            if case .bytes(let bytes) = part, bytes.count == body.count { return bytes }
            return nil
        }.first)
        bodyPart.withUnsafeBufferPointer { part in
            body.withUnsafeBufferPointer { original in #expect(part.baseAddress == original.baseAddress) }
        }
        #expect(encoded.redactedDescription == "A1 APPEND INBOX {1048576 bytes}")
    }

    @Test("secrets never appear in the trace", arguments: [
        Command.login(user: "alice", password: Secret("hunter2-Sëcret")),
        .login(user: "alice", password: Secret("hunter2")),
        .login(user: "alice", password: Secret("two words hunter2")),
        .authenticate(mechanism: "PLAIN", initialResponse: Secret("\u{0}alice\u{0}hunter2")),
        .authenticate(mechanism: "XOAUTH2", initialResponse: Secret("user=alice\u{1}auth=Bearer hunter2\u{1}\u{1}")),
        .append(.inbox, [AppendMessage(bytes: wire("Subject: hunter2\r\n\r\nhunter2"))]),
    ])
    func redaction(_ command: Command) throws {
        for options in [EncoderOptions.default, Self.plus, Self.utf8] {
            let encoded = try CommandEncoder.encode(tag: "A1", command: command, options: options)
            #expect(!encoded.redactedDescription.contains("hunter2"))
            #expect(!encoded.redactedDescription.contains("aHVudGVy"))  // base64 of "hunter"
            #expect(!encoded.redactedDescription.contains(Base64.encode(wire("\u{0}alice\u{0}hunter2"))))
            #expect(!"\(encoded)".contains("hunter2"))
        }
        #expect(!"\(command)".contains("hunter2"))
        #expect(CommandEncoder.encodeSASLResponse(Secret("hunter2")).redactedDescription == "<redacted>")
    }

    @Test("unencodable values throw", arguments: [
        Command.login(user: "a\u{0}b", password: Secret("x")),
        .raw("NOOP\r\nA2 LOGOUT"),
        .uidFetch(UIDSet(), [.uid]),
        .uidStore([1], .add, [.keyword("bad flag")]),
        .append(.inbox, []),
        .uidFetch([1], []),
        .enable(["A B"]),
        .uidSort([], criteria: "ALL"),
        .uidSort([.largestFirst], charset: "UTF 8", criteria: "ALL"),
        .uidSort([.largestFirst], criteria: ""),
        .uidSort([.largestFirst], criteria: "ALL\r\nA2 LOGOUT"),
        .uidSort([.largestFirst], criteria: "ALL", returnOptions: ["MIN)"]),
    ])
    func unencodable(_ command: Command) {
        #expect(throws: IMAPProtocolError.self) { try CommandEncoder.encode(tag: "A1", command: command) }
    }

    @Test("bad tags throw")
    func badTag() {
        for tag in ["", "a b", "+", "a\r\n"] {
            #expect(throws: IMAPProtocolError.self) { try CommandEncoder.encode(tag: tag, command: .noop) }
        }
    }

    @Test("SASL continuation responses and IDLE DONE")
    func continuationLines() {
        #expect(CommandEncoder.encodeSASLResponse(Secret("abc")).wireBytes == wire("YWJj\r\n"))
        #expect(CommandEncoder.encodeSASLResponse(nil).wireBytes == wire("*\r\n"))
        #expect(CommandEncoder.encodeIdleDone().wireBytes == wire("DONE\r\n"))
        #expect(ContinuationRequest(text: "YWJj").base64Decoded == wire("abc"))
        #expect(ContinuationRequest(text: "").base64Decoded == [])
        #expect(ContinuationRequest(text: "Ready for literal").base64Decoded == nil)
    }
}
