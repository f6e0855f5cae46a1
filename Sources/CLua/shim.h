#ifndef TERN_CLUA_SHIM_H
#define TERN_CLUA_SHIM_H
#include <lua.h>
#include <lualib.h>
#include <lauxlib.h>

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
#endif
