@testable import TernIMAP

/// Greetings, tagged completions, response codes, CAPABILITY, continuation requests.
enum StatusFixtures {
    static let all: [ParseFixture] = greetings + tagged + codes + continuations

    static let greetings: [ParseFixture] = [
        ParseFixture(
            "RFC 9051 greeting", "* OK IMAP4rev2 server ready\r\n",
            .untagged(.condition(.ok, nil, "IMAP4rev2 server ready"))),
        ParseFixture(
            "Dovecot greeting with CAPABILITY code",
            "* OK [CAPABILITY IMAP4rev1 SASL-IR LOGIN-REFERRALS ID ENABLE IDLE LITERAL+ STARTTLS AUTH=PLAIN] "
                + "Dovecot ready.\r\n",
            .untagged(.condition(.ok, .capability([
                Capability("IMAP4rev1"), Capability("SASL-IR"), Capability("LOGIN-REFERRALS"), .id, .enable,
                .idle, .literalPlus, .startTLS, .sasl("PLAIN"),
            ]), "Dovecot ready."))),
        ParseFixture(
            "PREAUTH", "* PREAUTH IMAP4rev1 server logged in as Smith\r\n",
            .untagged(.condition(.preauth, nil, "IMAP4rev1 server logged in as Smith"))),
        ParseFixture(
            "BYE with UNAVAILABLE", "* BYE [UNAVAILABLE] Server shutting down\r\n",
            .untagged(.condition(.bye, .unavailable, "Server shutting down"))),
        ParseFixture(
            "Exchange greeting", "* OK The Microsoft Exchange IMAP4 service is ready. [TQBOADIAUABSADAA]\r\n",
            .untagged(.condition(.ok, nil, "The Microsoft Exchange IMAP4 service is ready. [TQBOADIAUABSADAA]"))),
        ParseFixture(
            "Gmail greeting", "* OK Gimap ready for requests from 192.0.2.7 a1b2c3d4e5mb12345abc\r\n",
            .untagged(.condition(.ok, nil, "Gimap ready for requests from 192.0.2.7 a1b2c3d4e5mb12345abc"))),
        ParseFixture("bare OK without text", "* OK\r\n", .untagged(.condition(.ok, nil, ""))),
        ParseFixture("lowercase ok", "* ok hello\r\n", .untagged(.condition(.ok, nil, "hello"))),
        ParseFixture(
            "untagged CAPABILITY", "* CAPABILITY IMAP4rev1 UIDPLUS MOVE CONDSTORE QRESYNC APPENDLIMIT=35651584\r\n",
            .untagged(.capability([.imap4rev1, .uidPlus, .move, .condStore, .qResync, .appendLimit(35_651_584)]))),
        ParseFixture(
            "CAPABILITY with trailing space", "* CAPABILITY IMAP4rev1 IDLE \r\n",
            .untagged(.capability([.imap4rev1, .idle]))),
        ParseFixture(
            "ENABLED", "* ENABLED CONDSTORE QRESYNC\r\n", .untagged(.enabled(["CONDSTORE", "QRESYNC"]))),
        ParseFixture("ENABLED nothing", "* ENABLED\r\n", .untagged(.enabled([]))),
    ]

    static let tagged: [ParseFixture] = [
        ParseFixture(
            "tagged OK", "a001 OK LOGIN completed\r\n",
            .tagged(TaggedResponse(tag: "a001", state: ResponseState(status: .ok, text: "LOGIN completed")))),
        ParseFixture(
            "tagged NO AUTHENTICATIONFAILED", "t2 NO [AUTHENTICATIONFAILED] Authentication failed.\r\n",
            .tagged(TaggedResponse(tag: "t2", state: ResponseState(
                status: .no, code: .authenticationFailed, text: "Authentication failed.")))),
        ParseFixture(
            "tagged BAD without text", "t3 BAD\r\n",
            .tagged(TaggedResponse(tag: "t3", state: ResponseState(status: .bad)))),
        ParseFixture(
            "tagged with doubled space", "t4  OK  done\r\n",
            .tagged(TaggedResponse(tag: "t4", state: ResponseState(status: .ok, text: "done")))),
        ParseFixture(
            "APPENDUID", "A003 OK [APPENDUID 38505 3955] APPEND completed\r\n",
            .tagged(TaggedResponse(tag: "A003", state: ResponseState(
                status: .ok, code: .appendUID(uidValidity: 38505, uids: [3955]), text: "APPEND completed")))),
        ParseFixture(
            "MULTIAPPEND APPENDUID range", "A004 OK [APPENDUID 38505 3955:3957] done\r\n",
            .tagged(TaggedResponse(tag: "A004", state: ResponseState(
                status: .ok, code: .appendUID(uidValidity: 38505, uids: UIDSet(ranges: [3955...3957])),
                text: "done")))),
        ParseFixture(
            "COPYUID keeps order", "A004 OK [COPYUID 38505 304,319:320 3956:3958] Done\r\n",
            .tagged(TaggedResponse(tag: "A004", state: ResponseState(
                status: .ok,
                code: .copyUID(
                    uidValidity: 38505, source: UIDSet(ranges: [304...304, 319...320]),
                    destination: UIDSet(ranges: [3956...3958])),
                text: "Done")))),
        ParseFixture(
            "Exchange THROTTLED", "t9 NO [THROTTLED] Request is throttled. Suggested Backoff Time: 1000 milliseconds\r\n",
            .tagged(TaggedResponse(tag: "t9", state: ResponseState(
                status: .no, code: .throttled, text: "Request is throttled. Suggested Backoff Time: 1000 milliseconds")))),
        ParseFixture(
            "Gmail OVERQUOTA", "t10 NO [OVERQUOTA] Account exceeded storage quota\r\n",
            .tagged(TaggedResponse(tag: "t10", state: ResponseState(
                status: .no, code: .overQuota, text: "Account exceeded storage quota")))),
        ParseFixture(
            "Gmail [LIMIT] text", "t11 NO [LIMIT] Too many simultaneous connections. (Failure)\r\n",
            .tagged(TaggedResponse(tag: "t11", state: ResponseState(
                status: .no, code: .limit, text: "Too many simultaneous connections. (Failure)")))),
    ]

    static func code(_ text: String, _ code: ResponseCode) -> ParseFixture {
        ParseFixture("code \(text)", "* OK [\(text)] x\r\n", .untagged(.condition(.ok, code, "x")))
    }

    static let codes: [ParseFixture] = [
        code("ALERT", .alert), code("PARSE", .parse), code("READ-ONLY", .readOnly), code("read-write", .readWrite),
        code("TRYCREATE", .tryCreate), code("UIDNEXT 4392", .uidNext(4392)),
        code("UIDVALIDITY 3857529045", .uidValidity(3_857_529_045)), code("UNSEEN 12", .unseen(12)),
        code("PERMANENTFLAGS (\\Deleted \\Seen \\*)", .permanentFlags([.deleted, .seen, .wildcard])),
        code("PERMANENTFLAGS ()", .permanentFlags([])),
        code("HIGHESTMODSEQ 715194045007", .highestModSeq(715_194_045_007)), code("NOMODSEQ", .noModSeq),
        code("OVERQUOTA", .overQuota), code("LIMIT", .limit), code("UNAVAILABLE", .unavailable),
        code("AUTHENTICATIONFAILED", .authenticationFailed), code("AUTHORIZATIONFAILED", .authorizationFailed),
        code("EXPIRED", .expired), code("PRIVACYREQUIRED", .privacyRequired), code("CONTACTADMIN", .contactAdmin),
        code("NOPERM", .noPerm), code("INUSE", .inUse), code("EXPUNGEISSUED", .expungeIssued),
        code("CORRUPTION", .corruption), code("SERVERBUG", .serverBug), code("CLIENTBUG", .clientBug),
        code("CANNOT", .cannot), code("ALREADYEXISTS", .alreadyExists), code("NONEXISTENT", .nonExistent),
        code("CLOSED", .closed), code("TOOBIG", .tooBig), code("THROTTLED", .throttled),
        code("BADCHARSET", .badCharset([])), code("BADCHARSET (UTF-8 US-ASCII)", .badCharset(["UTF-8", "US-ASCII"])),
        code("MODIFIED 7,9", .modified(UIDSet(ranges: [7...7, 9...9]))),
        code("UIDNOTSTICKY", .other("UIDNOTSTICKY", nil)),
        code("REFERRAL imap://user;AUTH=*@SERVER2/", .other("REFERRAL", "imap://user;AUTH=*@SERVER2/")),
        code("UIDNEXT abc", .other("UIDNEXT", "abc")),
        code("CAPABILITY IMAP4rev1 AUTH=PLAIN", .capability([.imap4rev1, .sasl("PLAIN")])),
        ParseFixture(
            "code without following text", "* OK [READ-WRITE]\r\n", .untagged(.condition(.ok, .readWrite, ""))),
        ParseFixture(
            "unclosed bracket is text", "* OK [ALERT mailbox full\r\n",
            .untagged(.condition(.ok, nil, "[ALERT mailbox full"))),
        ParseFixture(
            "bracket that is no code is text", "+ [(x)] go\r\n", .continuation(ContinuationRequest(text: "[(x)] go"))),
        ParseFixture(
            "code without space before text", "* NO [ALERT]Mailbox full\r\n",
            .untagged(.condition(.no, .alert, "Mailbox full"))),
    ]

    static let continuations: [ParseFixture] = [
        ParseFixture("continuation text", "+ Ready for literal data\r\n",
                     .continuation(ContinuationRequest(text: "Ready for literal data"))),
        ParseFixture("empty continuation", "+ \r\n", .continuation(ContinuationRequest())),
        ParseFixture("bare plus", "+\r\n", .continuation(ContinuationRequest())),
        ParseFixture("SASL challenge", "+ YGgGCSqGSIb3EgECAgIBAAD/////6jcyG4GE3KkTzBeBiVHeceP2CWY0SR0fAQAgAAQEBAQ=\r\n",
                     .continuation(ContinuationRequest(
                        text: "YGgGCSqGSIb3EgECAgIBAAD/////6jcyG4GE3KkTzBeBiVHeceP2CWY0SR0fAQAgAAQEBAQ="))),
        ParseFixture("continuation with code", "+ [ALERT] go ahead\r\n",
                     .continuation(ContinuationRequest(code: .alert, text: "go ahead"))),
    ]
}
