/// The budgets every Lua state runs under. A script that passes one gets a clear error naming
/// its file and line instead of hanging or exhausting a migration's memory.
public struct LuaLimits: Sendable, Equatable {
    /// Total bytes the state may allocate (custom allocator). 64 MiB by default: a preset or a
    /// rule needs kilobytes, and one state runs per worker.
    public var memoryBytes: Int
    /// VM instructions one call (a file's top level, one `filter_message`, one hook) may run
    /// before it is stopped (count hook). 50 million is roughly a quarter of a second of plain
    /// Lua: orders of magnitude above any honest rule.
    public var instructionsPerCall: Int64
    /// Deepest table nesting bridged to Swift or JSON (refuses cycles and runaway recursion).
    public var maxDepth: Int
    /// Largest file (preset, script, module) Tern loads.
    public var maxSourceBytes: Int

    public init(memoryBytes: Int = 64 << 20, instructionsPerCall: Int64 = 50_000_000, maxDepth: Int = 64,
                maxSourceBytes: Int = 4 << 20) {
        self.memoryBytes = memoryBytes
        self.instructionsPerCall = instructionsPerCall
        self.maxDepth = maxDepth
        self.maxSourceBytes = maxSourceBytes
    }

    public static let `default` = LuaLimits()
}
