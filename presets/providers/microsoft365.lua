-- Microsoft 365 / Exchange Online.
--
-- Sources (values in our own words):
--   "Authenticate an IMAP, POP or SMTP connection using OAuth" (Microsoft Learn)
--     https://learn.microsoft.com/en-us/exchange/client-developer/legacy-protocols/how-to-authenticate-an-imap-pop-smtp-application-by-using-oauth
--     XOAUTH2 over outlook.office365.com:993; application (client-credentials) tokens need the
--     service principal to be granted access to the mailbox.
--   "Deprecation of Basic authentication in Exchange Online"
--     https://learn.microsoft.com/en-us/exchange/clients-and-mobile-in-exchange-online/deprecation-of-basic-authentication-exchange-online
--     Basic (password) auth for IMAP is off: OAuth is required.
--   "Exchange Online limits" https://learn.microsoft.com/en-us/office365/servicedescriptions/exchange-online-service-description/exchange-online-limits
--     Message size up to 150 MB (default 35/36 MB send/receive; admins can raise it).
--   IMAP concurrency: Exchange Online allows 20 simultaneous IMAP connections per mailbox
--   (widely documented by migration vendors; the exact figure could not be re-checked offline).
--   MX: <domain-with-dashes>.mail.protection.outlook.com; SPF include:spf.protection.outlook.com
--   ("Set up SPF to help prevent spoofing" https://learn.microsoft.com/en-us/defender-office-365/email-authentication-spf-configure).
--   DKIM selectors are selector1 and selector2 (CNAMEs shown in the Defender portal).
return {
    name = "microsoft365",
    description = "Microsoft 365 / Exchange Online (outlook.office365.com, OAuth only)",
    references = {
        "https://learn.microsoft.com/en-us/exchange/client-developer/legacy-protocols/how-to-authenticate-an-imap-pop-smtp-application-by-using-oauth",
        "https://learn.microsoft.com/en-us/office365/servicedescriptions/exchange-online-service-description/exchange-online-limits",
    },
    imap = { host = "outlook.office365.com", port = 993, tls = "implicit", auth = { "xoauth2" } },
    limits = {
        max_connections = 20,
        max_message_size = 35 * 1024 * 1024, -- tenant default; admins may raise to 150 MB
    },
    folders = {
        special_use = {
            ["\\Sent"] = "Sent Items",
            ["\\Drafts"] = "Drafts",
            ["\\Trash"] = "Deleted Items",
            ["\\Junk"] = "Junk Email",
            ["\\Archive"] = "Archive",
        },
        -- Server-side folders that are not mail, or hold copies Exchange manages itself.
        skip = { "Conversation History", "Sync Issues", "Sync Issues/Conflicts", "Sync Issues/Local Failures",
                 "Sync Issues/Server Failures", "Calendar", "Contacts", "Tasks", "Notes", "Journal", "Outbox" },
    },
    quirks = {
        "Basic authentication is retired: use --auth xoauth2 with a token (delegated or app-only).",
        "Throttling answers with NO [THROTTLED] or slows down; keep few connections per mailbox.",
        "Calendar, contacts and tasks are visible as folders but are not mail: they are skipped.",
    },
    dns = {
        mx = function(ctx)
            if not ctx.domain then return nil end
            return { "0 " .. ctx.domain:gsub("%.", "-") .. ".mail.protection.outlook.com." }
        end,
        spf_include = "spf.protection.outlook.com",
        dkim_selector = "selector1",
    },
}
