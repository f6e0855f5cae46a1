import CLua

/// The embedded Lua runtime. The full host (sandbox, bridging, presets) arrives with the
/// Lua issue; for now this proves the system library links.
public enum LuaRuntime {
    /// `LUA_VERSION_NUM` of the linked headers, e.g. 504 for Lua 5.4.
    public static var versionNumber: Int { Int(tern_lua_version_num()) }
}
