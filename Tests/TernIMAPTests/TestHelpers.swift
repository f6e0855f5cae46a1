@testable import TernIMAP

/// The UTF-8 bytes of `text` (write CRLF explicitly as `\r\n`).
func wire(_ text: String) -> [UInt8] { Array(text.utf8) }

/// Frames `input` in one piece and parses every frame.
func parseAll(_ input: [UInt8], limits: IMAPLimits = .default) throws(IMAPProtocolError) -> [Response] {
    var framer = ResponseFramer(limits: limits)
    framer.append(input)
    var responses: [Response] = []
    while let frame = try framer.nextFrame() {
        responses.append(try ResponseParser.parse(frame, limits: limits))
    }
    return responses
}

/// Parses exactly one response from `text`.
func parseOne(_ text: String) throws(IMAPProtocolError) -> Response {
    try ResponseParser.parse(wire(text))
}

/// Untagged shorthand.
func untagged(_ text: String) throws(IMAPProtocolError) -> UntaggedResponse? {
    guard case .untagged(let response) = try parseOne(text) else { return nil }
    return response
}

/// A small deterministic PRNG (SplitMix64) so fuzz failures reproduce from the seed.
struct SplitMix64: RandomNumberGenerator {
    var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
