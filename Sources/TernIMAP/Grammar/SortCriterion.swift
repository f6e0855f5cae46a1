/// One SORT criterion (RFC 5256).
///
/// `sort-criterion = ["REVERSE" SP] sort-key`
/// `sort-key = "ARRIVAL" / "CC" / "DATE" / "FROM" / "SIZE" / "SUBJECT" / "TO"`
public struct SortCriterion: Sendable, Hashable {
    public enum Key: String, Sendable, Hashable, CaseIterable {
        case arrival = "ARRIVAL"
        case cc = "CC"
        case date = "DATE"
        case from = "FROM"
        case size = "SIZE"
        case subject = "SUBJECT"
        case to = "TO"
    }

    public var key: Key
    /// Descending instead of ascending.
    public var reverse: Bool

    public init(_ key: Key, reverse: Bool = false) {
        self.key = key
        self.reverse = reverse
    }

    /// `REVERSE SIZE`: largest first.
    public static let largestFirst = SortCriterion(.size, reverse: true)
}

// MARK: - Encoding

extension SortCriterion {
    /// `sort-criteria = "(" sort-criterion *(SP sort-criterion) ")"`
    static func wireText(_ criteria: [SortCriterion]) -> String {
        "(" + criteria.map { ($0.reverse ? "REVERSE " : "") + $0.key.rawValue }.joined(separator: " ") + ")"
    }
}
