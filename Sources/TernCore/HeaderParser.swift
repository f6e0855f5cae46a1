import Foundation

/// Reads the header block of a raw message (RFC 5322 §2.2): names lower-cased, folded lines
/// joined, the first occurrence of each field kept.
public enum HeaderParser {
    public static func parse(_ message: ArraySlice<UInt8>, only wanted: Set<String>? = nil) -> HeaderFields {
        var fields: HeaderFields = [:]
        var current: (name: String, value: [UInt8])?
        func finish() {
            guard let field = current else { return }
            if fields[field.name] == nil, wanted?.contains(field.name) ?? true {
                fields[field.name] = String(decoding: field.value, as: UTF8.self)
                    .trimmingCharacters(in: .whitespaces)
            }
            current = nil
        }
        var index = message.startIndex
        while index < message.endIndex {
            var end = index
            while end < message.endIndex, message[end] != 10 { end += 1 }
            var line = message[index..<end]
            if line.last == 13 { line = line.dropLast() }
            index = end < message.endIndex ? end + 1 : end
            if line.isEmpty { break }  // end of the header block
            if line.first == 32 || line.first == 9 {
                current?.value.append(32)
                current?.value.append(contentsOf: line.drop { $0 == 32 || $0 == 9 })
                continue
            }
            finish()
            guard let colon = line.firstIndex(of: 58) else { continue }
            let name = String(decoding: line[line.startIndex..<colon], as: UTF8.self)
                .trimmingCharacters(in: .whitespaces).lowercased()
            current = (name, Array(line[(colon + 1)...]))
        }
        finish()
        return fields
    }
}
