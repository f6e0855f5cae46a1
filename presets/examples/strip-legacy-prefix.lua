-- Rule: drop a legacy top-level folder that an old server put everything under.
-- "Old Server/Projects/2024" becomes "Projects/2024"; "Old Server" itself is skipped.
local PREFIX = "Old Server"

function map_folder(f)
    if f.name == PREFIX then return false end
    local rest = f.name:match("^" .. PREFIX:gsub("%p", "%%%0") .. "/(.+)$")
    if rest then return rest end
    return nil -- keep Tern's default mapping
end
