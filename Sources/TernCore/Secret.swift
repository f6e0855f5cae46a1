/// A password, token or other credential. It never prints itself: `description`, string
/// interpolation and `dump` all show a fixed placeholder, so a secret that slips into a log
/// line, an error or `--json` output is redacted by construction.
public struct Secret: Sendable, Equatable, CustomStringConvertible, CustomDebugStringConvertible,
    CustomReflectable
{
    /// The credential itself. Read it only at the point where it goes onto the wire.
    public let revealed: String

    public init(_ value: String) { self.revealed = value }

    public var description: String { "<redacted>" }
    public var debugDescription: String { "<redacted>" }
    public var customMirror: Mirror { Mirror(self, children: []) }
}
