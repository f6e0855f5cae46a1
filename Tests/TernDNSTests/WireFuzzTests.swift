import Testing
@testable import TernDNS

/// Random and mutated packets must produce a value or a typed `DNSError`, never a crash or hang.
struct WireFuzzTests {
    @Test func randomBytesNeverCrash() {
        var rng = SplitMix64(seed: 0x7E57)
        for _ in 0..<20_000 {
            let length = Int.random(in: 0...300, using: &rng)
            let bytes = (0..<length).map { _ in UInt8.random(in: 0...255, using: &rng) }
            _ = try? DNSMessage.decode(bytes)
        }
    }

    @Test func mutatedCapturesNeverCrash() throws {
        let seeds = try WireCaptureTests.captures().flatMap { [hexBytes($0.query_hex), hexBytes($0.response_hex)] }
        var rng = SplitMix64(seed: 0xD15C0)
        var decoded = 0
        for round in 0..<30_000 {
            var bytes = seeds[round % seeds.count]
            switch Int.random(in: 0..<4, using: &rng) {
            case 0: // flip a few bytes
                for _ in 0..<Int.random(in: 1...4, using: &rng) where !bytes.isEmpty {
                    bytes[Int.random(in: 0..<bytes.count, using: &rng)] = UInt8.random(in: 0...255, using: &rng)
                }
            case 1: // truncate
                bytes = Array(bytes.prefix(Int.random(in: 0...bytes.count, using: &rng)))
            case 2: // turn a byte into a compression pointer to a random place
                if bytes.count > 13 {
                    let at = Int.random(in: 12..<bytes.count - 1, using: &rng)
                    bytes[at] = 0xC0 | UInt8.random(in: 0...0x3F, using: &rng)
                    bytes[at + 1] = UInt8.random(in: 0...255, using: &rng)
                }
            default: // bogus counts
                if bytes.count > 12 {
                    bytes[4 + 2 * Int.random(in: 0..<4, using: &rng)] = UInt8.random(in: 0...255, using: &rng)
                    bytes[5 + 2 * Int.random(in: 0..<4, using: &rng)] = UInt8.random(in: 0...255, using: &rng)
                }
            }
            do {
                _ = try DNSMessage.decode(bytes)
                decoded += 1
            } catch is DNSError {
            } catch {
                Issue.record("untyped error \(error)")
            }
        }
        #expect(decoded > 0)
    }

    /// A message header + a question whose name is `name` (raw wire bytes).
    static func packet(name: [UInt8], extra: [UInt8] = []) -> [UInt8] {
        [0x12, 0x34, 0x81, 0x80, 0, 1, 0, 0, 0, 0, 0, 0] + name + [0, 1, 0, 1] + extra
    }

    @Test func selfPointerIsACompressionLoop() {
        // Name at offset 12 pointing to itself.
        #expect(throws: DNSError(.compressionLoop, "")) { try Self.decodeCode(Self.packet(name: [0xC0, 12])) }
        // A label followed by a pointer back to that label: loop.
        #expect(throws: DNSError(.compressionLoop, "")) { try Self.decodeCode(Self.packet(name: [1, 0x61, 0xC0, 12])) }
        // Forward pointer.
        #expect(throws: DNSError(.compressionLoop, "")) { try Self.decodeCode(Self.packet(name: [0xC0, 40])) }
    }

    @Test func overlongLabelAndNameAreRejected() {
        // A length octet of 64 has the 0x40 bit set: a reserved label type.
        #expect(throws: DNSError(.badLabelType, "")) { try Self.decodeCode(Self.packet(name: [64] + Array(repeating: 0x61, count: 64) + [0])) }
        var long: [UInt8] = []
        for _ in 0..<5 { long += [63] + Array(repeating: 0x61, count: 63) }
        #expect(throws: DNSError(.nameTooLong, "")) { try Self.decodeCode(Self.packet(name: long + [0])) }
        #expect(throws: DNSError.self) { try DNSName(String(repeating: "a", count: 64) + ".example") }
        #expect(throws: DNSError.self) { try DNSName(Array(repeating: String(repeating: "a", count: 60), count: 5).joined(separator: ".")) }
    }

    @Test func bogusLengthsAreTyped() {
        // Question count 1 but nothing after the header.
        #expect(throws: DNSError(.tooManyRecords, "")) { try Self.decodeCode([0, 1, 0x81, 0, 0, 1, 0, 0, 0, 0, 0, 0]) }
        // An answer whose RDLENGTH runs past the end.
        let answer: [UInt8] = [0xC0, 12, 0, 1, 0, 1, 0, 0, 0, 60, 0xFF, 0xFF, 1, 2, 3, 4]
        var packet = Self.packet(name: [1, 0x61, 0], extra: answer)
        packet[7] = 1
        #expect(throws: DNSError(.truncatedMessage, "")) { try Self.decodeCode(packet) }
        // An A record with 3 octets.
        packet = Self.packet(name: [1, 0x61, 0], extra: [0xC0, 12, 0, 1, 0, 1, 0, 0, 0, 60, 0, 3, 1, 2, 3])
        packet[7] = 1
        #expect(throws: DNSError(.badRecordData, "")) { try Self.decodeCode(packet) }
        #expect(throws: DNSError(.truncatedMessage, "")) { try Self.decodeCode([0x12]) }
    }

    /// Decodes and rethrows with only the code, so tests can compare codes.
    static func decodeCode(_ bytes: [UInt8]) throws {
        do { _ = try DNSMessage.decode(bytes) } catch let error as DNSError { throw DNSError(error.code, "") }
    }
}
