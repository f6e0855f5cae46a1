import Foundation

/// JSON ⇄ `LuaValue` for `tern.json` (RFC 8259). Tables whose keys are exactly 1…n encode as
/// arrays, other tables as objects with sorted keys; an empty table encodes as `{}`;
/// `tern.json.null` is JSON null. Decoding keeps integers as integers.
enum JSONCodec {
    struct Failure: Error {
        var message: String
    }

    // MARK: - Encoding

    static func encode(_ value: LuaValue, maxDepth: Int) throws(Failure) -> [UInt8] {
        var output: [UInt8] = []
        try encode(value, into: &output, depth: 0, maxDepth: maxDepth)
        return output
    }

    static func encodeString(_ value: LuaValue, maxDepth: Int) throws(Failure) -> String {
        String(decoding: try encode(value, maxDepth: maxDepth), as: UTF8.self)
    }

    private static func encode(_ value: LuaValue, into output: inout [UInt8], depth: Int, maxDepth: Int) throws(Failure) {
        switch value {
        case .nilValue, .jsonNull: output += Array("null".utf8)
        case .boolean(let flag): output += Array((flag ? "true" : "false").utf8)
        case .integer(let number): output += Array(String(number).utf8)
        case .number(let number):
            guard number.isFinite else { throw Failure(message: "cannot encode \(number) (JSON has no NaN or infinity)") }
            if number == number.rounded(), abs(number) < 1e15 {
                output += Array(String(Int64(number)).utf8)
            } else {
                output += Array("\(number)".utf8)
            }
        case .string(let bytes): quote(bytes, into: &output)
        case .function: throw Failure(message: "cannot encode a function")
        case .table(let table):
            guard depth < maxDepth else { throw Failure(message: "table nested deeper than \(maxDepth) levels") }
            if table.isSequence {
                output.append(UInt8(ascii: "["))
                for (index, item) in table.array.enumerated() {
                    if index > 0 { output.append(UInt8(ascii: ",")) }
                    try encode(item, into: &output, depth: depth + 1, maxDepth: maxDepth)
                }
                output.append(UInt8(ascii: "]"))
                return
            }
            var keyed: [([UInt8], LuaValue)] = []
            for (key, item) in table.entries {
                switch key {
                case .string(let bytes): keyed.append((bytes, item))
                case .integer(let number): keyed.append((Array(String(number).utf8), item))
                default: throw Failure(message: "cannot encode a table key of type \(key.typeName)")
                }
            }
            keyed.sort { $0.0.lexicographicallyPrecedes($1.0) }
            output.append(UInt8(ascii: "{"))
            for (index, (key, item)) in keyed.enumerated() {
                if index > 0 { output.append(UInt8(ascii: ",")) }
                quote(key, into: &output)
                output.append(UInt8(ascii: ":"))
                try encode(item, into: &output, depth: depth + 1, maxDepth: maxDepth)
            }
            output.append(UInt8(ascii: "}"))
        }
    }

    private static let hexDigits = Array("0123456789abcdef".utf8)

    /// Quotes bytes as a JSON string; invalid UTF-8 becomes U+FFFD.
    private static func quote(_ bytes: [UInt8], into output: inout [UInt8]) {
        output.reserveCapacity(output.count + bytes.count + 2)
        output.append(UInt8(ascii: "\""))
        let valid = String(validating: bytes, as: UTF8.self) != nil
        let source = valid ? bytes : Array(String(decoding: bytes, as: UTF8.self).utf8)
        for byte in source {
            switch byte {
            case UInt8(ascii: "\""): output += [UInt8(ascii: "\\"), UInt8(ascii: "\"")]
            case UInt8(ascii: "\\"): output += [UInt8(ascii: "\\"), UInt8(ascii: "\\")]
            case 0x0A: output += [UInt8(ascii: "\\"), UInt8(ascii: "n")]
            case 0x0D: output += [UInt8(ascii: "\\"), UInt8(ascii: "r")]
            case 0x09: output += [UInt8(ascii: "\\"), UInt8(ascii: "t")]
            case 0..<0x20:
                output += Array("\\u00".utf8)
                output += [hexDigits[Int(byte >> 4)], hexDigits[Int(byte & 0xF)]]
            default: output.append(byte)
            }
        }
        output.append(UInt8(ascii: "\""))
    }

    // MARK: - Decoding

    static func decode(_ bytes: [UInt8], maxDepth: Int) throws(Failure) -> LuaValue {
        var parser = Parser(bytes: bytes, maxDepth: maxDepth)
        parser.skipSpace()
        let value = try parser.value(depth: 0)
        parser.skipSpace()
        guard parser.index == bytes.count else { throw parser.failure("unexpected data after the JSON value") }
        return value
    }

    private struct Parser {
        let bytes: [UInt8]
        let maxDepth: Int
        var index = 0

        func failure(_ message: String) -> Failure { Failure(message: "\(message) at byte \(index + 1)") }

        mutating func skipSpace() {
            while index < bytes.count, [0x20, 0x09, 0x0A, 0x0D].contains(bytes[index]) { index += 1 }
        }

        mutating func expect(_ word: String, _ value: LuaValue) throws(Failure) -> LuaValue {
            let expected = Array(word.utf8)
            guard index + expected.count <= bytes.count, Array(bytes[index..<index + expected.count]) == expected else {
                throw failure("invalid literal")
            }
            index += expected.count
            return value
        }

        mutating func value(depth: Int) throws(Failure) -> LuaValue {
            guard index < bytes.count else { throw failure("unexpected end of JSON") }
            switch bytes[index] {
            case UInt8(ascii: "{"): return try object(depth: depth)
            case UInt8(ascii: "["): return try array(depth: depth)
            case UInt8(ascii: "\""): return .string(try string())
            case UInt8(ascii: "t"): return try expect("true", .boolean(true))
            case UInt8(ascii: "f"): return try expect("false", .boolean(false))
            case UInt8(ascii: "n"): return try expect("null", .jsonNull)
            default: return try number()
            }
        }

        mutating func object(depth: Int) throws(Failure) -> LuaValue {
            guard depth < maxDepth else { throw failure("JSON nested deeper than \(maxDepth) levels") }
            index += 1
            var table = LuaTable()
            skipSpace()
            if index < bytes.count, bytes[index] == UInt8(ascii: "}") {
                index += 1
                return .table(table)
            }
            while true {
                skipSpace()
                guard index < bytes.count, bytes[index] == UInt8(ascii: "\"") else { throw failure("expected a key") }
                let key = try string()
                skipSpace()
                guard index < bytes.count, bytes[index] == UInt8(ascii: ":") else { throw failure("expected ':'") }
                index += 1
                skipSpace()
                table.entries[.string(key)] = try value(depth: depth + 1)
                skipSpace()
                guard index < bytes.count else { throw failure("unexpected end of JSON") }
                if bytes[index] == UInt8(ascii: ",") { index += 1; continue }
                if bytes[index] == UInt8(ascii: "}") { index += 1; return .table(table) }
                throw failure("expected ',' or '}'")
            }
        }

        mutating func array(depth: Int) throws(Failure) -> LuaValue {
            guard depth < maxDepth else { throw failure("JSON nested deeper than \(maxDepth) levels") }
            index += 1
            var items: [LuaValue] = []
            skipSpace()
            if index < bytes.count, bytes[index] == UInt8(ascii: "]") {
                index += 1
                return .table(LuaTable())
            }
            while true {
                skipSpace()
                items.append(try value(depth: depth + 1))
                skipSpace()
                guard index < bytes.count else { throw failure("unexpected end of JSON") }
                if bytes[index] == UInt8(ascii: ",") { index += 1; continue }
                if bytes[index] == UInt8(ascii: "]") { index += 1; break }
                throw failure("expected ',' or ']'")
            }
            var table = LuaTable()
            for (offset, item) in items.enumerated() { table.entries[.integer(Int64(offset + 1))] = item }
            return .table(table)
        }

        mutating func hex4() throws(Failure) -> UInt32 {
            guard index + 4 <= bytes.count, let value = UInt32(String(decoding: bytes[index..<index + 4], as: UTF8.self),
                                                                radix: 16) else { throw failure("bad \\u escape") }
            index += 4
            return value
        }

        mutating func string() throws(Failure) -> [UInt8] {
            index += 1
            var output: [UInt8] = []
            while true {
                guard index < bytes.count else { throw failure("unterminated string") }
                let byte = bytes[index]
                index += 1
                switch byte {
                case UInt8(ascii: "\""): return output
                case UInt8(ascii: "\\"):
                    guard index < bytes.count else { throw failure("unterminated string") }
                    let escape = bytes[index]
                    index += 1
                    switch escape {
                    case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): output.append(escape)
                    case UInt8(ascii: "b"): output.append(0x08)
                    case UInt8(ascii: "f"): output.append(0x0C)
                    case UInt8(ascii: "n"): output.append(0x0A)
                    case UInt8(ascii: "r"): output.append(0x0D)
                    case UInt8(ascii: "t"): output.append(0x09)
                    case UInt8(ascii: "u"):
                        var code = try hex4()
                        if (0xD800..<0xDC00).contains(code), index + 6 <= bytes.count,
                           bytes[index] == UInt8(ascii: "\\"), bytes[index + 1] == UInt8(ascii: "u") {
                            index += 2
                            let low = try hex4()
                            guard (0xDC00..<0xE000).contains(low) else { throw failure("bad surrogate pair") }
                            code = 0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00)
                        }
                        guard let scalar = Unicode.Scalar(code) else { throw failure("lone surrogate in \\u escape") }
                        output.append(contentsOf: Array(String(scalar).utf8))
                    default: throw failure("bad escape")
                    }
                case 0..<0x20: throw failure("control character in string")
                default: output.append(byte)
                }
            }
        }

        mutating func number() throws(Failure) -> LuaValue {
            let start = index
            var isFloat = false
            while index < bytes.count {
                let byte = bytes[index]
                if (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) || byte == UInt8(ascii: "-") {
                    index += 1
                } else if byte == UInt8(ascii: ".") || byte == UInt8(ascii: "e") || byte == UInt8(ascii: "E")
                            || byte == UInt8(ascii: "+") {
                    isFloat = true
                    index += 1
                } else {
                    break
                }
            }
            let text = String(decoding: bytes[start..<index], as: UTF8.self)
            guard !text.isEmpty else { throw failure("unexpected character") }
            if !isFloat, let integer = Int64(text) { return .integer(integer) }
            guard let double = Double(text), double.isFinite else { throw failure("invalid number '\(text)'") }
            return .number(double)
        }
    }
}
