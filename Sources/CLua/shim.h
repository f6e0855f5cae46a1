#ifndef TERN_CLUA_SHIM_H
#define TERN_CLUA_SHIM_H
#include <lua.h>
#include <lualib.h>
#include <lauxlib.h>
#include <stdlib.h>
#include <string.h>

// Lua's API uses macros for many everyday calls; Swift cannot see macros, so each one we
// call gets a static inline wrapper here. Nothing else belongs in this file.
static inline void tern_lua_pop(lua_State *L, int n) { lua_pop(L, n); }
static inline int tern_lua_pcall(lua_State *L, int nargs, int nresults, int msgh) {
    return lua_pcall(L, nargs, nresults, msgh);
}
static inline void tern_lua_newtable(lua_State *L) { lua_newtable(L); }
static inline int tern_lua_isnil(lua_State *L, int idx) { return lua_isnil(L, idx); }
static inline const char *tern_lua_tostring(lua_State *L, int idx) { return lua_tostring(L, idx); }
static inline lua_Integer tern_lua_version_num(void) { return LUA_VERSION_NUM; }

// ---------------------------------------------------------------------------------------------
// Tern host support (TernScript). Everything that can raise a Lua error (a longjmp) lives on
// the C side of this line: Swift code is only ever called by the trampoline below and returns a
// status; only C calls lua_error. Memory, instruction budget and the host dispatcher hang off
// one struct per state, reached through the state's extra space (copied into every thread).
// ---------------------------------------------------------------------------------------------

/// Returned by a host function: push an error message and let C raise it.
#define TERN_HOST_ERROR (-1)
/// Returned by a host function: yield to the Swift driver, which performs async work.
#define TERN_HOST_YIELD (-2)

typedef int (*tern_host_dispatch)(lua_State *L, int function_id, void *host);

typedef struct tern_state_info {
    size_t used;             // bytes currently allocated
    size_t limit;            // cap (0 = none)
    size_t peak;
    int in_host;             // >0 while Swift host code runs: allocations may pass the cap
    int over_limit;          // set when a host-time allocation passed the cap
    long long budget;        // instructions left in this call
    long long budget_total;  // the budget a call starts with (0 = unlimited)
    int tripped;             // the budget ran out: every later hook raises again
    int hook_step;           // instructions between count hooks
    tern_host_dispatch dispatch;
    void *host;              // the Swift LuaState (unretained)
} tern_state_info;

static inline tern_state_info *tern_info(lua_State *L) {
    return *(tern_state_info **)lua_getextraspace(L);
}

static void *tern_lua_alloc(void *ud, void *ptr, size_t osize, size_t nsize) {
    tern_state_info *info = (tern_state_info *)ud;
    size_t old = ptr ? osize : 0;
    if (nsize == 0) {
        free(ptr);
        info->used -= old;
        return NULL;
    }
    if (info->limit > 0 && nsize > old && info->used - old + nsize > info->limit) {
        if (info->in_host > 0) {
            info->over_limit = 1; // refused later, by C, once Swift has returned
        } else {
            return NULL; // Lua turns this into a "not enough memory" error
        }
    }
    void *block = realloc(ptr, nsize);
    if (block == NULL) return NULL;
    info->used = info->used - old + nsize;
    if (info->used > info->peak) info->peak = info->used;
    return block;
}

static void tern_count_hook(lua_State *L, lua_Debug *ar) {
    (void)ar;
    tern_state_info *info = tern_info(L);
    if (info->budget_total <= 0) return;
    if (!info->tripped) {
        info->budget -= info->hook_step;
        if (info->budget > 0) return;
        info->tripped = 1;
        // Once tripped, fire on every instruction so a script's pcall cannot swallow it.
        lua_sethook(L, tern_count_hook, LUA_MASKCOUNT | LUA_MASKLINE, 1);
    }
    lua_Debug here;
    if (lua_getstack(L, 0, &here) && lua_getinfo(L, "Sl", &here) && here.currentline > 0) {
        lua_pushfstring(L, "%s:%d: ", here.short_src, here.currentline);
    } else {
        lua_pushliteral(L, "");
    }
    lua_pushfstring(L, "instruction budget exceeded (%I instructions in one call); "
                       "the script may loop forever", (lua_Integer)info->budget_total);
    lua_concat(L, 2);
    lua_error(L);
}

/// Creates a state with the capped allocator and the count hook; NULL if out of memory.
/// Swift owns the state between calls (`in_host` starts at 1); see `tern_resume`.
static inline lua_State *tern_newstate(tern_state_info *info) {
    info->in_host = 1;
    lua_State *L = lua_newstate(tern_lua_alloc, info);
    if (L == NULL) return NULL;
    *(tern_state_info **)lua_getextraspace(L) = info;
    if (info->hook_step <= 0) info->hook_step = 1000;
    lua_sethook(L, tern_count_hook, LUA_MASKCOUNT, info->hook_step);
    return L;
}

/// Re-arms the budget before a call on thread `L` (a fresh call gets the full budget).
static inline void tern_arm_budget(lua_State *L, long long instructions) {
    tern_state_info *info = tern_info(L);
    info->budget_total = instructions;
    info->budget = instructions;
    info->tripped = 0;
    lua_sethook(L, tern_count_hook, LUA_MASKCOUNT, info->hook_step);
}

/// Every host function is this closure with its id as upvalue 1.
static int tern_host_trampoline(lua_State *L) {
    tern_state_info *info = tern_info(L);
    int id = (int)lua_tointeger(L, lua_upvalueindex(1));
    info->in_host++;
    int result = info->dispatch(L, id, info->host);
    info->in_host--;
    if (info->over_limit) {
        // A host function's allocations passed the cap: drop its results and refuse from C.
        info->over_limit = 0;
        lua_settop(L, 0);
        lua_gc(L, LUA_GCCOLLECT);
        luaL_where(L, 1);
        lua_pushliteral(L, "not enough memory (the script's memory limit was reached)");
        lua_concat(L, 2);
        return lua_error(L);
    }
    if (result == TERN_HOST_ERROR) {
        // The message is on top; prefix the calling script's position.
        luaL_where(L, 1);
        lua_insert(L, -2);
        lua_concat(L, 2);
        return lua_error(L);
    }
    if (result == TERN_HOST_YIELD) {
        return lua_yield(L, 0);
    }
    return result;
}

static inline void tern_push_host_function(lua_State *L, int id) {
    lua_pushinteger(L, id);
    lua_pushcclosure(L, tern_host_trampoline, 1);
}

/// Loads text only (never bytecode).
static inline int tern_load_text(lua_State *L, const char *buffer, size_t size, const char *chunkname) {
    return luaL_loadbufferx(L, buffer, size, chunkname, "t");
}

/// Opens the libraries the sandbox allows (never io, os, debug or package: os is rebuilt).
static int tern_open_safe_libs_body(lua_State *L) {
    luaL_requiref(L, LUA_GNAME, luaopen_base, 1);
    luaL_requiref(L, LUA_STRLIBNAME, luaopen_string, 1);
    luaL_requiref(L, LUA_TABLIBNAME, luaopen_table, 1);
    luaL_requiref(L, LUA_MATHLIBNAME, luaopen_math, 1);
    luaL_requiref(L, LUA_UTF8LIBNAME, luaopen_utf8, 1);
    luaL_requiref(L, LUA_COLIBNAME, luaopen_coroutine, 1);
    // os: only time, date and clock, copied into a fresh table.
    luaL_requiref(L, LUA_OSLIBNAME, luaopen_os, 0);
    lua_newtable(L);
    const char *keep[] = {"time", "date", "clock", NULL};
    for (int i = 0; keep[i]; i++) {
        lua_getfield(L, -2, keep[i]);
        lua_setfield(L, -2, keep[i]);
    }
    lua_setglobal(L, "os");
    lua_settop(L, 0);
    return 0;
}

static inline int tern_open_safe_libs(lua_State *L) {
    lua_pushcfunction(L, tern_open_safe_libs_body);
    return lua_pcall(L, 0, 0, 0);
}

static inline void tern_getregistry_ref(lua_State *L, int ref) { lua_rawgeti(L, LUA_REGISTRYINDEX, ref); }
static inline int tern_ref(lua_State *L) { return luaL_ref(L, LUA_REGISTRYINDEX); }
static inline void tern_unref(lua_State *L, int ref) { luaL_unref(L, LUA_REGISTRYINDEX, ref); }
static inline void tern_pushglobaltable(lua_State *L) { lua_pushglobaltable(L); }
static inline lua_Number tern_tonumber(lua_State *L, int idx) { return lua_tonumber(L, idx); }
static inline lua_Integer tern_tointeger(lua_State *L, int idx) { return lua_tointeger(L, idx); }
static inline void tern_traceback(lua_State *L, lua_State *L1, const char *msg, int level) {
    luaL_traceback(L, L1, msg, level);
}
/// Runs Lua: the only window in which the memory cap refuses allocations (Swift code that
/// touches the state outside it can never be interrupted by a memory error).
static inline int tern_resume(lua_State *L, lua_State *from, int nargs, int *nresults) {
    tern_state_info *info = tern_info(L);
    info->in_host--;
    info->over_limit = 0;
    int status = lua_resume(L, from, nargs, nresults);
    info->in_host++;
    return status;
}
static inline int tern_pcall_guarded(lua_State *L, int nargs, int nresults) {
    tern_state_info *info = tern_info(L);
    info->in_host--;
    info->over_limit = 0;
    int status = lua_pcall(L, nargs, nresults, 0);
    info->in_host++;
    return status;
}
static inline int tern_upvalueindex(int i) { return lua_upvalueindex(i); }
#endif
