-- Filter: skip mail older than N years (by INTERNALDATE), and mark what is copied so users can
-- tell migrated mail apart. Set YEARS to taste.
local YEARS = 7
local cutoff = os.time() - YEARS * 365 * 24 * 3600

function filter_message(m)
    if m.internal_date and m.internal_date < cutoff then return false end
    return { add = { "$Migrated" } }
end
