import CZlib

/// The receiving half of COMPRESS=DEFLATE (RFC 4978 §4): inflates the server's raw DEFLATE
/// stream (`windowBits` -15) incrementally, whatever the chunk boundaries.
///
/// ``feed(_:)`` takes the bytes one transport read delivered; ``next(limit:)`` then hands out
/// at most `limit` inflated bytes per call, and an empty array once everything fed so far is
/// inflated. Memory is bounded: zlib's 32 KiB window and state, the not-yet-inflated input of
/// one read, and one `limit`-sized output chunk. A small compressed input that inflates to a
/// huge output (a "zip bomb") comes out in `limit`-sized chunks, each checked by the response
/// framer's limits before the next is made.
///
/// Not thread-safe: one owner (the connection actor) at a time.
final class Inflater {
    private let stream: UnsafeMutablePointer<z_stream>
    private var pending: [UInt8] = []
    private var scratch: [UInt8] = []
    private var pendingOffset = 0
    private var ended = false
    /// Bytes taken in and handed out so far.
    private(set) var totalIn = 0
    private(set) var totalOut = 0

    init() throws(CompressionError) {
        stream = .allocate(capacity: 1)
        stream.initialize(to: z_stream())
        let status = tern_inflateInit2(stream, -15)
        guard status == Z_OK else {
            stream.deallocate()
            throw CompressionError(.setup, "cannot start DEFLATE decompression (zlib status \(status))")
        }
    }

    deinit {
        inflateEnd(stream)
        stream.deallocate()
    }

    /// Compressed bytes not yet taken by zlib.
    var pendingInputCount: Int { pending.count - pendingOffset }

    /// Adds compressed bytes received from the peer.
    func feed<C: Collection<UInt8>>(_ bytes: C) {
        guard !bytes.isEmpty else { return }
        if pendingOffset == pending.count {
            pending.removeAll(keepingCapacity: pending.capacity <= 1 << 20)
            pendingOffset = 0
        }
        pending.append(contentsOf: bytes)
    }

    /// The next inflated bytes, at most `limit`; empty when the input fed so far is used up.
    func next(limit: Int = 256 * 1024) throws(CompressionError) -> [UInt8] {
        precondition(limit > 0)
        if ended {
            guard pendingInputCount == 0 else {
                throw CompressionError(.dataAfterEnd,
                    "the server ended its compressed stream and sent \(pendingInputCount) more bytes")
            }
            return []
        }
        if scratch.count < limit { scratch = [UInt8](repeating: 0, count: limit) }
        var status = Z_OK
        var consumed = 0
        let produced = pending.withUnsafeBufferPointer { source -> Int in
            scratch.withUnsafeMutableBufferPointer { whole -> Int in
                let target = UnsafeMutableBufferPointer(rebasing: whole[0..<limit])
                let available = source.count - pendingOffset
                stream.pointee.next_in = available > 0
                    ? UnsafeMutablePointer(mutating: source.baseAddress! + pendingOffset) : nil
                stream.pointee.avail_in = UInt32(available)
                stream.pointee.next_out = target.baseAddress
                stream.pointee.avail_out = UInt32(target.count)
                status = inflate(stream, Z_SYNC_FLUSH)
                consumed = available - Int(stream.pointee.avail_in)
                stream.pointee.next_in = nil
                stream.pointee.avail_in = 0
                return target.count - Int(stream.pointee.avail_out)
            }
        }
        pendingOffset += consumed
        totalIn += consumed
        totalOut += produced
        switch status {
        case Z_OK, Z_BUF_ERROR:
            // Z_BUF_ERROR: no progress possible — all input used, or none given. Wait for more.
            break
        case Z_STREAM_END:
            ended = true
            if pendingInputCount > 0 {
                throw CompressionError(.dataAfterEnd,
                    "the server ended its compressed stream and sent \(pendingInputCount) more bytes")
            }
        case Z_MEM_ERROR:
            throw CompressionError(.memory, "out of memory while inflating the server's compressed stream")
        default:
            let reason = stream.pointee.msg.map { String(cString: $0) } ?? "zlib status \(status)"
            throw CompressionError(.corruptInput, "the server's compressed stream is corrupt: \(reason)")
        }
        return Array(scratch[0..<produced])
    }
}
