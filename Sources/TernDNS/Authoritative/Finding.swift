/// One line of a report: what area, how bad, what was found and what to do about it.
public struct Finding: Sendable, Codable, Hashable {
    public enum Status: String, Sendable, Codable, Comparable {
        case ok, info, warn, fail
        var rank: Int { switch self { case .ok: 0 case .info: 1 case .warn: 2 case .fail: 3 } }
        public static func < (lhs: Status, rhs: Status) -> Bool { lhs.rank < rhs.rank }
    }

    public var area: String
    public var status: Status
    public var message: String
    public var advice: String?

    public init(_ area: String, _ status: Status, _ message: String, advice: String? = nil) {
        self.area = area
        self.status = status
        self.message = message
        self.advice = advice
    }
}

extension Array where Element == Finding {
    /// The worst status in the list (ok when empty).
    public var worst: Finding.Status { map(\.status).max() ?? .ok }
}
