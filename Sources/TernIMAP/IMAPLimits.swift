/// Bounds that keep a hostile or broken server from making the codec allocate without limit.
///
/// Every limit is checked while bytes arrive (``ResponseFramer``) or while a frame is parsed
/// (``ResponseParser``); exceeding one is an ``IMAPProtocolError`` with kind `.limitExceeded`,
/// never a crash. The defaults are sized for migrating real business mailboxes.
public struct IMAPLimits: Sendable, Equatable {
    /// Most bytes of one response *outside its literals* (the sum of all its line segments).
    ///
    /// Why 16 MiB: the longest legitimate lines are untagged `SEARCH` results and `VANISHED` /
    /// `FETCH`-flag floods on very large mailboxes: `UID SEARCH ALL` on a one-million-message
    /// folder is about 8 MB of digits. Anything beyond is a runaway server, not mail. Counting
    /// the whole frame (not each segment between literals) also stops a stream of `{0}` literals
    /// from growing one response forever.
    public var maxLineLength: Int

    /// Largest literal accepted, in bytes.
    ///
    /// Why 2 GiB: messages are a few MB, providers cap at 25–150 MB, but archive exports
    /// (PST-converted journals) can hold single huge messages. The framer never reserves memory
    /// from this claim; it only grows as bytes really arrive, so a lying `{n}` costs nothing.
    public var maxLiteralSize: Int

    /// Deepest nesting of parenthesized lists while parsing (BODYSTRUCTURE of nested
    /// multiparts, LIST extended data).
    ///
    /// Why 100: real BODYSTRUCTUREs of forwarded-as-attachment chains stay far below 30 levels;
    /// the parser recurses per level, so the bound also bounds the stack.
    public var maxNestingDepth: Int

    /// Most items in one list (flags, capabilities, SEARCH numbers, STATUS pairs, ID pairs…).
    ///
    /// Why 2 Mi: a `SEARCH` of a one-million-message folder has one million numbers; every
    /// other list is tiny. The line-length limit bounds this too; this limit bounds the parsed
    /// value's element count independently of how compactly the server wrote it.
    public var maxListItems: Int

    /// Most literals in one response.
    ///
    /// Why 100 000: a FETCH of many body sections or a LIST-STATUS reply has a handful; each
    /// literal opens a new line segment, so this caps the bookkeeping per frame.
    public var maxLiteralsPerResponse: Int

    /// The defaults documented on each property.
    public static let `default` = IMAPLimits(
        maxLineLength: 16 * 1024 * 1024,
        maxLiteralSize: 2 * 1024 * 1024 * 1024,
        maxNestingDepth: 100,
        maxListItems: 2 * 1024 * 1024,
        maxLiteralsPerResponse: 100_000
    )

    public init(
        maxLineLength: Int = 16 * 1024 * 1024,
        maxLiteralSize: Int = 2 * 1024 * 1024 * 1024,
        maxNestingDepth: Int = 100,
        maxListItems: Int = 2 * 1024 * 1024,
        maxLiteralsPerResponse: Int = 100_000
    ) {
        self.maxLineLength = maxLineLength
        self.maxLiteralSize = maxLiteralSize
        self.maxNestingDepth = maxNestingDepth
        self.maxListItems = maxListItems
        self.maxLiteralsPerResponse = maxLiteralsPerResponse
    }
}
