-- Rule + filter: do not migrate spam. Skips the junk folder (by special use or usual names)
-- and any message a filter upstream marked as spam ($Junk / Junk keywords, or an X-Spam subject tag).
local JUNK_NAMES = { ["Junk"] = true, ["Spam"] = true, ["Junk Email"] = true, ["Bulk Mail"] = true, ["[Gmail]/Spam"] = true }

function map_folder(f)
    if f.special_use == "\\Junk" or JUNK_NAMES[f.name] then return false end
    return nil
end

function filter_message(m)
    for _, flag in ipairs(m.flags) do
        if flag == "$Junk" or flag == "Junk" then return false end
    end
    local subject = m.headers.subject or ""
    if subject:find("^%*%*%*%s*SPAM") or subject:find("^%[SPAM%]") then return false end
    return true
end
