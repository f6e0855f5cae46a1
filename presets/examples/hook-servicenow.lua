-- Hook: create a ServiceNow incident when a mailbox fails, and one summary note when the batch
-- ends (Table API: POST /api/now/table/incident). --allow-env SN_URL SN_TOKEN (OAuth bearer).
-- Set FATAL_ON_ERROR to true to stop the whole run if the incident cannot be created.
local base, token = tern.env("SN_URL"), tern.env("SN_TOKEN")
local FATAL_ON_ERROR = false

local function create(short, description, urgency)
    local response, err = tern.http.request{
        method = "POST", url = base .. "/api/now/table/incident",
        headers = { ["Content-Type"] = "application/json", Accept = "application/json",
                    Authorization = "Bearer " .. token },
        body = tern.json.encode({ short_description = short, description = description, urgency = urgency }),
    }
    if not response or response.status ~= 201 then
        local why = "servicenow: " .. (err or ("HTTP " .. response.status))
        if FATAL_ON_ERROR then tern.fatal(why) end
        error(why)
    end
    return tern.json.decode(response.body)
end

function on_event(e)
    if not (base and token) then return end
    if e.kind == "mailbox_failed" then
        create("Mail migration failed: " .. (e.mailbox or "?"), e.message or "", "2")
    elseif e.kind == "batch_finished" then
        local c = e.counts or {}
        create("Mail migration batch finished", string.format("%d copied, %d failed", c.copied or 0, c.failed or 0), "3")
    end
end
