-- Rule: flatten every folder under "Archive" into Archive/YYYY, using the year found in the
-- folder name ("Archive/Clients/2019/Q3" -> "Archive/2019"). Folders without a year are kept.
function map_folder(f)
    if f.name:sub(1, 8) ~= "Archive/" then return nil end
    local year = f.name:match("/((19%d%d))/") or f.name:match("/((20%d%d))$") or f.name:match("/((19%d%d))$")
        or f.name:match("/((20%d%d))/")
    if year then return "Archive/" .. year end
    return nil
end
