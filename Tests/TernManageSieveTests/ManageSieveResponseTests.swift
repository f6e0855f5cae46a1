import Testing
@testable import TernManageSieve

/// ManageSieve (RFC 5804) response parsing and command encoding, without a server.
@Suite struct ManageSieveResponseTests {
    static func lines(_ text: String, chunk: Int = .max) throws -> [ManageSieveLine] {
        var parser = ManageSieveParser()
        var result: [ManageSieveLine] = []
        let bytes = Array(text.utf8)
        var index = 0
        while index < bytes.count {
            let end = min(bytes.count, index + min(chunk, bytes.count))
            parser.feed(Array(bytes[index..<end]))
            index = end
            while let line = try parser.next() { result.append(line) }
        }
        return result
    }

    static let greeting = "\"IMPLEMENTATION\" \"Dovecot Pigeonhole\"\r\n\"SIEVE\" \"fileinto reject copy\"\r\n"
        + "\"NOTIFY\" \"mailto\"\r\n\"SASL\" \"PLAIN LOGIN\"\r\n\"STARTTLS\"\r\n\"VERSION\" \"1.0\"\r\nOK \"Dovecot ready.\"\r\n"

    @Test func greetingCapabilities() throws {
        let lines = try Self.lines(Self.greeting)
        #expect(lines.count == 7)
        #expect(lines.last == .status(ManageSieveStatus(kind: .ok, code: nil, text: "Dovecot ready.")))
        let data = lines.compactMap { if case .data(let tokens) = $0 { tokens } else { nil } }
        let capabilities = ManageSieveParser.capabilities(data)
        #expect(capabilities["SASL"] == "PLAIN LOGIN")
        #expect(capabilities["STARTTLS"] == "")
        #expect(capabilities["IMPLEMENTATION"] == "Dovecot Pigeonhole")
    }

    @Test func byteAtATimeGivesTheSameLines() throws {
        #expect(try Self.lines(Self.greeting, chunk: 1) == Self.lines(Self.greeting))
    }

    @Test func statusWithCodeAndLiteralText() throws {
        let text = "NO (QUOTA/MAXSIZE) {20}\r\nScript is\r\ntoo large\r\n"
        let lines = try Self.lines(text, chunk: 3)
        #expect(lines == [.status(ManageSieveStatus(kind: .no, code: "QUOTA/MAXSIZE", text: "Script is\r\ntoo large"))])
    }

    @Test func byeAndEscapedQuotes() throws {
        let lines = try Self.lines("BYE (TRYLATER) \"Server \\\"shutting\\\" down\"\r\n")
        #expect(lines == [.status(ManageSieveStatus(kind: .bye, code: "TRYLATER", text: "Server \"shutting\" down"))])
    }

    @Test func listScriptsMarksTheActiveOne() throws {
        let lines = try Self.lines("\"summer\"\r\n\"tern-forward\" ACTIVE\r\n\"x y\"\r\nOK \"Listscripts completed.\"\r\n")
        let data = lines.compactMap { if case .data(let tokens) = $0 { tokens } else { nil } }
        let scripts = try ManageSieveParser.scriptList(data)
        #expect(scripts.map(\.name) == ["summer", "tern-forward", "x y"])
        #expect(scripts.map(\.active) == [false, true, false])
    }

    @Test func getScriptLiteral() throws {
        let script = "require [\"copy\"];\r\nredirect :copy \"a@b.example\";\r\n"
        let lines = try Self.lines("{\(script.utf8.count)}\r\n\(script)\r\nOK \"Getscript completed.\"\r\n", chunk: 7)
        #expect(lines.first == .data([.string(script)]))
        #expect(lines.count == 2)
    }

    @Test func incompleteLiteralWaits() throws {
        var parser = ManageSieveParser()
        parser.feed(Array("{10}\r\nabc".utf8))
        #expect(try parser.next() == nil)
        parser.feed(Array("defghij\r\n".utf8))
        #expect(try parser.next() == .data([.string("abcdefghij")]))
    }

    @Test func limits() throws {
        var parser = ManageSieveParser(maxLineLength: 100, maxLiteralSize: 50)
        parser.feed(Array("{51}\r\n".utf8))
        #expect(throws: ManageSieveError.self) { try parser.next() }

        var long = ManageSieveParser(maxLineLength: 100, maxLiteralSize: 50)
        long.feed(Array(String(repeating: "A", count: 200).utf8))
        #expect { try long.next() } throws: { ($0 as? ManageSieveError)?.code == .tooLarge }

        var quoted = ManageSieveParser(maxLineLength: 100, maxLiteralSize: 50)
        quoted.feed(Array(("\"" + String(repeating: "q", count: 200)).utf8))
        #expect { try quoted.next() } throws: { ($0 as? ManageSieveError)?.code == .tooLarge }
    }

    @Test func malformed() throws {
        var parser = ManageSieveParser()
        parser.feed(Array("{1x}\r\nab\r\n".utf8))
        #expect { try parser.next() } throws: { ($0 as? ManageSieveError)?.code == .malformed }
        var quoted = ManageSieveParser()
        quoted.feed(Array("\"abc\r\n\"\r\n".utf8))
        #expect { try quoted.next() } throws: { ($0 as? ManageSieveError)?.code == .malformed }
    }

    @Test func encoding() {
        #expect(String(decoding: ManageSieveEncoding.string("tern \"x\"\\"), as: UTF8.self) == "\"tern \\\"x\\\"\\\\\"")
        #expect(String(decoding: ManageSieveEncoding.string("a\r\nb"), as: UTF8.self) == "{4+}\r\na\r\nb")
        // RFC 4616 example shape: authzid NUL authcid NUL password.
        #expect(ManageSieveEncoding.plain(authorization: nil, user: "tim", password: "tanstaaftanstaaf")
            == "AHRpbQB0YW5zdGFhZnRhbnN0YWFm")
        #expect(ManageSieveEncoding.plain(authorization: "Ursel", user: "Kurt", password: "xipj3plmq")
            == "VXJzZWwAS3VydAB4aXBqM3BsbXE=")
    }
}
