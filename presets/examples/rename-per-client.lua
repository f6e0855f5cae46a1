-- Rule: per-client folder names. Each agency client has its own conventions; keep the table
-- here and the rest of the script unchanged.
local RENAMES = {
    ["Sent Items"] = "Sent",
    ["Deleted Items"] = "Trash",
    ["Clients/ACME Corp"] = "Customers/ACME",
    ["Clients/Globex"] = "Customers/Globex",
}

function map_folder(f)
    local exact = RENAMES[f.name]
    if exact then return exact end
    -- Children follow their parent: "Clients/ACME Corp/Invoices" -> "Customers/ACME/Invoices".
    for from, to in pairs(RENAMES) do
        local child = f.name:sub(#from + 2)
        if f.name:sub(1, #from + 1) == from .. "/" and #child > 0 then return to .. "/" .. child end
    end
    return nil
end
