#!/usr/bin/env python3
"""Share of tern's CPU samples spent in Lua: samples whose call chain has a frame in
liblua or in the TernScript module (the bridge: LuaRules, LuaState, LuaStack), read from
`perf script` output on stdin. Prints: total_samples lua_samples share."""
import sys

total = lua = 0
in_lua = False
in_sample = False
for line in sys.stdin:
    if not line.strip():
        if in_sample:
            total += 1
            lua += in_lua
        in_sample = in_lua = False
        continue
    if not line.startswith((" ", "\t")):
        in_sample = True
        in_lua = False
        continue
    if "liblua" in line or "10TernScript" in line:
        in_lua = True
if in_sample:
    total += 1
    lua += in_lua
print(total, lua, f"{lua / total if total else 0:.5f}")
