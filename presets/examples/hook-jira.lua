-- Hook: comment on a Jira issue for each finished or failed mailbox, via the REST API v2
-- (POST /rest/api/2/issue/{key}/comment). Needs --allow-env JIRA_URL JIRA_USER JIRA_TOKEN
-- JIRA_ISSUE (basic auth with an API token).
local base, user, token, issue = tern.env("JIRA_URL"), tern.env("JIRA_USER"), tern.env("JIRA_TOKEN"), tern.env("JIRA_ISSUE")

function on_event(e)
    if e.kind ~= "mailbox_finished" and e.kind ~= "mailbox_failed" then return end
    if not (base and user and token and issue) then return end
    local c = e.counts or {}
    local body = e.kind == "mailbox_finished"
        and string.format("Mailbox %s migrated: %d copied, %d failed.", e.mailbox, c.copied or 0, c.failed or 0)
        or string.format("Mailbox %s FAILED: %s", e.mailbox, e.message or "")
    local response, err = tern.http.request{
        method = "POST",
        url = base .. "/rest/api/2/issue/" .. issue .. "/comment",
        headers = { ["Content-Type"] = "application/json", Authorization = "Basic " .. tern.base64.encode(user .. ":" .. token) },
        body = tern.json.encode({ body = body }),
    }
    if not response or response.status ~= 201 then error("jira: " .. (err or response.status)) end
end
