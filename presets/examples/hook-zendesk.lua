-- Hook: open a Zendesk ticket when a mailbox fails (POST /api/v2/tickets.json).
-- --allow-env ZENDESK_URL ZENDESK_EMAIL ZENDESK_TOKEN (API token auth: "email/token:TOKEN").
local base, email, token = tern.env("ZENDESK_URL"), tern.env("ZENDESK_EMAIL"), tern.env("ZENDESK_TOKEN")

function on_event(e)
    if e.kind ~= "mailbox_failed" or not (base and email and token) then return end
    local ticket = {
        ticket = {
            subject = "Mail migration failed for " .. (e.mailbox or "?"),
            comment = { body = e.message or "No details." },
            priority = "high",
            tags = { "tern", "migration" },
        },
    }
    local response, err = tern.http.request{
        method = "POST", url = base .. "/api/v2/tickets.json",
        headers = { ["Content-Type"] = "application/json",
                    Authorization = "Basic " .. tern.base64.encode(email .. "/token:" .. token) },
        body = tern.json.encode(ticket),
    }
    if not response or response.status ~= 201 then error("zendesk: " .. (err or response.status)) end
end
