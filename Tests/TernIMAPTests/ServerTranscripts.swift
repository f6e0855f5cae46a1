/// Server-side byte streams in the style of real servers (tags, hosts and secrets made up),
/// used by the transcript and fuzz tests. Lines are joined with CRLF.
enum ServerTranscripts {
    static func join(_ lines: [String]) -> [UInt8] { wire(lines.map { $0 + "\r\n" }.joined()) }

    static let message = "From: Ana <ana@example.org>\r\nSubject: Quarterly {draft}\r\nMessage-ID: <q1@example.org>\r\n"
        + "\r\nNumbers attached {12}\r\n)\r\n* 3 EXISTS\r\n"

    static let dovecot = join([
        "* OK [CAPABILITY IMAP4rev1 SASL-IR LOGIN-REFERRALS ID ENABLE IDLE LITERAL+ STARTTLS AUTH=PLAIN] Dovecot ready.",
        "t1 OK [CAPABILITY IMAP4rev1 SASL-IR LOGIN-REFERRALS ID ENABLE IDLE SORT SORT=DISPLAY THREAD=REFERENCES "
            + "MULTIAPPEND URL-PARTIAL CATENATE UNSELECT CHILDREN NAMESPACE UIDPLUS LIST-EXTENDED I18NLEVEL=1 "
            + "CONDSTORE QRESYNC ESEARCH ESORT SEARCHRES WITHIN CONTEXT=SEARCH LIST-STATUS BINARY MOVE SNIPPET=FUZZY "
            + "PREVIEW=FUZZY PREVIEW STATUS=SIZE SAVEDATE LITERAL+ NOTIFY SPECIAL-USE QUOTA] Logged in",
        "* ID (\"name\" \"Dovecot\")",
        "t2 OK ID completed (0.001 + 0.000 secs).",
        "* NAMESPACE ((\"INBOX.\" \".\")) NIL NIL",
        "t3 OK Namespace completed (0.001 + 0.000 secs).",
        "* LIST (\\HasChildren) \".\" INBOX",
        "* STATUS INBOX (MESSAGES 3 UIDNEXT 4 UIDVALIDITY 1712345678 HIGHESTMODSEQ 9 SIZE 48213)",
        "* LIST (\\HasNoChildren \\Sent) \".\" INBOX.Sent",
        "* STATUS INBOX.Sent (MESSAGES 0 UIDNEXT 1 UIDVALIDITY 1712345679 HIGHESTMODSEQ 1 SIZE 0)",
        "* LIST (\\HasNoChildren \\Drafts) \".\" \"INBOX.Entw&APw-rfe\"",
        "* STATUS \"INBOX.Entw&APw-rfe\" (MESSAGES 1 UIDNEXT 2 UIDVALIDITY 1712345680 HIGHESTMODSEQ 2 SIZE 812)",
        "t4 OK List completed (0.002 + 0.000 + 0.001 secs).",
        "* ENABLED QRESYNC",
        "t5 OK Enabled.",
        "* FLAGS (\\Answered \\Flagged \\Deleted \\Seen \\Draft $Forwarded $MDNSent)",
        "* OK [PERMANENTFLAGS (\\Answered \\Flagged \\Deleted \\Seen \\Draft $Forwarded $MDNSent \\*)] Flags permitted.",
        "* 3 EXISTS",
        "* 0 RECENT",
        "* OK [UIDVALIDITY 1712345678] UIDs valid",
        "* OK [UIDNEXT 4] Predicted next UID",
        "* OK [HIGHESTMODSEQ 9] Highest",
        "t6 OK [READ-ONLY] Examine completed (0.001 + 0.000 secs).",
        "* ESEARCH (TAG \"t7\") UID ALL 1:3",
        "t7 OK Search completed (0.001 + 0.000 secs).",
        "* 1 FETCH (UID 1 MODSEQ (7) FLAGS (\\Seen $Forwarded) INTERNALDATE \"02-Jan-2024 10:11:12 +0100\" "
            + "RFC822.SIZE \(message.utf8.count - 15) BODY[] {\(message.utf8.count - 15)}",
    ]) + wire(message) + join([
        "* 2 FETCH (UID 2 MODSEQ (8) FLAGS () INTERNALDATE \" 3-Jan-2024 00:00:00 +0000\" RFC822.SIZE 2 BODY[] {2}",
        "hi)",
        "t8 OK Fetch completed (0.003 + 0.000 + 0.002 secs).",
        "t9 OK [APPENDUID 1712345679 1:2] Append completed (0.010 + 0.000 + 0.009 secs).",
        "* BYE Logging out",
        "t10 OK Logout completed (0.001 + 0.000 secs).",
    ])

    static let cyrus = join([
        "* OK [CAPABILITY IMAP4rev1 LITERAL+ ID ENABLE STARTTLS AUTH=PLAIN AUTH=SCRAM-SHA-256 SASL-IR] "
            + "imap.example.net Cyrus IMAP 3.8.1 server ready",
        "+ ",
        "t1 OK [CAPABILITY IMAP4rev1 LITERAL+ ID ENABLE ACL RIGHTS=kxten QUOTA MAILBOX-REFERRALS NAMESPACE UIDPLUS "
            + "NO_ATOMIC_RENAME UNSELECT CHILDREN MULTIAPPEND BINARY CATENATE CONDSTORE ESEARCH SORT THREAD=ORDEREDSUBJECT "
            + "LIST-EXTENDED LIST-STATUS LIST-MYRIGHTS WITHIN QRESYNC SCAN XLIST MOVE SPECIAL-USE CREATE-SPECIAL-USE "
            + "OBJECTID STATUS=SIZE SAVEDATE X-NO-SPECIAL-COMMENT] Success (tls protection)",
        "* NAMESPACE ((\"INBOX.\" \".\")) ((\"user.\" \".\")) ((\"\" \".\"))",
        "t2 OK Completed",
        "* LIST (\\HasNoChildren) \".\" INBOX",
        "* LIST (\\HasNoChildren \\Trash) \".\" INBOX.Trash",
        "* LIST (\\Noselect \\HasChildren) \".\" user.shared",
        "t3 OK Completed (0.001 secs 4 calls)",
        "* QUOTAROOT INBOX INBOX",
        "* QUOTA INBOX (STORAGE 30220 1048576 MESSAGE 412 50000)",
        "t4 OK Completed",
        "* 1 FETCH (UID 9 EMAILID (M1f3a5c7e9b2d4f6a8c0e1b3d) THREADID (T5c7e9b2d4f6a8c0e) FLAGS (\\Seen))",
        "t5 OK Completed (0.000 sec)",
        "t6 NO [OVERQUOTA] Over quota",
        "t7 NO [TRYCREATE] Mailbox does not exist",
        "* BYE LOGOUT received",
        "t8 OK Completed",
    ])

    static let courier = join([
        "* OK [CAPABILITY IMAP4rev1 UIDPLUS CHILDREN NAMESPACE THREAD=ORDEREDSUBJECT THREAD=REFERENCES SORT QUOTA "
            + "IDLE ACL ACL2=UNION STARTTLS] Courier-IMAP ready. Copyright 1998-2018 Double Precision, Inc.  "
            + "See COPYING for distribution information.",
        "t1 OK LOGIN Ok.",
        "* NAMESPACE ((\"INBOX.\" \".\")) NIL ((\"#shared.\" \".\")(\"shared.\" \".\"))",
        "t2 OK NAMESPACE completed.",
        "* LIST (\\Unmarked \\HasChildren) \".\" \"INBOX\"",
        "* LIST (\\HasNoChildren) \".\" \"INBOX.Sent Items\"",
        "* LIST (\\HasNoChildren) \".\" \"INBOX.R&AOk-unions\"",
        "t3 OK LIST completed",
        "* FLAGS (\\Draft \\Answered \\Flagged \\Deleted \\Seen \\Recent)",
        "* OK [PERMANENTFLAGS (\\* \\Draft \\Answered \\Flagged \\Deleted \\Seen)] Limited",
        "* 2 EXISTS",
        "* 0 RECENT",
        "* OK [UIDVALIDITY 1190294829] Ok",
        "* OK [MYRIGHTS \"acdilrsw\"] ACL",
        "t4 OK [READ-WRITE] Ok",
        "* SEARCH 1 2",
        "t5 OK SEARCH done.",
        "* 1 FETCH (UID 17 FLAGS (\\Seen) RFC822.SIZE 1520 INTERNALDATE \"21-Sep-2007 15:47:09 -0400\")",
        "* 2 FETCH (UID 18 FLAGS () RFC822.SIZE 988 INTERNALDATE \"22-Sep-2007 08:01:00 -0400\")",
        "t6 OK FETCH completed.",
        "t7 OK [COPYUID 1190294829 17:18 1:2] COPY completed.",
        "* BYE Courier-IMAP server shutting down",
        "t8 OK LOGOUT completed",
    ])

    static let gmail = join([
        "* OK Gimap ready for requests from 198.51.100.4 x9mb41234567abc",
        "* CAPABILITY IMAP4rev1 UNSELECT IDLE NAMESPACE QUOTA ID XLIST CHILDREN X-GM-EXT-1 XYZZY SASL-IR "
            + "AUTH=XOAUTH2 AUTH=PLAIN AUTH=PLAIN-CLIENTTOKEN AUTH=OAUTHBEARER",
        "t0 OK Thats all she wrote! x9mb41234567abc",
        "+ eyJzdGF0dXMiOiI0MDAiLCJzY2hlbWVzIjoiQmVhcmVyIiwic2NvcGUiOiJodHRwczovL21haWwuZ29vZ2xlLmNvbS8ifQ==",
        "t1 NO [AUTHENTICATIONFAILED] Invalid credentials (Failure)",
        "t2 OK [CAPABILITY IMAP4rev1 UNSELECT IDLE NAMESPACE QUOTA ID XLIST CHILDREN X-GM-EXT-1 UIDPLUS COMPRESS=DEFLATE "
            + "ENABLE MOVE CONDSTORE ESEARCH UTF8=ACCEPT LIST-EXTENDED LIST-STATUS LITERAL- SPECIAL-USE APPENDLIMIT=35651584] "
            + "ana@example.com authenticated (Success)",
        "* LIST (\\HasNoChildren) \"/\" \"INBOX\"",
        "* LIST (\\HasChildren \\Noselect) \"/\" \"[Gmail]\"",
        "* LIST (\\All \\HasNoChildren) \"/\" \"[Gmail]/All Mail\"",
        "* LIST (\\HasNoChildren \\Important) \"/\" \"[Gmail]/Important\"",
        "* LIST (\\HasNoChildren \\Sent) \"/\" \"[Gmail]/Sent Mail\"",
        "* LIST (\\HasNoChildren \\Junk) \"/\" \"[Gmail]/Spam\"",
        "* LIST (\\Flagged \\HasNoChildren) \"/\" \"[Gmail]/Starred\"",
        "* LIST (\\HasNoChildren) \"/\" \"Kunden/M&APw-ller\"",
        "t3 OK Success",
        "* FLAGS (\\Answered \\Flagged \\Draft \\Deleted \\Seen $NotPhishing $Phishing)",
        "* OK [PERMANENTFLAGS (\\Answered \\Flagged \\Draft \\Deleted \\Seen $NotPhishing $Phishing \\*)] Flags permitted.",
        "* OK [UIDVALIDITY 11] UIDs valid.",
        "* 2 EXISTS",
        "* 0 RECENT",
        "* OK [UIDNEXT 320] Predicted next UID.",
        "* OK [HIGHESTMODSEQ 4172013]",
        "t4 OK [READ-ONLY] [Gmail]/All Mail selected. (Success)",
        "* 1 FETCH (X-GM-THRID 1791205826153834981 X-GM-MSGID 1791205826153834981 X-GM-LABELS (\\Inbox \\Important "
            + "\"Kunden/M&APw-ller\") UID 318 MODSEQ (4171999) FLAGS (\\Seen))",
        "* 2 FETCH (X-GM-THRID 1791205826153834981 X-GM-MSGID 1791205826153834999 X-GM-LABELS () UID 319 "
            + "MODSEQ (4172013) FLAGS ())",
        "t5 OK Success",
        "* QUOTAROOT \"INBOX\" \"\"",
        "* QUOTA \"\" (STORAGE 7340032 15728640)",
        "t6 OK Success",
        "* BYE LOGOUT Requested",
        "t7 OK 73 good day (Success)",
    ])

    static let exchange = join([
        "* OK The Microsoft Exchange IMAP4 service is ready. [UwBOADQAUABSADAAMQBDAEEAMAAwADEAMgAuAG4AYQBtAHAA]",
        "* CAPABILITY IMAP4 IMAP4rev1 AUTH=PLAIN AUTH=XOAUTH2 SASL-IR UIDPLUS MOVE ID UNSELECT CHILDREN IDLE NAMESPACE "
            + "LITERAL+",
        "t0 OK CAPABILITY completed.",
        "t1 OK AUTHENTICATE completed.",
        "* ID (\"name\" \"Microsoft.Exchange.Imap4.Imap4Server\" \"version\" \"15.20\")",
        "t2 OK ID completed.",
        "* NAMESPACE ((\"\" \"/\")) NIL NIL",
        "t3 OK NAMESPACE completed.",
        "* LIST (\\HasNoChildren) \"/\" Archive",
        "* LIST (\\HasChildren) \"/\" Calendar",
        "* LIST (\\HasNoChildren) \"/\" \"Calendar/Birthdays\"",
        "* LIST (\\HasNoChildren \\Trash) \"/\" \"Deleted Items\"",
        "* LIST (\\HasNoChildren \\Drafts) \"/\" Drafts",
        "* LIST (\\Marked \\HasNoChildren) \"/\" INBOX",
        "* LIST (\\HasNoChildren \\Junk) \"/\" \"Junk Email\"",
        "* LIST (\\HasNoChildren \\Sent) \"/\" \"Sent Items\"",
        "t4 OK LIST completed.",
        "* STATUS \"Sent Items\" (MESSAGES 412 UIDNEXT 905 UIDVALIDITY 14 )",
        "t5 OK STATUS completed.",
        "* 412 EXISTS",
        "* 0 RECENT",
        "* FLAGS (\\Seen \\Answered \\Flagged \\Deleted \\Draft $MDNSent)",
        "* OK [PERMANENTFLAGS (\\Seen \\Answered \\Flagged \\Deleted \\Draft $MDNSent)] Permanent flags",
        "* OK [UNSEEN 3] Is the first unseen message",
        "* OK [UIDVALIDITY 14] UIDVALIDITY value",
        "* OK [UIDNEXT 905] The next unique identifier value",
        "t6 OK [READ-WRITE] SELECT completed.",
        "* 1 FETCH (UID 3 FLAGS (\\Seen) INTERNALDATE \"14-Mar-2023 09:30:01 +0000\" RFC822.SIZE 5120)",
        "* 2 FETCH (UID 7 FLAGS (\\Seen \\Answered) INTERNALDATE \"14-Mar-2023 11:02:45 +0000\" RFC822.SIZE 87331)",
        "t7 OK FETCH completed.",
        "t8 NO [THROTTLED] Request is throttled. Suggested Backoff Time: 15000 milliseconds",
        "t9 OK [APPENDUID 14 905] APPEND completed.",
        "t10 BAD Command Argument Error. 11",
        "* BYE Microsoft Exchange Server IMAP4 server signing off.",
        "t11 OK LOGOUT completed.",
    ])

    static let all: [(String, [UInt8])] = [
        ("Dovecot", dovecot), ("Cyrus", cyrus), ("Courier", courier), ("Gmail", gmail), ("Exchange", exchange),
    ]
}
