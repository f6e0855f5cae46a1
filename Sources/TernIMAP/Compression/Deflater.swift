import CZlib

/// The sending half of COMPRESS=DEFLATE (RFC 4978 §4): raw DEFLATE (RFC 1951, no zlib or gzip
/// wrapper, so `windowBits` is -15), one stream for the rest of the connection.
///
/// Feed the bytes of a command with ``compress(_:flush:)``; the call that ends a write batch
/// (a whole command, or the line before a synchronizing literal's `+`) passes `flush: true`,
/// which ends the output with a `Z_SYNC_FLUSH` so the server can inflate everything sent so
/// far. Without it zlib may hold bytes back and the server would wait for a command it never
/// sees whole.
///
/// Memory: zlib's state (about 256 KiB at `memLevel` 8) plus what one call returns. Callers
/// hand it at most ``inputChunk`` bytes at a time, so one call's output stays near that size
/// however big the message being sent.
///
/// Not thread-safe: one owner (the connection actor) at a time.
final class Deflater {
    /// Largest input the connection passes to one ``compress(_:flush:)`` call.
    static let inputChunk = 64 * 1024
    /// Output space zlib gets per step; a step that fills it is followed by another.
    private static let outputStep = 32 * 1024

    private let stream: UnsafeMutablePointer<z_stream>
    private var step = [UInt8](repeating: 0, count: outputStep)
    /// Bytes fed in and handed out so far (for the probe's and the tests' ratio).
    private(set) var totalIn = 0
    private(set) var totalOut = 0

    /// `level` 1 (fastest) … 9 (smallest); Tern uses 1 by default: mail bodies are mostly
    /// base64 and compressed attachments, where higher levels cost CPU and save little.
    init(level: Int32 = 1) throws(CompressionError) {
        stream = .allocate(capacity: 1)
        stream.initialize(to: z_stream())
        // memLevel 8 is zlib's default; windowBits -15: raw DEFLATE with a 32 KiB window.
        let status = tern_deflateInit2(stream, level, -15, 8)
        guard status == Z_OK else {
            stream.deallocate()
            throw CompressionError(.setup, "cannot start DEFLATE compression (zlib status \(status))")
        }
    }

    deinit {
        deflateEnd(stream)
        stream.deallocate()
    }

    /// Compresses `input` and returns the bytes to send now (possibly none, until a flush).
    /// With `flush`, everything given so far is in the output, ending on a byte boundary.
    func compress(_ input: ArraySlice<UInt8>, flush: Bool) throws(CompressionError) -> [UInt8] {
        precondition(input.count <= UInt32.max, "feed the deflater in chunks")
        var output: [UInt8] = []
        let mode = flush ? Z_SYNC_FLUSH : Z_NO_FLUSH
        var failure: Int32?
        input.withUnsafeBufferPointer { source in
            stream.pointee.next_in = UnsafeMutablePointer(mutating: source.baseAddress)
            stream.pointee.avail_in = UInt32(source.count)
            while true {
                var status = Z_OK
                let produced = step.withUnsafeMutableBufferPointer { target -> Int in
                    stream.pointee.next_out = target.baseAddress
                    stream.pointee.avail_out = UInt32(target.count)
                    status = deflate(stream, mode)
                    return target.count - Int(stream.pointee.avail_out)
                }
                output.append(contentsOf: step[0..<produced])
                // Z_BUF_ERROR only says no progress was possible (nothing left to do): not fatal.
                if status == Z_BUF_ERROR { break }
                if status != Z_OK {
                    failure = status
                    break
                }
                // zlib's rule: a call that filled the output space may have more to give.
                if stream.pointee.avail_in == 0 && stream.pointee.avail_out > 0 { break }
            }
            stream.pointee.next_in = nil
            stream.pointee.avail_in = 0
        }
        if let failure {
            throw CompressionError(failure == Z_MEM_ERROR ? .memory : .setup,
                "DEFLATE compression failed (zlib status \(failure))")
        }
        totalIn += input.count
        totalOut += output.count
        return output
    }
}
