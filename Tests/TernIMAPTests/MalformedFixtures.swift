@testable import TernIMAP

/// Frames that must fail with a typed error.
enum MalformedFixtures {
    static let all: [ParseFixture] = [
        ParseFixture("empty", "", fails: .syntax),
        ParseFixture("no CRLF", "* OK hi", fails: .syntax),
        ParseFixture("tag without status", "a1\r\n", fails: .syntax),
        ParseFixture("unknown tagged status", "a1 MAYBE later\r\n", fails: .syntax),
        ParseFixture("unbalanced FETCH", "* 1 FETCH (UID 5\r\n", fails: .syntax),
        ParseFixture("extra closing paren", "* 1 FETCH (UID 5))\r\n", fails: .syntax),
        ParseFixture("UID too large", "* 1 FETCH (UID 4294967296)\r\n", fails: .number),
        ParseFixture("UID zero", "* 1 FETCH (UID 0)\r\n", fails: .number),
        ParseFixture("EXISTS too large", "* 99999999999 EXISTS\r\n", fails: .number),
        ParseFixture("huge number", "* 1 FETCH (MODSEQ (99999999999999999999))\r\n", fails: .number),
        ParseFixture("literal past end", "* 1 FETCH (BODY[] {50}\r\nabc)\r\n", fails: .literal),
        ParseFixture("literal without CRLF", "* 1 FETCH (BODY[] {3}abc)\r\n", fails: .literal),
        ParseFixture("negative literal", "* 1 FETCH (BODY[] {-3}\r\nabc)\r\n", fails: .syntax),
        ParseFixture("unterminated quoted", "* LIST () \"/ foo\r\n", fails: .syntax),
        ParseFixture("bad section", "* 1 FETCH (BODY[FOO] \"x\")\r\n", fails: .syntax),
        ParseFixture("separator too long", "* LIST () \"//\" foo\r\n", fails: .syntax),
        ParseFixture("garbage after response", "* 1 EXISTS junk\r\n", fails: .syntax),
        ParseFixture("deep nesting",
                     "* 1 FETCH (X " + String(repeating: "(", count: 150) + String(repeating: ")", count: 150) + ")\r\n",
                     fails: .limitExceeded),
        ParseFixture("VANISHED bad set", "* VANISHED 1:,3\r\n", fails: .syntax),
        ParseFixture("STATUS unclosed", "* STATUS x (MESSAGES 1\r\n", fails: .syntax),
        ParseFixture("NAMESPACE short", "* NAMESPACE NIL NIL\r\n", fails: .syntax),
        ParseFixture("QUOTA bad resource", "* QUOTA x (STORAGE ten 1)\r\n", fails: .syntax),
    ]
}
