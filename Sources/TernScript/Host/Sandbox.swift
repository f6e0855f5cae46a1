/// The sandbox every Tern script runs in: a reviewable list, as in redis's `script_lua.c`.
///
/// **Opened** (C libraries): base, `string`, `table`, `math`, `utf8`, `coroutine`, and `os`
/// only to copy three functions out of it. **Never opened**: `io` (files, processes),
/// `package` (C modules, arbitrary paths), `debug` (reaches every upvalue and the registry).
///
/// Each script or preset file gets its **own environment** (`_ENV`), a fresh table holding
/// copies of the allowed functions and libraries, so one file cannot change what another sees.
/// Reading an undeclared global is an error (typos fail loudly); so is assigning one, except
/// the names Tern looks for (`map_folder`, `filter_message`, `on_event`). Use `local`.
///
/// Allowed, with reasons:
/// - `assert error ipairs next pairs pcall xpcall select rawequal rawget rawlen rawset
///   setmetatable getmetatable tonumber tostring type _VERSION`: pure functions over values.
/// - `string` (without `string.dump`: it only produces bytecode, which cannot be loaded),
///   `table`, `math`, `utf8`, `coroutine`: pure computation.
/// - `os.time`, `os.date`, `os.clock`: reading the clock (date filters need it).
/// - `load(chunk [, name [, "t" [, env]]])`: **text only**; the default environment is the
///   caller's own sandboxed one, never the real globals.
/// - `require(name)`: only `name` made of `[A-Za-z0-9_]` parts separated by `.`, looked up
///   as `name.lua` in the preset/script search path; the module gets its own sandbox.
/// - `collectgarbage()` with `"collect"`, `"count"` or `"step"` only (not `"stop"`).
/// - `print(...)`: goes to `tern.log.info`.
///
/// Denied, with reasons: `io.*` and `os.execute/remove/rename/exit/getenv/tmpname/setlocale`
/// (processes, files, environment: use `tern.env` for allowed variables); `dofile`,
/// `loadfile` (read any file); bytecode through `load` (can crash the VM); `debug.*`
/// (breaks every guarantee here); `package`, C modules; `collectgarbage("stop")` (defeats
/// the memory cap's emergency collection); the string metatable (`getmetatable("")` returns
/// `false`, so one script cannot change string methods for another).
///
/// Budgets (`LuaLimits`): a memory cap enforced by the state's allocator, and an instruction
/// budget per call enforced by a count hook that, once tripped, fires on every instruction
/// so `pcall` inside the script cannot swallow it.
enum Sandbox {
    /// Names a script may define as globals.
    static let scriptGlobals = ["map_folder", "filter_message", "map_labels", "on_event"]

    /// Trusted Lua run once per state with the real globals; returns `newenv(declared)`.
    static let prelude = #"""
    local tern_api, log_info, find_module = ...
    local G = _G
    local rawload, pairs, ipairs, type, error, tostring, select = load, pairs, ipairs, type, error, tostring, select
    local setmetatable, rawset, collectgarbage, concat = setmetatable, rawset, collectgarbage, table.concat

    G.string.dump = nil
    local strmeta = getmetatable("")
    strmeta.__metatable = false

    local base = { "assert", "error", "ipairs", "next", "pairs", "pcall", "xpcall", "select", "rawequal",
        "rawget", "rawlen", "rawset", "setmetatable", "getmetatable", "tonumber", "tostring", "type", "_VERSION" }
    local libs = { "string", "table", "math", "utf8", "coroutine", "os" }

    local function copy(t, depth)
        local c = {}
        for k, v in pairs(t) do
            if depth > 0 and type(v) == "table" then v = copy(v, depth - 1) end
            c[k] = v
        end
        return c
    end

    local loaded = {}
    local newenv

    local function require_impl(name)
        if type(name) ~= "string" then error("require: the module name must be a string", 3) end
        local value = loaded[name]
        if value ~= nil then return value end
        local source, chunkname = find_module(name)
        if not source then error(chunkname, 2) end
        local chunk, err = rawload(source, chunkname, "t", newenv({}))
        if not chunk then error(err, 0) end
        value = chunk(name)
        if value == nil then value = true end
        loaded[name] = value
        return value
    end

    newenv = function(declared)
        local env = {}
        for _, k in ipairs(base) do env[k] = G[k] end
        for _, k in ipairs(libs) do env[k] = copy(G[k], 0) end
        env.tern = copy(tern_api, 1)
        env.collectgarbage = function(opt, ...)
            if opt == nil or opt == "collect" or opt == "count" or opt == "step" then
                return collectgarbage(opt, ...)
            end
            error("collectgarbage('" .. tostring(opt) .. "') is not allowed in Tern scripts", 2)
        end
        env.load = function(chunk, name, mode, chunkenv)
            if mode ~= nil and mode ~= "t" then
                error("load: only text chunks may be loaded (mode \"t\"); bytecode is refused", 2)
            end
            if chunkenv == nil then chunkenv = env end
            return rawload(chunk, name or "=(load)", "t", chunkenv)
        end
        env.print = function(...)
            local parts = {}
            for i = 1, select("#", ...) do parts[i] = tostring((select(i, ...))) end
            log_info(concat(parts, "\t"))
        end
        env.require = require_impl
        env._G = env
        local allowed = {}
        for _, k in ipairs(declared) do allowed[k] = true end
        setmetatable(env, {
            __index = function(_, key)
                error("undeclared global '" .. tostring(key) .. "' (a typo? Tern scripts cannot read " ..
                      "globals they did not define)", 2)
            end,
            __newindex = function(t, key, value)
                if allowed[key] then return rawset(t, key, value) end
                local names = #declared > 0 and ("; a script may only define " .. concat(declared, ", ")) or ""
                error("assignment to undeclared global '" .. tostring(key) .. "' (use 'local'" .. names .. ")", 2)
            end,
            __metatable = false,
        })
        return env
    end
    return newenv
    """#
}
