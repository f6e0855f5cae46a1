/// Marks a ``NumberSet`` as holding UIDs.
public enum UIDKind: Sendable {}
/// Marks a ``NumberSet`` as holding message sequence numbers.
public enum SequenceNumberKind: Sendable {}

/// A set of UIDs (RFC 9051 `uid-set`, RFC 4315, RFC 7162).
public typealias UIDSet = NumberSet<UIDKind>
/// A set of message sequence numbers (RFC 9051 `sequence-set`).
public typealias SequenceSet = NumberSet<SequenceNumberKind>

/// A `sequence-set` of ranges (RFC 9051 §9): `1:4,7,9:*`.
///
/// `sequence-set = (seq-number / seq-range) ["," sequence-set]`
/// `seq-range = seq-number ":" seq-number`; `seq-number = nz-number / "*"`
///
/// Ranges keep the order the server sent (COPYUID pairs source and destination by position);
/// ``normalized()`` sorts and merges. `*` is stored as ``star`` (`UInt32.max`): the protocol's
/// largest UID is 4294967295 too, so the two cannot be told apart — no real server reaches it.
/// The phantom `Kind` keeps UIDs and sequence numbers from mixing at compile time.
public struct NumberSet<Kind>: Sendable, Hashable, Sequence, CustomStringConvertible {
    /// `*`: the largest number in use.
    public static var star: UInt32 { UInt32.max }

    /// The ranges in server order; each has `lowerBound <= upperBound`.
    public private(set) var ranges: [ClosedRange<UInt32>]

    public init() { ranges = [] }

    /// The set of the given ranges, in the given order (each range may be written either way).
    public init(ranges: [ClosedRange<UInt32>]) {
        self.ranges = ranges
    }

    /// The set of exactly these numbers, sorted and merged into ranges.
    public init<S: Sequence>(_ numbers: S) where S.Element == UInt32 {
        let sorted = numbers.sorted()
        var ranges: [ClosedRange<UInt32>] = []
        for number in sorted {
            if let last = ranges.last, last.upperBound != .max, number <= last.upperBound + 1 {
                ranges[ranges.count - 1] = last.lowerBound...Swift.max(last.upperBound, number)
            } else {
                ranges.append(number...number)
            }
        }
        self.ranges = ranges
    }

    /// `n:*`.
    public static func from(_ lower: UInt32) -> NumberSet { NumberSet(ranges: [lower...star]) }

    /// Every number, `1:*`.
    public static var all: NumberSet { from(1) }

    public var isEmpty: Bool { ranges.isEmpty }

    /// True when any range ends in `*`.
    public var containsStar: Bool { ranges.contains { $0.upperBound == Self.star } }

    /// How many numbers the set names (duplicates across ranges counted twice; `*` is taken
    /// literally as 4294967295, so check ``containsStar`` first).
    public var count: Int { ranges.reduce(0) { $0 + Int($1.upperBound - $1.lowerBound) + 1 } }

    public func contains(_ number: UInt32) -> Bool { ranges.contains { $0.contains(number) } }

    /// Adds a range at the end.
    public mutating func append(_ range: ClosedRange<UInt32>) { ranges.append(range) }

    /// Sorted, overlapping and adjacent ranges merged.
    public func normalized() -> NumberSet {
        var merged: [ClosedRange<UInt32>] = []
        for range in ranges.sorted(by: { $0.lowerBound < $1.lowerBound }) {
            if let last = merged.last, last.upperBound == .max || range.lowerBound <= last.upperBound + 1 {
                merged[merged.count - 1] = last.lowerBound...Swift.max(last.upperBound, range.upperBound)
            } else {
                merged.append(range)
            }
        }
        return NumberSet(ranges: merged)
    }

    /// Iterates every number in server order (a range ending in `*` runs to 4294967295).
    public func makeIterator() -> FlattenSequence<[ClosedRange<UInt32>]>.Iterator {
        ranges.joined().makeIterator()
    }

    /// The wire form, e.g. `1:4,7,9:*`.
    public var description: String {
        ranges.map { range in
            let lower = range.lowerBound == Self.star ? "*" : String(range.lowerBound)
            if range.lowerBound == range.upperBound { return lower }
            let upper = range.upperBound == Self.star ? "*" : String(range.upperBound)
            return lower + ":" + upper
        }.joined(separator: ",")
    }

    /// Parses the wire form; throws for anything but digits, `*`, `:` and `,`, or for 0.
    public init(parsing text: String) throws(IMAPProtocolError) {
        var reader = ByteReader(Array(text.utf8), limits: .default)
        self = try reader.parseNumberSet()
        guard reader.isAtEnd else {
            throw reader.error(.syntax, "unexpected text after sequence set")
        }
    }
}

extension NumberSet: ExpressibleByArrayLiteral {
    public init(arrayLiteral elements: UInt32...) { self.init(elements) }
}

// MARK: - Encoding

extension NumberSet {
    /// Writes the set; an empty set cannot be sent.
    func write(to writer: inout CommandWriter) throws(IMAPProtocolError) {
        guard !isEmpty else { throw IMAPProtocolError(.unencodable, "empty sequence set") }
        guard !ranges.contains(where: { $0.lowerBound == 0 }) else {
            throw IMAPProtocolError(.unencodable, "0 is not a valid UID or sequence number")
        }
        writer.text(description)
    }
}
