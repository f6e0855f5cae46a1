-- Cyrus IMAP (self-hosted or hosted).
--
-- Sources (values in our own words):
--   "imapd.conf" (Cyrus IMAP docs) https://www.cyrusimap.org/imap/reference/manpages/configs/imapd.conf.html
--     unixhierarchysep decides "/" versus "."; altnamespace hides the INBOX. prefix; admins
--     listed in "admins" may authenticate as any user with PLAIN authorization identity.
--   Connection limits are site configuration (maxlogins_per_user; unlimited by default).
return {
    name = "cyrus",
    description = "Cyrus IMAP (PLAIN with admin authorization identity)",
    references = { "https://www.cyrusimap.org/imap/reference/manpages/configs/imapd.conf.html" },
    imap = {
        host = function(ctx) return ctx.domain and ("imap." .. ctx.domain) or nil end,
        port = 993, tls = "implicit", auth = { "plain" },
    },
    limits = { max_connections = 8 },
    folders = {
        special_use = { ["\\Sent"] = "Sent", ["\\Drafts"] = "Drafts", ["\\Trash"] = "Trash", ["\\Junk"] = "Spam" },
    },
    quirks = { "Without unixhierarchysep the separator is '.', and folders live under INBOX. (Tern strips the prefix)." },
}
