import Testing
import TernCore
@testable import TernIMAP

@Suite("Modified UTF-7")
struct ModifiedUTF7Tests {
    static let pairs: [(String, String)] = [
        ("INBOX", "INBOX"),
        ("Entwürfe", "Entw&APw-rfe"),
        ("Réunions", "R&AOk-unions"),
        ("日本語", "&ZeVnLIqe-"),
        ("&", "&-"),
        ("A&B", "A&-B"),
        ("~peter/mail/台北/日本語", "~peter/mail/&U,BTFw-/&ZeVnLIqe-"),
        ("Emoji 📬 box", "Emoji &2D3c7A- box"),
        ("Gelöschte Elemente", "Gel&APY-schte Elemente"),
        ("Корзина", "&BBoEPgRABDcEOAQ9BDA-"),
        ("Élément & été", "&AMk-l&AOk-ment &- &AOk-t&AOk-"),
        ("", ""),
    ]

    @Test("encodes and decodes", arguments: pairs)
    func roundTrip(_ decoded: String, _ encoded: String) throws {
        #expect(ModifiedUTF7.encode(decoded) == encoded)
        #expect(try ModifiedUTF7.decode(encoded) == decoded)
    }

    @Test("rejects malformed input", arguments: [
        ("&", ModifiedUTF7.DecodingError.unterminatedShift(offset: 0)),
        ("a&AOk", .unterminatedShift(offset: 1)),
        ("&A*k-", .invalidBase64(offset: 2)),
        ("&AGE-", .unnecessaryShift(offset: 0)),
        ("&AOl-", .invalidPadding(offset: 0)),
        ("&AO-", .invalidPadding(offset: 0)),
        ("&2D0-", .invalidUTF16(offset: 0)),
        ("&3Kw-", .invalidUTF16(offset: 0)),
        ("Réunions", .invalidDirectCharacter(offset: 1)),
        ("a\tb", .invalidDirectCharacter(offset: 1)),
    ])
    func rejects(_ input: String, _ expected: ModifiedUTF7.DecodingError) {
        #expect(throws: expected) { try ModifiedUTF7.decode(input) }
    }

    @Test("every BMP and a sample of astral scalars round-trip")
    func exhaustive() throws {
        var text = ""
        for value in stride(from: 0x80, through: 0x10FFFF, by: 97) {
            guard let scalar = Unicode.Scalar(value) else { continue }
            text.unicodeScalars.append(scalar)
            if text.unicodeScalars.count == 64 {
                #expect(try ModifiedUTF7.decode(ModifiedUTF7.encode("x" + text + "&y")) == "x" + text + "&y")
                text = ""
            }
        }
    }

    @Test("mailbox names decode, fall back to raw, and compare INBOX case-insensitively")
    func mailboxName() {
        #expect(MailboxName(decoded: "Entwürfe").bytes == wire("Entw&APw-rfe"))
        #expect(MailboxName(bytes: wire("Entw&APw-rfe")).decoded == "Entwürfe")
        #expect(MailboxName(bytes: wire("Entwürfe")).decoded == "Entwürfe")
        #expect(MailboxName(bytes: wire("a&b")).decoded == "a&b")
        #expect(MailboxName(bytes: wire("inbox")) == .inbox)
        #expect(MailboxName(bytes: wire("Inbox")).hashValue == MailboxName.inbox.hashValue)
        #expect(MailboxName(bytes: wire("Sent")) != MailboxName(bytes: wire("sent")))
        #expect(MailboxName(decoded: "a/b/c").components(separator: "/") == ["a", "b", "c"])
    }
}
