-- Hook: post finished/failed mailboxes and the batch summary to a Slack incoming webhook
-- (https://api.slack.com/messaging/webhooks). --allow-env SLACK_WEBHOOK_URL.
local url = tern.env("SLACK_WEBHOOK_URL")

local function text_for(e)
    if e.kind == "mailbox_finished" then
        local c = e.counts or {}
        return string.format(":white_check_mark: %s migrated: %d copied, %d already there, %d failed",
            e.mailbox or "?", c.copied or 0, c.already_present or 0, c.failed or 0)
    elseif e.kind == "mailbox_failed" then
        return string.format(":x: %s failed: %s", e.mailbox or "?", e.message or "unknown error")
    elseif e.kind == "batch_finished" then
        return ":checkered_flag: batch finished"
    end
end

function on_event(e)
    local text = text_for(e)
    if not (url and text) then return end
    local response, err = tern.http.request{
        method = "POST", url = url,
        headers = { ["Content-Type"] = "application/json" },
        body = tern.json.encode({ text = text }),
    }
    if not response or response.status ~= 200 then error("slack: " .. (err or response.status)) end
end
