-- Hook: POST every event as JSON to a generic webhook (set WEBHOOK_URL, allow it with
-- --allow-env WEBHOOK_URL). A failure is logged and counted; the migration goes on.
local url = tern.env("WEBHOOK_URL")

function on_event(e)
    if not url then return end
    local response, err = tern.http.request{
        method = "POST",
        url = url,
        headers = { ["Content-Type"] = "application/json" },
        body = tern.json.encode(e),
        timeout = 10,
    }
    if not response then error("webhook failed: " .. err) end
    if response.status >= 300 then error("webhook answered " .. response.status) end
end
