/// Which part of a message a `BODY[…]` fetch item names (RFC 9051 §6.4.5 `section`), plus the
/// partial origin the server echoes (`BODY[]<0>`). Used as the key of
/// ``FetchAttributes/bodySections``.
///
/// `section = "[" [section-spec] "]"`
/// `section-spec = section-msgtext / (section-part ["." section-text])`
/// `section-msgtext = "HEADER" / "HEADER.FIELDS" [".NOT"] SP header-list / "TEXT"`
///
/// RFC822 maps to ``complete``, RFC822.HEADER to ``header`` and RFC822.TEXT to ``text``
/// (RFC 3501 §6.4.5 equivalences). Header field names are upper-cased so lookups ignore case.
public struct BodySection: Sendable, Hashable, CustomStringConvertible {
    /// The text part of a section spec.
    public enum Kind: Sendable, Hashable {
        /// `[]` or `[1.2]`: the whole message or part.
        case complete
        case header
        case headerFields([String])
        case headerFieldsNot([String])
        case text
        /// `[1.MIME]`.
        case mime
    }

    /// MIME part numbers (`[1.2.TEXT]` → `[1, 2]`); empty for the top level.
    public var part: [Int]
    public var kind: Kind
    /// The `<origin>` of a partial response, nil when the whole section came back.
    public var origin: UInt32?

    public init(part: [Int] = [], kind: Kind = .complete, origin: UInt32? = nil) {
        self.part = part
        switch kind {
        case .headerFields(let names): self.kind = .headerFields(names.map { $0.uppercased() })
        case .headerFieldsNot(let names): self.kind = .headerFieldsNot(names.map { $0.uppercased() })
        default: self.kind = kind
        }
        self.origin = origin
    }

    /// `BODY[]`.
    public static let complete = BodySection()
    /// `BODY[HEADER]`.
    public static let header = BodySection(kind: .header)
    /// `BODY[TEXT]`.
    public static let text = BodySection(kind: .text)
    /// `BODY[HEADER.FIELDS (names…)]`.
    public static func headerFields(_ names: [String]) -> BodySection { BodySection(kind: .headerFields(names)) }

    /// The same section without its partial origin.
    public var withoutOrigin: BodySection { BodySection(part: part, kind: kind) }

    /// The section spec as written inside the brackets, e.g. `1.2.HEADER.FIELDS (DATE)`.
    public var specText: String {
        var pieces = part.map(String.init)
        switch kind {
        case .complete: break
        case .header: pieces.append("HEADER")
        case .headerFields(let names): pieces.append("HEADER.FIELDS (\(names.joined(separator: " ")))")
        case .headerFieldsNot(let names): pieces.append("HEADER.FIELDS.NOT (\(names.joined(separator: " ")))")
        case .text: pieces.append("TEXT")
        case .mime: pieces.append("MIME")
        }
        return pieces.joined(separator: ".")
    }

    /// `[spec]<origin>`.
    public var description: String {
        "[\(specText)]" + (origin.map { "<\($0)>" } ?? "")
    }
}
