/// Modified UTF-7, the mailbox-name encoding of IMAP4rev1 (RFC 3501 §5.1.3).
///
/// Printable ASCII other than `&` stands for itself, `&` is written `&-`, and every other run
/// of characters is `&` + the UTF-16BE bytes in modified base64 (`,` for `/`, no padding) + `-`.
/// ``decode(_:)`` is strict: the encoding has exactly one valid spelling of each name, and a
/// name that decodes loosely could map two wire names onto one folder.
public enum ModifiedUTF7 {
    /// Why a string is not valid modified UTF-7.
    public enum DecodingError: Error, Sendable, Equatable {
        /// A character that must be shifted appears directly (control, 8-bit, non-ASCII).
        case invalidDirectCharacter(offset: Int)
        /// `&` without the closing `-`.
        case unterminatedShift(offset: Int)
        /// A byte outside the modified base64 alphabet inside `&…-`.
        case invalidBase64(offset: Int)
        /// The base64 run leaves non-zero or too many padding bits, or an odd byte count.
        case invalidPadding(offset: Int)
        /// A shifted run encodes printable ASCII, which must be written directly.
        case unnecessaryShift(offset: Int)
        /// A lone or reversed UTF-16 surrogate.
        case invalidUTF16(offset: Int)
    }

    private static let alphabet: [UInt8] = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+,".utf8)

    /// Encodes a mailbox name for the wire.
    public static func encode(_ name: String) -> String {
        var output: [UInt8] = []
        output.reserveCapacity(name.utf8.count)
        var pending: [UInt16] = []
        for scalar in name.unicodeScalars {
            if (0x20...0x7E).contains(scalar.value) {
                flush(&pending, into: &output)
                output.append(UInt8(scalar.value))
                if scalar == "&" { output.append(UInt8(ascii: "-")) }
            } else {
                pending.append(contentsOf: String(scalar).utf16)
            }
        }
        flush(&pending, into: &output)
        return String(decoding: output, as: UTF8.self)
    }

    private static func flush(_ units: inout [UInt16], into output: inout [UInt8]) {
        guard !units.isEmpty else { return }
        output.append(UInt8(ascii: "&"))
        var bits: UInt32 = 0
        var bitCount = 0
        for unit in units {
            for byte in [UInt8(unit >> 8), UInt8(unit & 0xFF)] {
                bits = (bits << 8) | UInt32(byte)
                bitCount += 8
                while bitCount >= 6 {
                    bitCount -= 6
                    output.append(alphabet[Int((bits >> UInt32(bitCount)) & 0x3F)])
                }
            }
        }
        if bitCount > 0 {
            output.append(alphabet[Int((bits << UInt32(6 - bitCount)) & 0x3F)])
        }
        output.append(UInt8(ascii: "-"))
        units.removeAll(keepingCapacity: true)
    }

    private static func sextet(_ byte: UInt8) -> UInt32? {
        switch byte {
        case UInt8(ascii: "A")...UInt8(ascii: "Z"): UInt32(byte - UInt8(ascii: "A"))
        case UInt8(ascii: "a")...UInt8(ascii: "z"): UInt32(byte - UInt8(ascii: "a") + 26)
        case UInt8(ascii: "0")...UInt8(ascii: "9"): UInt32(byte - UInt8(ascii: "0") + 52)
        case UInt8(ascii: "+"): 62
        case UInt8(ascii: ","): 63
        default: nil
        }
    }

    /// Decodes a wire mailbox name; throws for anything that is not the one valid spelling.
    public static func decode(_ wire: String) throws(DecodingError) -> String {
        let bytes = Array(wire.utf8)
        var scalars = String.UnicodeScalarView()
        var index = 0
        while index < bytes.count {
            let byte = bytes[index]
            guard (0x20...0x7E).contains(byte) else { throw .invalidDirectCharacter(offset: index) }
            guard byte == UInt8(ascii: "&") else {
                scalars.append(Unicode.Scalar(byte))
                index += 1
                continue
            }
            let start = index
            index += 1
            guard let end = bytes[index...].firstIndex(of: UInt8(ascii: "-")) else {
                throw .unterminatedShift(offset: start)
            }
            if end == index {
                scalars.append("&")
                index = end + 1
                continue
            }
            let units = try decodeRun(bytes[index..<end], start: start)
            var iterator = units.makeIterator()
            var decoder = UTF16()
            decoding: while true {
                switch decoder.decode(&iterator) {
                case .scalarValue(let scalar):
                    if (0x20...0x7E).contains(scalar.value) { throw .unnecessaryShift(offset: start) }
                    scalars.append(scalar)
                case .emptyInput: break decoding
                case .error: throw .invalidUTF16(offset: start)
                }
            }
            index = end + 1
        }
        return String(scalars)
    }

    /// Decodes the modified base64 between `&` and `-` into UTF-16 code units.
    private static func decodeRun(_ run: ArraySlice<UInt8>, start: Int) throws(DecodingError) -> [UInt16] {
        var units: [UInt16] = []
        var bits: UInt32 = 0
        var bitCount = 0
        var highByte: UInt8?
        for (offset, byte) in zip(run.indices, run) {
            guard let value = sextet(byte) else { throw .invalidBase64(offset: offset) }
            bits = (bits << 6) | value
            bitCount += 6
            if bitCount >= 8 {
                bitCount -= 8
                let decoded = UInt8((bits >> UInt32(bitCount)) & 0xFF)
                if let high = highByte {
                    units.append(UInt16(high) << 8 | UInt16(decoded))
                    highByte = nil
                } else {
                    highByte = decoded
                }
            }
        }
        let leftover = bits & ((1 << UInt32(bitCount)) - 1)
        guard highByte == nil, bitCount < 6, leftover == 0 else { throw .invalidPadding(offset: start) }
        return units
    }
}
