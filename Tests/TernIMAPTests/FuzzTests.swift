import Testing
@testable import TernIMAP

/// Random and mutated server input: framer + parser must return values or typed errors,
/// never crash or hang, and never buffer more than the limits allow. Seeded, so a failure
/// reproduces; the seed and iteration are in every issue message.
@Suite("Fuzz")
struct FuzzTests {
    static let limits = IMAPLimits(
        maxLineLength: 64 * 1024, maxLiteralSize: 256 * 1024, maxNestingDepth: 40, maxListItems: 10_000,
        maxLiteralsPerResponse: 1000)

    static let corpus: [[UInt8]] = ServerTranscripts.all.map(\.1) + FramerTests.expectedFrames

    enum Mutation: CaseIterable {
        case flipBits, truncate, insertHugeLiteral, insertLiteral, deleteParens, insertParens, randomBytes,
            duplicateSlice, swapCRLF, insertNUL
    }

    static func mutate(_ input: [UInt8], using generator: inout SplitMix64) -> [UInt8] {
        var bytes = input
        let rounds = Int(generator.next() % 4) + 1
        for _ in 0..<rounds {
            let position = bytes.isEmpty ? 0 : Int(generator.next() % UInt64(bytes.count))
            switch Mutation.allCases[Int(generator.next() % UInt64(Mutation.allCases.count))] {
            case .flipBits:
                guard !bytes.isEmpty else { continue }
                bytes[position] ^= UInt8(truncatingIfNeeded: 1 << (generator.next() % 8))
            case .truncate:
                bytes.removeSubrange(position...)
            case .insertHugeLiteral:
                let huge = ["{99999999999999999999}", "{4294967296}", "{-1}", "{1000000}", "~{18446744073709551615}"]
                bytes.insert(contentsOf: wire(huge[Int(generator.next() % UInt64(huge.count))] + "\r\n"), at: position)
            case .insertLiteral:
                bytes.insert(contentsOf: wire("{\(generator.next() % 40)}\r\n"), at: position)
            case .deleteParens:
                bytes.removeAll { ($0 == UInt8(ascii: "(") || $0 == UInt8(ascii: ")")) && generator.next() % 3 == 0 }
            case .insertParens:
                let count = Int(generator.next() % 200)
                bytes.insert(contentsOf: [UInt8](repeating: UInt8(ascii: "("), count: count), at: position)
            case .randomBytes:
                let count = Int(generator.next() % 32)
                bytes.insert(contentsOf: (0..<count).map { _ in UInt8(truncatingIfNeeded: generator.next()) }, at: position)
            case .duplicateSlice:
                let length = Int(generator.next() % 64)
                let end = min(bytes.count, position + length)
                bytes.insert(contentsOf: bytes[position..<end], at: position)
            case .swapCRLF:
                if let index = bytes[position...].firstIndex(of: 0x0D) { bytes.remove(at: index) }
            case .insertNUL:
                bytes.insert(0, at: position)
            }
        }
        return bytes
    }

    /// Feeds `input` in random chunks; returns how many frames parsed and how many failed.
    @discardableResult
    static func run(_ input: [UInt8], using generator: inout SplitMix64, context: String) -> (Int, Int) {
        var framer = ResponseFramer(limits: limits)
        var parsed = 0
        var failed = 0
        var start = 0
        let bound = limits.maxLineLength + limits.maxLiteralSize + 4096
        streaming: while start < input.count {
            let end = min(input.count, start + Int(generator.next() % 512) + 1)
            framer.append(input[start..<end])
            start = end
            while true {
                let frame: [UInt8]?
                do { frame = try framer.nextFrame() } catch {
                    #expect(error.excerpt.count <= IMAPProtocolError.maxExcerptLength, "\(context)")
                    failed += 1
                    break streaming
                }
                guard let frame else { break }
                do {
                    _ = try ResponseParser.parse(frame, limits: limits)
                    parsed += 1
                } catch {
                    #expect(error.offset >= 0 && error.offset <= frame.count, "\(context)")
                    failed += 1
                }
            }
            #expect(framer.bufferedByteCount <= bound, "\(context): buffered \(framer.bufferedByteCount)")
            #expect(framer.reservedByteCount <= 2 * bound + 4096, "\(context): reserved \(framer.reservedByteCount)")
        }
        return (parsed, failed)
    }

    @Test("mutated real responses")
    func mutated() {
        let seed: UInt64 = 0x7E57_2024
        var generator = SplitMix64(seed: seed)
        var totals = (0, 0)
        for iteration in 0..<6000 {
            let base = Self.corpus[Int(generator.next() % UInt64(Self.corpus.count))]
            let input = Self.mutate(base, using: &generator)
            let (parsed, failed) = Self.run(input, using: &generator, context: "seed \(seed) iteration \(iteration)")
            totals.0 += parsed
            totals.1 += failed
        }
        // Both paths must really be exercised.
        #expect(totals.0 > 1000 && totals.1 > 500, "parsed \(totals.0), failed \(totals.1)")
    }

    @Test("random bytes and random token soup")
    func random() {
        let seed: UInt64 = 0xF00D
        var generator = SplitMix64(seed: seed)
        let tokens = ["* ", "+ ", "a1 ", "OK ", "FETCH ", "(", ")", "[", "]", "{3}\r\n", "\"", "\\", " ", "NIL",
                      "\r\n", "BODY[", "UID ", "1", "*", ":", ",", "~{2}\r\n", "LIST ", "STATUS ", "ESEARCH ", "<0>"]
        for iteration in 0..<4000 {
            var input: [UInt8] = []
            let length = Int(generator.next() % 60)
            if iteration % 2 == 0 {
                input = (0..<length * 4).map { _ in UInt8(truncatingIfNeeded: generator.next()) }
            } else {
                for _ in 0..<length { input += wire(tokens[Int(generator.next() % UInt64(tokens.count))]) }
            }
            Self.run(input, using: &generator, context: "seed \(seed) iteration \(iteration)")
            // The parser alone, on unframed input, must also never trap.
            _ = try? ResponseParser.parse(input, limits: Self.limits)
        }
    }

    @Test("an endless line and an endless literal stay within the limits")
    func endless() {
        var generator = SplitMix64(seed: 1)
        let line = [UInt8](repeating: UInt8(ascii: "x"), count: Self.limits.maxLineLength * 2)
        let (_, lineFailures) = Self.run(wire("* OK ") + line, using: &generator, context: "endless line")
        #expect(lineFailures == 1)
        let literal = wire("* 1 FETCH (BODY[] {99999999}\r\n") + [UInt8](repeating: 0x41, count: 1000)
        let (_, literalFailures) = Self.run(literal, using: &generator, context: "endless literal")
        #expect(literalFailures == 1)
    }
}
