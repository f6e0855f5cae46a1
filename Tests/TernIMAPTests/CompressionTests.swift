import Testing
@testable import TernIMAP

/// The zlib wrappers behind COMPRESS=DEFLATE (RFC 4978), without a server.
@Suite("DEFLATE wrappers")
struct CompressionTests {
    /// Mail-like bytes: printable, partly repetitive (headers), partly random (base64 bodies).
    static func mailLike(_ count: Int, seed: UInt64) -> [UInt8] {
        var generator = SplitMix64(seed: seed)
        var bytes: [UInt8] = []
        bytes.reserveCapacity(count)
        let header = wire("Received: from mx.example.com by imap.example.com; Mon, 3 Jun 2024 10:00:00 +0000\r\n")
        while bytes.count < count {
            if generator.next() % 3 == 0 {
                bytes.append(contentsOf: header)
            } else {
                for _ in 0..<76 { bytes.append(UInt8(0x41 + generator.next() % 26)) }
                bytes.append(contentsOf: [13, 10])
            }
        }
        return Array(bytes.prefix(count))
    }

    /// Inflates everything fed so far, in steps of at most `limit` bytes.
    static func drain(_ inflater: Inflater, limit: Int = 256 * 1024) throws -> [UInt8] {
        var out: [UInt8] = []
        while true {
            let chunk = try inflater.next(limit: limit)
            #expect(chunk.count <= limit)
            if chunk.isEmpty { return out }
            out += chunk
        }
    }

    @Test("round trip of a 3 MB message, fed in 64 KB chunks as the connection does")
    func roundTrip() throws {
        let message = Self.mailLike(3 * 1024 * 1024, seed: 1)
        let deflater = try Deflater()
        var compressed: [UInt8] = []
        var start = 0
        while start < message.count {
            let end = min(start + Deflater.inputChunk, message.count)
            compressed += try deflater.compress(message[start..<end], flush: end == message.count)
            start = end
        }
        #expect(compressed.count < message.count * 3 / 4, "mail-like text should shrink: \(compressed.count)")
        #expect(deflater.totalIn == message.count)
        #expect(deflater.totalOut == compressed.count)
        let inflater = try Inflater()
        inflater.feed(compressed)
        #expect(try Self.drain(inflater) == message)
        #expect(inflater.pendingInputCount == 0)
    }

    @Test("inflating across arbitrary chunk boundaries gives the same bytes", arguments: [1, 2, 7, 100, 4096, 65_537])
    func arbitraryChunks(maxChunk: Int) throws {
        // Several commands, each flushed, as a connection writes them.
        let commands = (0..<40).map { Self.mailLike(100 + $0 * 997, seed: UInt64($0)) }
        let deflater = try Deflater()
        var compressed: [UInt8] = []
        for command in commands { compressed += try deflater.compress(command[...], flush: true) }
        var generator = SplitMix64(seed: UInt64(maxChunk))
        let inflater = try Inflater()
        var out: [UInt8] = []
        var start = 0
        while start < compressed.count {
            let end = min(start + 1 + Int(generator.next() % UInt64(maxChunk)), compressed.count)
            inflater.feed(compressed[start..<end])
            out += try Self.drain(inflater, limit: 1 + Int(generator.next() % 5000))
            start = end
        }
        #expect(out == commands.flatMap { $0 })
    }

    @Test("a sync flush makes everything written so far readable, and ends on the 00 00 FF FF marker")
    func syncFlushBoundaries() throws {
        let deflater = try Deflater()
        let inflater = try Inflater()
        var sent: [UInt8] = []
        for index in 1...20 {
            let command = wire("t\(index) UID FETCH \(index):* (FLAGS INTERNALDATE RFC822.SIZE)\r\n")
            // Without a flush zlib holds small input back: the server would wait for the command.
            let held = try deflater.compress(command[...], flush: false)
            #expect(held.isEmpty)
            let flushed = try deflater.compress([][...], flush: true)
            #expect(Array(flushed.suffix(4)) == [0, 0, 0xFF, 0xFF])
            sent += command
            inflater.feed(held + flushed)
            #expect(try Self.drain(inflater) == command, "command \(index) must inflate whole at its flush")
        }
        #expect(deflater.totalIn == sent.count)
    }

    @Test("inflates a stream another DEFLATE implementation wrote (Python's zlib, wbits -15)")
    func inflatesAForeignStream() throws {
        let greeting: [UInt8] = [
            210, 82, 240, 247, 86, 136, 118, 118, 12, 112, 116, 242, 244, 241, 12, 137, 84, 240, 244, 117, 12, 48,
            41, 74, 45, 51, 140, 85, 40, 74, 77, 76, 169, 228, 229, 2, 0, 0, 0, 255, 255,
        ]
        let completion: [UInt8] = [42, 49, 4, 169, 73, 201, 207, 75, 229, 229, 2, 0, 0, 0, 255, 255]
        let inflater = try Inflater()
        inflater.feed(greeting)
        #expect(try Self.drain(inflater) == wire("* OK [CAPABILITY IMAP4rev1] ready\r\n"))
        inflater.feed(completion)
        #expect(try Self.drain(inflater) == wire("t1 OK done\r\n"))
    }

    @Test("corrupt input is a typed error, and stays one")
    func corruptInput() throws {
        let inflater = try Inflater()
        // 0xFF: a final block of type 3, which RFC 1951 reserves.
        inflater.feed([0xFF, 0xFF, 0xFF, 0xFF])
        #expect(throws: CompressionError.self) { try Self.drain(inflater) }
        do {
            _ = try inflater.next()
            Issue.record("a corrupt stream must keep failing")
        } catch {
            #expect(error.code == .corruptInput)
            #expect(error.message.contains("corrupt"))
        }
    }

    @Test("garbage after valid data fails at the garbage, not before")
    func corruptionAfterGoodData() throws {
        let deflater = try Deflater()
        let good = try deflater.compress(wire("t1 OK fine\r\n")[...], flush: true)
        let inflater = try Inflater()
        inflater.feed(good)
        #expect(try Self.drain(inflater) == wire("t1 OK fine\r\n"))
        inflater.feed([0xFF, 0xFF, 0xFF])
        let error = #expect(throws: CompressionError.self) { try Self.drain(inflater) }
        #expect(error?.code == .corruptInput)
    }

    @Test("bytes after the end of the peer's stream are an error")
    func dataAfterEnd() throws {
        let inflater = try Inflater()
        // 0x03 0x00: a final, empty fixed-Huffman block — the stream's end.
        inflater.feed([0x03, 0x00, 0x41])
        let error = #expect(throws: CompressionError.self) { try Self.drain(inflater) }
        #expect(error?.code == .dataAfterEnd)
    }

    @Test("a small input that inflates hugely comes out in bounded steps")
    func boundedOutput() throws {
        let zeros = [UInt8](repeating: 0x20, count: 20 * 1024 * 1024)
        let deflater = try Deflater()
        var compressed: [UInt8] = []
        var start = 0
        while start < zeros.count {
            let end = min(start + Deflater.inputChunk, zeros.count)
            compressed += try deflater.compress(zeros[start..<end], flush: end == zeros.count)
            start = end
        }
        #expect(compressed.count < 200 * 1024)
        let inflater = try Inflater()
        inflater.feed(compressed)
        var total = 0
        var steps = 0
        while true {
            let chunk = try inflater.next(limit: 64 * 1024)
            #expect(chunk.count <= 64 * 1024)
            if chunk.isEmpty { break }
            total += chunk.count
            steps += 1
        }
        #expect(total == zeros.count)
        #expect(steps >= zeros.count / (64 * 1024))
    }

    @Test("the framer hands back the bytes behind the OK to COMPRESS")
    func framerHandsBackTheRest() throws {
        var framer = ResponseFramer()
        framer.append(wire("* OK x\r\nt2 OK Begin compression\r\n") + [0x03, 0x00, 0x41])
        #expect(try framer.nextFrame() == wire("* OK x\r\n"))
        #expect(try framer.nextFrame() == wire("t2 OK Begin compression\r\n"))
        #expect(framer.takeUnframedBytes() == [0x03, 0x00, 0x41])
        #expect(framer.bufferedByteCount == 0)
        framer.append(wire("t3 OK next\r\n"))
        #expect(try framer.nextFrame() == wire("t3 OK next\r\n"))
    }
}
