-- Yahoo Mail.
--
-- Sources (values in our own words):
--   "IMAP server settings for Yahoo Mail" (Yahoo Help) https://help.yahoo.com/kb/SLN4075.html
--     imap.mail.yahoo.com:993, SSL; third-party apps need an app password ("Generate and manage
--     third-party app passwords" https://help.yahoo.com/kb/SLN15241.html).
--   Yahoo does not publish IMAP connection or bandwidth limits; migration vendors report
--   throttling above about 5 connections (unverified; the figure below is conservative).
return {
    name = "yahoo",
    description = "Yahoo Mail (imap.mail.yahoo.com, app password)",
    references = { "https://help.yahoo.com/kb/SLN4075.html", "https://help.yahoo.com/kb/SLN15241.html" },
    imap = { host = "imap.mail.yahoo.com", port = 993, tls = "implicit", auth = { "plain", "xoauth2" } },
    limits = { max_connections = 5, max_message_size = 25 * 1000 * 1000 },
    folders = {
        special_use = { ["\\Sent"] = "Sent", ["\\Drafts"] = "Draft", ["\\Trash"] = "Trash",
                        ["\\Junk"] = "Bulk", ["\\Archive"] = "Archive" },
    },
    quirks = {
        "Use an app password, not the account password.",
        "The spam folder is called Bulk (or 'Bulk Mail' in old accounts).",
    },
}
