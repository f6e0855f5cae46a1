import Foundation
import Testing
@testable import TernIMAP

@Suite("Large literals")
struct LargeLiteralTests {
    @Test("a 50 MB literal in 64 KB chunks arrives intact with a buffer of at most 1.1x the frame")
    func fiftyMegabytes() throws {
        let size = 50 * 1024 * 1024
        // A 64 KB block of printable pseudo-random bytes, repeated: mail-like and fast to build in debug.
        var generator = SplitMix64(seed: 50)
        let block = (0..<65_536).map { _ in UInt8(0x20 + generator.next() % 0x5E) }
        var message: [UInt8] = []
        message.reserveCapacity(size)
        while message.count < size { message.append(contentsOf: block.prefix(size - message.count)) }
        message.replaceSubrange(1000..<1008, with: wire("{12}\r\n\r\n"))
        let head = wire("* 7 FETCH (UID 42 BODY[] {\(size)}\r\n")
        let tail = wire(" FLAGS (\\Seen))\r\nt5 OK done\r\n")
        var framer = ResponseFramer()
        var frames: [[UInt8]] = []
        var peakReserved = 0
        var peakBuffered = 0
        func feed(_ bytes: ArraySlice<UInt8>) throws {
            var start = bytes.startIndex
            while start < bytes.endIndex {
                let end = min(start + 65_536, bytes.endIndex)
                framer.append(bytes[start..<end])
                start = end
                peakReserved = max(peakReserved, framer.reservedByteCount)
                peakBuffered = max(peakBuffered, framer.bufferedByteCount)
                while let frame = try framer.nextFrame() { frames.append(frame) }
            }
        }
        try feed(head[...])
        try feed(message[...])
        try feed(tail[...])
        #expect(frames.count == 2)
        let frameSize = head.count + size + 17
        #expect(frames.first?.count == frameSize)
        #expect(Double(peakReserved) <= 1.1 * Double(frameSize), "reserved \(peakReserved) for \(frameSize)")
        #expect(peakBuffered <= frameSize + 65_536)
        guard let frame = frames.first, case .untagged(.fetch(7, let attributes)) = try ResponseParser.parse(frame)
        else {
            Issue.record("not a FETCH")
            return
        }
        #expect(attributes.uid == 42)
        #expect(attributes.flags == [.seen])
        let body = try #require(attributes.body())
        #expect(body.count == size)
        let identical = body.withUnsafeBytes { bodyBytes in
            message.withUnsafeBytes { messageBytes in memcmp(bodyBytes.baseAddress!, messageBytes.baseAddress!, size) == 0 }
        }
        #expect(identical)
        // The slice shares the frame's storage: no second copy of the message.
        frame.withUnsafeBufferPointer { frameBuffer in
            body.withUnsafeBufferPointer { bodyBuffer in
                #expect(bodyBuffer.baseAddress == frameBuffer.baseAddress.map { $0 + head.count })
            }
        }
    }
}
