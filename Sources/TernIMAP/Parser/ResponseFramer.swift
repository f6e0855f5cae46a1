/// Splits the server's byte stream into complete responses, incrementally and I/O-free.
///
/// Feed whatever the transport delivered with ``append(_:)``, then call ``nextFrame()`` until
/// it returns nil ("need more bytes"). Each frame is one whole response: its line, every
/// literal announced with `{n}` / `{n+}` / `~{n}` at a line end and the line that follows it,
/// up to and including the final CRLF. Hand frames to ``ResponseParser/parse(_:)``.
///
/// Cost: every byte is examined once. Scanning resumes where it stopped, and literal bytes are
/// skipped by count, never scanned, so a 50 MB message arriving in 64 KB chunks costs O(n).
/// Literal bytes are copied once, from ``append(_:)`` into the buffer; a frame that fills the
/// buffer is handed out without another copy. The buffer grows only as bytes arrive (doubling,
/// but never past the end the current literal announced), so a lying `{n}` reserves nothing.
///
/// Strict framing: lines must end in CRLF. A bare LF, or a NUL outside a literal, is an
/// ``IMAPProtocolError`` of kind `.framing`: RFC 9051 §2.2 requires CRLF, every server Tern
/// meets sends it, and guessing at line ends is how literal boundaries get misread. After an
/// error the framer stays failed (every call rethrows it); the connection must be dropped.
public struct ResponseFramer: Sendable {
    public let limits: IMAPLimits

    private var buffer: [UInt8] = []
    /// Where the current (incomplete) response starts in ``buffer``.
    private var frameStart = 0
    /// Next byte to examine.
    private var scanIndex = 0
    /// Start of the current line segment (after the last literal).
    private var segmentStart = 0
    /// Literal bytes still to skip; 0 while scanning a line.
    private var literalRemaining = 0
    /// Non-literal bytes of the current response so far.
    private var lineBytes = 0
    private var literalCount = 0
    private var failure: IMAPProtocolError?

    public init(limits: IMAPLimits = .default) {
        self.limits = limits
    }

    /// Bytes held: the incomplete response plus anything received after it.
    public var bufferedByteCount: Int { buffer.count - frameStart }

    /// Bytes of memory reserved by the buffer (its capacity), for memory-bound checks.
    public var reservedByteCount: Int { buffer.capacity }

    /// True while the framer is inside a literal (useful for progress reporting).
    public var isInLiteral: Bool { literalRemaining > 0 }

    /// Adds bytes received from the server.
    public mutating func append<C: Collection<UInt8>>(_ bytes: C) {
        guard failure == nil, !bytes.isEmpty else { return }
        let needed = buffer.count + bytes.count
        if needed > buffer.capacity {
            var target = Swift.max(needed, buffer.capacity * 2)
            if literalRemaining > 0 {
                // The announced literal end plus room for the usual `)\r\n` after it: never
                // reserve beyond it in one go, so the final buffer hugs the frame.
                let literalEnd = scanIndex + literalRemaining + 64
                if needed <= literalEnd {
                    // Once a megabyte of this response has really arrived, take a big literal's
                    // announced size at its word (up to 256 MiB): one allocation, instead of
                    // doubling, whose last step holds old and new buffers (~1.7× the message).
                    let arrived = buffer.count - frameStart
                    let whole = literalEnd - frameStart
                    target = arrived >= 1 << 20 && whole <= 256 << 20 ? literalEnd : Swift.min(target, literalEnd)
                }
            }
            buffer.reserveCapacity(target)
        }
        buffer.append(contentsOf: bytes)
    }

    /// The next complete response, or nil when more bytes are needed.
    public mutating func nextFrame() throws(IMAPProtocolError) -> [UInt8]? {
        if let failure { throw failure }
        do {
            return try scan()
        } catch {
            failure = error
            throw error
        }
    }

    private mutating func scan() throws(IMAPProtocolError) -> [UInt8]? {
        while scanIndex < buffer.count {
            if literalRemaining > 0 {
                let take = Swift.min(literalRemaining, buffer.count - scanIndex)
                scanIndex += take
                literalRemaining -= take
                if literalRemaining > 0 { break }
                segmentStart = scanIndex
                continue
            }
            guard let lineFeed = try findLineFeed() else { break }
            scanIndex = lineFeed + 1
            if let length = try literalLength(lineFeed: lineFeed) {
                literalCount += 1
                guard literalCount <= limits.maxLiteralsPerResponse else {
                    throw fail(.limitExceeded, "more than \(limits.maxLiteralsPerResponse) literals in one response",
                               at: lineFeed)
                }
                literalRemaining = length
                segmentStart = scanIndex
                continue
            }
            return takeFrame(end: scanIndex)
        }
        compact()
        return nil
    }

    /// Scans the line from ``scanIndex`` for LF, enforcing CRLF, no NUL and the line limit.
    private mutating func findLineFeed() throws(IMAPProtocolError) -> Int? {
        let end = buffer.count
        let budget = limits.maxLineLength - lineBytes
        let stop = Swift.min(end, scanIndex + Swift.max(budget, 0) + 1)
        var found: Int?
        var nulAt: Int?
        buffer.withUnsafeBufferPointer { raw in
            var index = scanIndex
            while index < stop {
                let byte = raw[index]
                if byte == 0x0A { found = index; return }
                if byte == 0x00 { nulAt = index; return }
                index += 1
            }
        }
        if let nulAt { throw fail(.framing, "NUL byte outside a literal", at: nulAt) }
        guard let lineFeed = found else {
            lineBytes += stop - scanIndex
            scanIndex = stop
            if lineBytes > limits.maxLineLength {
                throw fail(.limitExceeded, "response line longer than \(limits.maxLineLength) bytes", at: stop - 1)
            }
            return nil
        }
        lineBytes += lineFeed + 1 - scanIndex
        if lineBytes > limits.maxLineLength + 1 {
            throw fail(.limitExceeded, "response line longer than \(limits.maxLineLength) bytes", at: lineFeed)
        }
        guard lineFeed > segmentStart, buffer[lineFeed - 1] == 0x0D else {
            throw fail(.framing, "line ends in a bare LF (CRLF required)", at: lineFeed)
        }
        return lineFeed
    }

    /// `literal = "{" number64 ["+"] "}" CRLF` at the end of the segment ending at `lineFeed`:
    /// its announced length, or nil when the line does not end in a literal announcement.
    private func literalLength(lineFeed: Int) throws(IMAPProtocolError) -> Int? {
        var index = lineFeed - 2  // byte before CR
        guard index > segmentStart, buffer[index] == UInt8(ascii: "}") else { return nil }
        index -= 1
        if index >= segmentStart, buffer[index] == UInt8(ascii: "+") { index -= 1 }
        let lastDigit = index
        while index >= segmentStart, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(buffer[index]) {
            index -= 1
            if lastDigit - index > 20 {
                throw fail(.literal, "literal length has too many digits", at: index)
            }
        }
        guard index >= segmentStart, index < lastDigit, buffer[index] == UInt8(ascii: "{") else { return nil }
        var value = 0
        for digit in buffer[(index + 1)...lastDigit] {
            let (times, overflow1) = value.multipliedReportingOverflow(by: 10)
            let (sum, overflow2) = times.addingReportingOverflow(Int(digit - UInt8(ascii: "0")))
            guard !overflow1, !overflow2, sum <= limits.maxLiteralSize else {
                throw fail(.literal, "literal larger than the \(limits.maxLiteralSize)-byte limit", at: index)
            }
            value = sum
        }
        return value
    }

    /// Hands out `frameStart..<end` and resets per-frame state.
    private mutating func takeFrame(end: Int) -> [UInt8] {
        let frame: [UInt8]
        let remainder = buffer.count - end
        if frameStart == 0 && remainder == 0 {
            frame = buffer
            buffer = []
        } else if frameStart == 0 && end >= 65_536 && remainder <= end / 8 {
            // A big frame with a little of the next response behind it: move the little part.
            let rest = Array(buffer[end...])
            buffer.removeLast(remainder)
            frame = buffer
            buffer = rest
        } else {
            frame = Array(buffer[frameStart..<end])
            frameStart = end
            if frameStart < buffer.count { return finishFrame(frame) }
            if buffer.capacity > 1 << 20 {
                buffer = []
            } else {
                buffer.removeAll(keepingCapacity: true)
            }
        }
        frameStart = 0
        return finishFrame(frame)
    }

    /// Hands out the bytes received after the last complete response and empties the buffer.
    ///
    /// For a change of layer mid-stream: after the OK to `COMPRESS DEFLATE` (RFC 4978) every
    /// further byte is compressed, including any that arrived with the OK. Call it only right
    /// after ``nextFrame()`` returned a frame, when no response is partly scanned.
    public mutating func takeUnframedBytes() -> [UInt8] {
        precondition(failure == nil && scanIndex == frameStart && literalRemaining == 0,
            "takeUnframedBytes between responses only")
        let rest = Array(buffer[frameStart...])
        buffer = []
        frameStart = 0
        _ = finishFrame([])
        return rest
    }

    private mutating func finishFrame(_ frame: [UInt8]) -> [UInt8] {
        scanIndex = frameStart
        segmentStart = frameStart
        lineBytes = 0
        literalCount = 0
        return frame
    }

    /// Drops consumed bytes before waiting for more, so the buffer holds one response at most.
    private mutating func compact() {
        guard frameStart > 0 else { return }
        buffer.removeSubrange(0..<frameStart)
        scanIndex -= frameStart
        segmentStart -= frameStart
        frameStart = 0
    }

    private func fail(_ kind: IMAPProtocolError.Kind, _ message: String, at index: Int) -> IMAPProtocolError {
        IMAPProtocolError(
            kind, message, offset: index - frameStart, excerpt: IMAPProtocolError.excerpt(of: buffer, around: index))
    }
}
