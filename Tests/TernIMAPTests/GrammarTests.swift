import Foundation
import Testing
@testable import TernIMAP

@Suite("Grammar values")
struct GrammarTests {
    @Test("sequence sets parse, print, iterate, count and normalize")
    func numberSets() throws {
        let set = try UIDSet(parsing: "1:3,7,10:8,20:*")
        #expect(set.ranges == [1...3, 7...7, 8...10, 20...UIDSet.star])
        #expect(set.description == "1:3,7,8:10,20:*")
        #expect(set.containsStar)
        #expect(set.contains(9) && !set.contains(11))
        let finite = try SequenceSet(parsing: "5,1:2,3")
        #expect(Array(finite) == [5, 1, 2, 3])
        #expect(finite.count == 4)
        #expect(finite.normalized().description == "1:3,5")
        #expect(UIDSet([9, 1, 2, 3, 7, 8]).description == "1:3,7:9")
        #expect(UIDSet([UInt32.max - 1, UInt32.max]).description == "4294967294:*")
        for bad in ["", "0", "1:", ",1", "1,,2", "a", "1:2x", "4294967296"] {
            #expect(throws: IMAPProtocolError.self, "\(bad)") { try UIDSet(parsing: bad) }
        }
    }

    @Test("internal dates format, parse and convert")
    func internalDates() throws {
        let date = InternalDate(year: 1996, month: 7, day: 17, hour: 2, minute: 44, second: 25, zoneMinutes: -420)
        #expect(date.description == "17-Jul-1996 02:44:25 -0700")
        #expect(date.date == Date(timeIntervalSince1970: 837_596_665))
        #expect(InternalDate(date.date, zoneMinutes: -420) == date)
        #expect(InternalDate(Date(timeIntervalSince1970: 0)).description == " 1-Jan-1970 00:00:00 +0000")
        #expect(InternalDate(wire: ArraySlice(wire("17-jul-1996 02:44:25 -0700"))) == date)
        #expect(InternalDate(wire: ArraySlice(wire("1-Feb-2024 00:00:00 +0545")))?.zoneMinutes == 345)
        for bad in ["", "17-Jul-1996", "32-Jul-1996 02:44:25 -0700", "17-Foo-1996 02:44:25 -0700",
                    "17-Jul-1996 25:00:00 +0000", "17-Jul-1996 02:44:25 0700", "17-Jul-1996 02:44:25 +07000"] {
            #expect(InternalDate(wire: ArraySlice(wire(bad))) == nil, "\(bad)")
        }
    }

    @Test("capabilities compare case-insensitively and expose parameters")
    func capabilities() {
        #expect(Capability("literal+") == .literalPlus)
        #expect(Set([Capability("IMAP4REV1")]).contains(.imap4rev1))
        #expect(Capability("AUTH=plain").saslMechanism == "plain")
        #expect([Capability("AUTH=PLAIN"), .idle, Capability("auth=xoauth2")].saslMechanisms == ["PLAIN", "XOAUTH2"])
        #expect(Capability("APPENDLIMIT").appendLimitValue == .some(nil))
        #expect(Capability("IDLE").appendLimitValue == nil)
        #expect(Capability("COMPRESS=DEFLATE") == .compress("DEFLATE"))
    }

    @Test("flags and attributes map atoms and compare without case")
    func flags() {
        #expect(Flag("\\SEEN") == .seen)
        #expect(Flag("\\*") == .wildcard)
        #expect(Flag("\\Custom") == .extension("Custom"))
        #expect(Flag("$label1") == .keyword("$Label1"))
        #expect(Set([Flag.keyword("Junk")]).contains(.keyword("JUNK")))
        #expect(Flag.keyword("$Forwarded").description == "$Forwarded")
        #expect(!Flag.keyword("a b").isEncodable && !Flag.recent.isEncodable && Flag.keyword("$MDNSent").isEncodable)
        #expect(MailboxAttribute("\\hasnochildren") == .hasNoChildren)
        #expect(MailboxAttribute("\\Sent").isSpecialUse && !MailboxAttribute("\\Marked").isSpecialUse)
    }

    @Test("body sections key lookups with and without partial origin")
    func bodySections() {
        let attributes = FetchAttributes(bodySections: [
            BodySection(origin: 0): ArraySlice(wire("abc")),
            .headerFields(["Message-ID"]): ArraySlice(wire("h")),
        ])
        #expect(attributes.body() == ArraySlice(wire("abc")))
        #expect(attributes.body(BodySection(origin: 0)) == ArraySlice(wire("abc")))
        #expect(attributes.body(BodySection(origin: 5)) == nil)
        #expect(attributes.body(.headerFields(["message-id"])) == ArraySlice(wire("h")))
        #expect(BodySection(part: [1, 2], kind: .headerFieldsNot(["X"]), origin: 9).description
                == "[1.2.HEADER.FIELDS.NOT (X)]<9>")
    }

    @Test("list entries expose special use, OLDNAME and CHILDINFO")
    func listEntry() throws {
        guard case .untagged(.list(let entry)) = try parseOne(
            "* LIST (\\Sent) \"/\" New (\"OLDNAME\" (\"Old\") \"CHILDINFO\" (\"SUBSCRIBED\"))\r\n")
        else {
            Issue.record("not a LIST")
            return
        }
        #expect(entry.specialUse == .sent)
        #expect(entry.oldName == MailboxName(decoded: "Old"))
        #expect(entry.childInfo == ["SUBSCRIBED"])
    }

    @Test("error descriptions carry kind, offset and a short escaped excerpt")
    func errorDescription() {
        let error = IMAPProtocolError(.syntax, "bad", offset: 3, in: wire("ab\r\n\u{7F}" + String(repeating: "z", count: 300)))
        #expect(error.excerpt.hasPrefix("ab\\r\\n\\x7F"))
        #expect(error.excerpt.count <= IMAPProtocolError.maxExcerptLength)
        #expect(error.description.hasPrefix("IMAP syntax error at byte 3: bad near"))
    }
}
