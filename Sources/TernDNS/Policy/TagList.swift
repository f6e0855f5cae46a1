import Foundation

/// The `tag=value; tag=value` syntax shared by DKIM (RFC 6376 §3.2), DMARC (RFC 7489 §6.4),
/// MTA-STS (RFC 8461 §3.1) and TLS-RPT (RFC 8460 §3) records.
public struct TagList: Sendable, Hashable {
    public var tags: [(name: String, value: String)]

    public static func == (lhs: TagList, rhs: TagList) -> Bool {
        lhs.tags.map { "\($0.name)=\($0.value)" } == rhs.tags.map { "\($0.name)=\($0.value)" }
    }
    public func hash(into hasher: inout Hasher) { for tag in tags { hasher.combine(tag.name); hasher.combine(tag.value) } }

    /// Parses; a tag without `=`, a bad tag name or a repeated tag is an error (RFC 6376 §3.2).
    public init(parsing text: String) throws {
        tags = []
        var seen: Set<String> = []
        for raw in text.split(separator: ";", omittingEmptySubsequences: false) {
            let spec = raw.trimmingCharacters(in: .whitespacesAndNewlines)
            if spec.isEmpty { continue }
            guard let equals = spec.firstIndex(of: "=") else { throw PolicyError("'\(spec)' is not tag=value") }
            let name = spec[..<equals].trimmingCharacters(in: .whitespacesAndNewlines)
            let value = spec[spec.index(after: equals)...].trimmingCharacters(in: .whitespacesAndNewlines)
            guard let first = name.first, first.isASCII, first.isLetter,
                  name.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_") }) else {
                throw PolicyError("'\(name)' is not a valid tag name")
            }
            guard seen.insert(name.lowercased()).inserted else { throw PolicyError("tag '\(name)' appears twice") }
            tags.append((name, value))
        }
    }

    public subscript(_ name: String) -> String? {
        tags.first { $0.name.lowercased() == name.lowercased() }?.value
    }
}

/// Why a DKIM/DMARC/MTA-STS/TLS-RPT record is unusable.
public struct PolicyError: Error, Sendable, Equatable, CustomStringConvertible {
    public var message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}
