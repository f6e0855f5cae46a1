/// Punycode, RFC 3492: a Unicode string as the letters, digits and hyphens DNS labels allow.
/// IDNA (RFC 5891) puts `xn--` in front of the result to make an A-label.
///
/// Parameters are those of RFC 3492 §5; the code follows the pseudocode of §6.2 (decoding)
/// and §6.3 (encoding), with the bias adaptation of §6.1. Case annotation (§A) is ignored:
/// the encoder keeps the case of basic code points and writes digits in lower case.
public enum Punycode {
    static let base = 36
    static let tMin = 1
    static let tMax = 26
    static let skew = 38
    static let damp = 700
    static let initialBias = 72
    static let initialN = 0x80
    static let delimiter: Character = "-"

    public struct Failure: Error, Sendable, Equatable, CustomStringConvertible {
        public var message: String
        public var description: String { message }
    }

    /// RFC 3492 §6.1.
    static func adapt(delta: Int, numPoints: Int, firstTime: Bool) -> Int {
        var delta = firstTime ? delta / damp : delta / 2
        delta += delta / numPoints
        var k = 0
        while delta > ((base - tMin) * tMax) / 2 {
            delta /= base - tMin
            k += base
        }
        return k + (base - tMin + 1) * delta / (delta + skew)
    }

    static func digit(_ value: Int) -> Character {
        // 0..25 → a..z, 26..35 → 0..9 (§5).
        Character(Unicode.Scalar(UInt8(value < 26 ? value + 97 : value + 22)))
    }

    static func value(of scalar: Unicode.Scalar) -> Int? {
        switch scalar.value {
        case 0x30...0x39: Int(scalar.value) - 22
        case 0x41...0x5A: Int(scalar.value) - 0x41
        case 0x61...0x7A: Int(scalar.value) - 0x61
        default: nil
        }
    }

    static func threshold(_ k: Int, bias: Int) -> Int {
        k <= bias ? tMin : (k >= bias + tMax ? tMax : k - bias)
    }

    /// RFC 3492 §6.3. Fails only on overflow (inputs longer than any DNS label).
    public static func encode(_ input: String) throws(Failure) -> String {
        let scalars = input.unicodeScalars.map { Int($0.value) }
        var output = String(input.unicodeScalars.filter(\.isASCII).map(Character.init))
        let basicCount = output.unicodeScalars.count
        var handled = basicCount
        if basicCount > 0 { output.append(delimiter) }
        var n = initialN
        var delta = 0
        var bias = initialBias
        while handled < scalars.count {
            guard let m = scalars.filter({ $0 >= n }).min() else { break }
            let (product, overflow) = (m - n).multipliedReportingOverflow(by: handled + 1)
            guard !overflow, delta <= Int(Int32.max) - product else { throw Failure(message: "punycode overflow") }
            delta += product
            n = m
            for c in scalars {
                if c < n {
                    delta += 1
                    guard delta <= Int(Int32.max) else { throw Failure(message: "punycode overflow") }
                }
                if c == n {
                    var q = delta
                    var k = base
                    while true {
                        let t = threshold(k, bias: bias)
                        if q < t { break }
                        output.append(digit(t + (q - t) % (base - t)))
                        q = (q - t) / (base - t)
                        k += base
                    }
                    output.append(digit(q))
                    bias = adapt(delta: delta, numPoints: handled + 1, firstTime: handled == basicCount)
                    delta = 0
                    handled += 1
                }
            }
            delta += 1
            n += 1
        }
        return output
    }

    /// RFC 3492 §6.2. Fails on a non-basic code point before the last delimiter, a character
    /// that is not a digit, a truncated number, or overflow.
    public static func decode(_ input: String) throws(Failure) -> String {
        let scalars = Array(input.unicodeScalars)
        var output: [Int] = []
        var position = 0
        if let last = scalars.lastIndex(of: "-") {
            for scalar in scalars[..<last] {
                guard scalar.isASCII else { throw Failure(message: "non-basic code point before the delimiter") }
                output.append(Int(scalar.value))
            }
            position = last + 1
        }
        var n = initialN
        var i = 0
        var bias = initialBias
        while position < scalars.count {
            let oldI = i
            var w = 1
            var k = base
            while true {
                guard position < scalars.count else { throw Failure(message: "truncated punycode") }
                guard let d = value(of: scalars[position]) else {
                    throw Failure(message: "\"\(Character(scalars[position]))\" is not a punycode digit")
                }
                position += 1
                guard d <= (Int(Int32.max) - i) / w else { throw Failure(message: "punycode overflow") }
                i += d * w
                let t = threshold(k, bias: bias)
                if d < t { break }
                guard w <= Int(Int32.max) / (base - t) else { throw Failure(message: "punycode overflow") }
                w *= base - t
                k += base
            }
            bias = adapt(delta: i - oldI, numPoints: output.count + 1, firstTime: oldI == 0)
            guard i / (output.count + 1) <= Int(Int32.max) - n else { throw Failure(message: "punycode overflow") }
            n += i / (output.count + 1)
            i %= output.count + 1
            guard n >= initialN, let scalar = Unicode.Scalar(UInt32(n)) else {
                throw Failure(message: "punycode decodes to an invalid code point")
            }
            output.insert(Int(scalar.value), at: i)
            i += 1
        }
        var result = String.UnicodeScalarView()
        for value in output { result.append(Unicode.Scalar(UInt32(value))!) }
        return String(result)
    }
}
