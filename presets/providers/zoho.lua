-- Zoho Mail (organisation accounts on a custom domain; the data centre decides the host).
--
-- Sources (values in our own words):
--   "IMAP Access - Zoho Mail" https://www.zoho.com/mail/help/imap-access.html
--     imappro.zoho.<dc>:993 SSL for organisation users, imap.zoho.<dc> for personal accounts;
--     app-specific password when two-factor authentication is on. Data centres: com (US),
--     eu, in, com.au, jp, com.cn, ca, sa (the host suffix follows the account's region).
--   "Zoho Mail MX records" https://www.zoho.com/mail/help/adminconsole/configure-email-delivery.html
--     mx.zoho.<dc> (10), mx2.zoho.<dc> (20), mx3.zoho.<dc> (50).
--   SPF: include:zohomail.<dc> (older setups used include:zoho.<dc>). DKIM selector is chosen by
--   the admin in the console; "zmail" is the console's suggestion (unverified).
--   Connection limits are not published (value below is conservative, unverified).
local REGION_SUFFIX = { us = "com", eu = "eu", ["in"] = "in", au = "com.au", jp = "jp", ca = "ca", cn = "com.cn", sa = "sa" }

local function suffix(ctx)
    -- Give the region through the domain context's "region" when Tern passes one; default US.
    return REGION_SUFFIX[ctx.region or "us"] or "com"
end

return {
    name = "zoho",
    description = "Zoho Mail organisation accounts (imappro.zoho.<region>; app password with 2FA)",
    references = { "https://www.zoho.com/mail/help/imap-access.html",
                   "https://www.zoho.com/mail/help/adminconsole/configure-email-delivery.html" },
    imap = {
        host = function(ctx) return "imappro.zoho." .. suffix(ctx) end,
        port = 993, tls = "implicit", auth = { "plain", "xoauth2" },
    },
    limits = { max_connections = 10 },
    folders = {
        special_use = { ["\\Sent"] = "Sent", ["\\Drafts"] = "Drafts", ["\\Trash"] = "Trash", ["\\Junk"] = "Spam" },
    },
    quirks = {
        "IMAP access must be enabled per user (Settings > Mail Accounts > IMAP) and allowed by the org policy.",
        "Only folders ticked in the IMAP folder settings are visible over IMAP.",
        "Pick the preset region (imappro.zoho.eu, .in, .com.au ...) that matches the account's data centre.",
    },
    dns = {
        mx = function(ctx)
            local s = suffix(ctx)
            return { "10 mx.zoho." .. s .. ".", "20 mx2.zoho." .. s .. ".", "50 mx3.zoho." .. s .. "." }
        end,
        spf_include = function(ctx) return "zohomail." .. suffix(ctx) end,
        dkim_selector = "zmail",
    },
}
