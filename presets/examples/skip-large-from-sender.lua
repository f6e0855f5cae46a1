-- Filter: skip newsletters and oversized automated mail: anything from a no-reply sender, and
-- any message over 20 MB (re-send large files through a file share instead).
local MAX_BYTES = 20 * 1024 * 1024

function filter_message(m)
    local from = (m.headers.from or ""):lower()
    if from:find("no%-?reply@") then return false end
    if m.size > MAX_BYTES then return false end
    return true
end
