@testable import TernIMAP

/// LIST / LSUB / STATUS / NAMESPACE / QUOTA / ID and SELECT data.
enum MailboxFixtures {
    static let all: [ParseFixture] = lists + statuses + namespaces + quotas + selectData

    static func name(_ text: String) -> MailboxName { MailboxName(bytes: Array(text.utf8)) }

    static func list(_ attributes: [MailboxAttribute], _ separator: Character?, _ mailbox: String,
                     _ extended: [ListExtendedItem] = []) -> Response {
        .untagged(.list(ListEntry(attributes: attributes, separator: separator, name: name(mailbox),
                                  extendedItems: extended)))
    }

    static let lists: [ParseFixture] = [
        ParseFixture("LIST RFC example", "* LIST (\\Noselect) \"/\" ~/Mail/foo\r\n",
                     list([.noSelect], "/", "~/Mail/foo")),
        ParseFixture("LIST Dovecot INBOX. prefix", "* LIST (\\HasNoChildren) \".\" INBOX.Sent\r\n",
                     list([.hasNoChildren], ".", "INBOX.Sent")),
        ParseFixture("LIST quoted name with space", "* LIST (\\HasNoChildren \\Trash) \"/\" \"Deleted Items\"\r\n",
                     list([.hasNoChildren, .trash], "/", "Deleted Items")),
        ParseFixture("LIST NIL separator", "* LIST (\\Noinferiors) NIL INBOX\r\n", list([.noInferiors], nil, "INBOX")),
        ParseFixture("LIST escaped backslash separator", "* LIST () \"\\\\\" Drafts\r\n", list([], "\\", "Drafts")),
        ParseFixture("LIST modified UTF-7 name", "* LIST (\\HasNoChildren) \"/\" \"Entw&APw-rfe\"\r\n",
                     list([.hasNoChildren], "/", "Entw&APw-rfe")),
        ParseFixture("LIST literal name", "* LIST () \"/\" {10}\r\nfoo \"bar\"/\r\n", list([], "/", "foo \"bar\"/")),
        ParseFixture("LIST Gmail special use",
                     "* LIST (\\All \\HasNoChildren) \"/\" \"[Gmail]/All Mail\"\r\n",
                     list([.all, .hasNoChildren], "/", "[Gmail]/All Mail")),
        ParseFixture("LIST Gmail atom with brackets", "* LIST (\\HasChildren \\Noselect) \"/\" [Gmail]\r\n",
                     list([.hasChildren, .noSelect], "/", "[Gmail]")),
        ParseFixture("LIST special-use and Important",
                     "* LIST (\\Marked \\Junk \\Important \\Archive \\Drafts \\Flagged \\Sent \\X-Custom) \"/\" J\r\n",
                     list([.marked, .junk, .important, .archive, .drafts, .flagged, .sent, .other("\\X-Custom")],
                          "/", "J")),
        ParseFixture("LIST-EXTENDED CHILDINFO",
                     "* LIST (\\Subscribed) \"/\" \"Foo\" (\"CHILDINFO\" (\"SUBSCRIBED\"))\r\n",
                     list([.subscribed], "/", "Foo", [ListExtendedItem(
                        tag: "CHILDINFO", value: .list([.string(Array("SUBSCRIBED".utf8))]))])),
        ParseFixture("LIST OLDNAME", "* LIST () \"/\" NewName (\"OLDNAME\" (\"OldName\"))\r\n",
                     list([], "/", "NewName", [ListExtendedItem(
                        tag: "OLDNAME", value: .list([.string(Array("OldName".utf8))]))])),
        ParseFixture("LIST NonExistent remote", "* list (\\NonExistent \\Remote) \"/\" x\r\n",
                     list([.nonExistent, .remote], "/", "x")),
        ParseFixture("LSUB", "* LSUB () \".\" #news.comp.mail.misc\r\n",
                     .untagged(.lsub(ListEntry(attributes: [], separator: ".", name: name("#news.comp.mail.misc"))))),
        ParseFixture("LIST UTF-8 quoted name", "* LIST () \"/\" \"Réunions\"\r\n", list([], "/", "Réunions")),
    ]

    static let statuses: [ParseFixture] = [
        ParseFixture("STATUS RFC example", "* STATUS blurdybloop (MESSAGES 231 UIDNEXT 44292)\r\n",
                     .untagged(.status(name("blurdybloop"), [.messages: 231, .uidNext: 44292]))),
        ParseFixture("STATUS CONDSTORE SIZE APPENDLIMIT",
                     "* STATUS \"INBOX\" (MESSAGES 17 HIGHESTMODSEQ 7011231777 SIZE 3145728 APPENDLIMIT 10240000 "
                        + "UIDVALIDITY 1 UNSEEN 2 DELETED 0 RECENT 1)\r\n",
                     .untagged(.status(.inbox, [
                        .messages: 17, .highestModSeq: 7_011_231_777, .size: 3_145_728, .appendLimit: 10_240_000,
                        .uidValidity: 1, .unseen: 2, .deleted: 0, .recent: 1,
                     ]))),
        ParseFixture("STATUS APPENDLIMIT NIL and unknown item",
                     "* STATUS Sent (APPENDLIMIT NIL MAILBOXID (F2212ea87-6097-4256-9d51-71338625) MESSAGES 3)\r\n",
                     .untagged(.status(name("Sent"), [.messages: 3]))),
        ParseFixture("STATUS Exchange trailing space", "* STATUS \"Sent Items\" (MESSAGES 5 UIDNEXT 6 )\r\n",
                     .untagged(.status(name("Sent Items"), [.messages: 5, .uidNext: 6]))),
        ParseFixture("STATUS empty", "* STATUS x ()\r\n", .untagged(.status(name("x"), [:]))),
    ]

    static let namespaces: [ParseFixture] = [
        ParseFixture("NAMESPACE Dovecot", "* NAMESPACE ((\"INBOX.\" \".\")) NIL NIL\r\n",
                     .untagged(.namespace(NamespaceResponse(personal: [
                        NamespaceDescription(prefix: "INBOX.", delimiter: "."),
                     ])))),
        ParseFixture("NAMESPACE full RFC 2342 example",
                     "* NAMESPACE ((\"\" \"/\")) ((\"~\" \"/\")) ((\"#shared/\" \"/\")(\"#public/\" \"/\")"
                        + "(\"#ftp/\" \"/\")(\"#news.\" \".\"))\r\n",
                     .untagged(.namespace(NamespaceResponse(
                        personal: [NamespaceDescription(prefix: "", delimiter: "/")],
                        otherUsers: [NamespaceDescription(prefix: "~", delimiter: "/")],
                        shared: [
                            NamespaceDescription(prefix: "#shared/", delimiter: "/"),
                            NamespaceDescription(prefix: "#public/", delimiter: "/"),
                            NamespaceDescription(prefix: "#ftp/", delimiter: "/"),
                            NamespaceDescription(prefix: "#news.", delimiter: "."),
                        ])))),
        ParseFixture("NAMESPACE extension data",
                     "* NAMESPACE ((\"\" \"/\" \"X-PARAM\" (\"FLAG1\" \"FLAG2\"))) NIL ((\"Public Folders/\" NIL))\r\n",
                     .untagged(.namespace(NamespaceResponse(
                        personal: [NamespaceDescription(prefix: "", delimiter: "/", extensions: [
                            NamespaceExtension(name: "X-PARAM", values: ["FLAG1", "FLAG2"]),
                        ])],
                        shared: [NamespaceDescription(prefix: "Public Folders/", delimiter: nil)])))),
    ]

    static let quotas: [ParseFixture] = [
        ParseFixture("QUOTA", "* QUOTA \"\" (STORAGE 10 512)\r\n",
                     .untagged(.quota(root: "", [QuotaResource(name: "STORAGE", usage: 10, limit: 512)]))),
        ParseFixture("QUOTA two resources", "* QUOTA \"User quota\" (STORAGE 1048 2097152 MESSAGE 90 10000)\r\n",
                     .untagged(.quota(root: "User quota", [
                        QuotaResource(name: "STORAGE", usage: 1048, limit: 2_097_152),
                        QuotaResource(name: "MESSAGE", usage: 90, limit: 10000),
                     ]))),
        // Courier-IMAP 5 (Debian 12) on a mailbox without a quota: an empty list, or none at all.
        ParseFixture("QUOTA empty list", "* QUOTA \"ROOT\" ()\r\n", .untagged(.quota(root: "ROOT", []))),
        ParseFixture("QUOTA no list", "* QUOTA \"ROOT\"\r\n", .untagged(.quota(root: "ROOT", []))),
        ParseFixture("QUOTAROOT", "* QUOTAROOT INBOX \"\"\r\n", .untagged(.quotaRoot(.inbox, [""]))),
        ParseFixture("QUOTAROOT none", "* QUOTAROOT comp.mail.mime\r\n",
                     .untagged(.quotaRoot(name("comp.mail.mime"), []))),
        ParseFixture("ID list", "* ID (\"name\" \"Dovecot\" \"version\" NIL)\r\n",
                     .untagged(.id([IDField("name", "Dovecot"), IDField("version", nil)]))),
        ParseFixture("ID NIL", "* ID NIL\r\n", .untagged(.id([]))),
    ]

    static let selectData: [ParseFixture] = [
        ParseFixture("FLAGS", "* FLAGS (\\Answered \\Flagged \\Deleted \\Seen \\Draft $Forwarded NonJunk)\r\n",
                     .untagged(.flags([.answered, .flagged, .deleted, .seen, .draft, .keyword("$Forwarded"),
                                       .keyword("NonJunk")]))),
        ParseFixture("FLAGS odd keyword", "* FLAGS (\\Seen $Label] Old%Junk)\r\n",
                     .untagged(.flags([.seen, .keyword("$Label]"), .keyword("Old%Junk")]))),
        ParseFixture("EXISTS", "* 172 EXISTS\r\n", .untagged(.exists(172))),
        ParseFixture("RECENT", "* 1 RECENT\r\n", .untagged(.recent(1))),
        ParseFixture("EXPUNGE", "* 44 EXPUNGE\r\n", .untagged(.expunge(44))),
        ParseFixture("zero EXISTS", "* 0 EXISTS\r\n", .untagged(.exists(0))),
        ParseFixture("other untagged", "* METADATA \"INBOX\" (/private/comment \"x\")\r\n",
                     .untagged(.other(name: "METADATA", raw: "\"INBOX\" (/private/comment \"x\")"))),
        ParseFixture("other numbered", "* 3 XSTATE foo\r\n", .untagged(.other(name: "XSTATE", raw: "3 XSTATE foo"))),
    ]
}
