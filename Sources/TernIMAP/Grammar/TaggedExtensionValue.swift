/// A generic extension value (RFC 4466 `tagged-ext-val`), kept structurally so unknown
/// extension data survives parsing.
public indirect enum TaggedExtensionValue: Sendable, Equatable {
    /// An atom, number or sequence set as its bytes.
    case atom(String)
    /// A quoted string or literal.
    case string([UInt8])
    case `nil`
    case list([TaggedExtensionValue])

    /// The value as text for atoms and strings.
    public var stringValue: String? {
        switch self {
        case .atom(let text): text
        case .string(let bytes): String(decoding: bytes, as: UTF8.self)
        case .nil, .list: nil
        }
    }
}
