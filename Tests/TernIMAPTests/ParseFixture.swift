import Testing
@testable import TernIMAP

/// One parser table row: a complete response frame and what it must parse to.
struct ParseFixture: Sendable, CustomTestStringConvertible {
    enum Expectation: Sendable {
        case response(Response)
        case failure(IMAPProtocolError.Kind)
    }

    let name: String
    let input: String
    let expected: Expectation

    init(_ name: String, _ input: String, _ expected: Response) {
        self.name = name
        self.input = input
        self.expected = .response(expected)
    }

    init(_ name: String, _ input: String, fails kind: IMAPProtocolError.Kind) {
        self.name = name
        self.input = input
        self.expected = .failure(kind)
    }

    var testDescription: String { name }
}

@Suite("Parser fixtures")
struct ParserFixtureTests {
    static let all = StatusFixtures.all + MailboxFixtures.all + MessageFixtures.all + MalformedFixtures.all

    @Test("parses", arguments: all)
    func parses(_ fixture: ParseFixture) {
        let result = Result { () throws(IMAPProtocolError) in try ResponseParser.parse(wire(fixture.input)) }
        switch (fixture.expected, result) {
        case (.response(let expected), .success(let actual)):
            #expect(actual == expected)
        case (.failure(let kind), .failure(let error)):
            #expect(error.kind == kind, "\(error)")
            #expect(error.excerpt.utf8.count <= IMAPProtocolError.maxExcerptLength)
        case (.response, .failure(let error)):
            Issue.record("expected a response, got \(error)")
        case (.failure(let kind), .success(let actual)):
            Issue.record("expected a \(kind) error, got \(actual)")
        }
    }

    /// Every valid fixture also frames to exactly itself.
    @Test("frames to itself", arguments: all)
    func framesToItself(_ fixture: ParseFixture) throws {
        var framer = ResponseFramer()
        framer.append(wire(fixture.input))
        guard case .response = fixture.expected else { return }
        let frame = try framer.nextFrame()
        #expect(frame == wire(fixture.input))
        #expect(try framer.nextFrame() == nil)
        #expect(framer.bufferedByteCount == 0)
    }
}
