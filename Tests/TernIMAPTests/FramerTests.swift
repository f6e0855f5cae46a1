import Testing
@testable import TernIMAP

@Suite("Response framer")
struct FramerTests {
    /// All valid fixture frames back to back: a realistic pipelined stream.
    static let stream: [UInt8] = ParserFixtureTests.all.flatMap { fixture -> [UInt8] in
        guard case .response = fixture.expected else { return [] }
        return wire(fixture.input)
    }

    static let expectedFrames: [[UInt8]] = ParserFixtureTests.all.compactMap { fixture in
        guard case .response = fixture.expected else { return nil }
        return wire(fixture.input)
    }

    static func frames(of stream: [UInt8], splitAt cuts: [Int]) throws -> [[UInt8]] {
        var framer = ResponseFramer()
        var frames: [[UInt8]] = []
        var start = 0
        for cut in cuts + [stream.count] where cut >= start {
            framer.append(stream[start..<cut])
            start = cut
            while let frame = try framer.nextFrame() { frames.append(frame) }
        }
        #expect(framer.bufferedByteCount == 0)
        return frames
    }

    @Test("every fixture split at every byte boundary frames identically")
    func everySplit() throws {
        for frame in Self.expectedFrames {
            for cut in 0...frame.count {
                #expect(try Self.frames(of: frame, splitAt: [cut]) == [frame])
            }
        }
    }

    @Test("the whole stream, in one piece, byte by byte, and in odd chunks")
    func wholeStream() throws {
        #expect(try Self.frames(of: Self.stream, splitAt: []) == Self.expectedFrames)
        #expect(try Self.frames(of: Self.stream, splitAt: Array(0..<Self.stream.count)) == Self.expectedFrames)
        #expect(try Self.frames(of: Self.stream, splitAt: Array(stride(from: 0, to: Self.stream.count, by: 7)))
                == Self.expectedFrames)
    }

    @Test("literal announcement split between chunks")
    func literalHeaderSplit() throws {
        let frame = wire("* 1 FETCH (BODY[] {12}\r\nhello\r\nworld)\r\n")
        for first in 0...frame.count {
            for second in first...frame.count where second - first < 6 {
                #expect(try Self.frames(of: frame, splitAt: [first, second]) == [frame])
            }
        }
    }

    @Test("two literals and a zero-length literal in one response")
    func multipleLiterals() throws {
        let frame = wire("* 2 FETCH (BODY[HEADER] {0}\r\n BODY[TEXT] {3}\r\n}\r\n BODY[] {5}\r\n{1}\r\n)\r\n")
        #expect(try Self.frames(of: frame, splitAt: []) == [frame])
        guard case .untagged(.fetch(2, let attributes)) = try ResponseParser.parse(frame) else {
            Issue.record("not a FETCH")
            return
        }
        #expect(attributes.body(.header) == [])
        #expect(attributes.body(.text) == ArraySlice(wire("}\r\n")))
        #expect(attributes.body() == ArraySlice(wire("{1}\r\n")))
    }

    @Test("incomplete input returns nil and keeps the bytes")
    func incomplete() throws {
        var framer = ResponseFramer()
        framer.append(wire("* 1 FETCH (BODY[] {10}\r\nabc"))
        #expect(try framer.nextFrame() == nil)
        #expect(framer.bufferedByteCount == 27)
        #expect(framer.isInLiteral)
        framer.append(wire("defghij)\r\n* 2 EXI"))
        #expect(try framer.nextFrame() == wire("* 1 FETCH (BODY[] {10}\r\nabcdefghij)\r\n"))
        #expect(try framer.nextFrame() == nil)
        #expect(framer.bufferedByteCount == 7)
    }

    @Test("hostile framing", arguments: [
        ("bare LF", "* OK hi\n", IMAPProtocolError.Kind.framing),
        ("bare LF at chunk start", "\n", .framing),
        ("NUL in line", "* OK h\u{0}i\r\n", .framing),
        ("20-digit literal", "* 1 FETCH (BODY[] {99999999999999999999}\r\n", .literal),
        ("literal over limit", "* 1 FETCH (BODY[] {3000000000}\r\n", .literal),
        ("30-digit literal", "* 1 FETCH (BODY[] {" + String(repeating: "9", count: 30) + "}\r\n", .literal),
    ])
    func hostile(_ name: String, _ input: String, _ kind: IMAPProtocolError.Kind) {
        var framer = ResponseFramer()
        framer.append(wire(input))
        #expect(throws: IMAPProtocolError.self, "\(name)") { _ = try framer.nextFrame() }
        do {
            _ = try framer.nextFrame()
            Issue.record("a failed framer must keep failing")
        } catch {
            #expect(error.kind == kind, "\(name): \(error)")
        }
    }

    @Test("a line longer than the limit fails without growing further")
    func lineLimit() throws {
        var framer = ResponseFramer(limits: IMAPLimits(maxLineLength: 1000))
        var failed = false
        for _ in 0..<100 where !failed {
            framer.append([UInt8](repeating: UInt8(ascii: "a"), count: 100))
            do { _ = try framer.nextFrame() } catch {
                #expect(error.kind == .limitExceeded)
                failed = true
            }
        }
        #expect(failed)
        #expect(framer.bufferedByteCount <= 1100)
    }

    @Test("a stream of zero-length literals hits the line limit")
    func zeroLiteralFlood() throws {
        var framer = ResponseFramer(limits: IMAPLimits(maxLineLength: 10_000))
        framer.append(wire("* 1 FETCH (X "))
        var failure: IMAPProtocolError?
        for _ in 0..<5000 where failure == nil {
            framer.append(wire("{0}\r\n"))
            do { _ = try framer.nextFrame() } catch { failure = error }
        }
        #expect(failure?.kind == .limitExceeded)
    }

    @Test("a lying literal size reserves nothing up front")
    func lyingLiteral() throws {
        var framer = ResponseFramer()
        framer.append(wire("* 1 FETCH (BODY[] {2000000000}\r\nabc"))
        #expect(try framer.nextFrame() == nil)
        #expect(framer.reservedByteCount < 4096)
    }

    @Test("error excerpts are short and escaped")
    func excerpt() {
        var framer = ResponseFramer()
        framer.append(wire("* OK " + String(repeating: "\u{1}x", count: 200) + "\n"))
        do {
            _ = try framer.nextFrame()
            Issue.record("expected failure")
        } catch {
            #expect(error.excerpt.count <= IMAPProtocolError.maxExcerptLength)
            #expect(!error.excerpt.contains("\n") && !error.excerpt.contains("\u{1}"))
            #expect(error.description.contains("bare LF"))
        }
    }
}
