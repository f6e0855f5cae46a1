-- Zimbra Collaboration (self-hosted or hosted).
--
-- Sources (values in our own words):
--   "Zimbra IMAP/POP settings" (Zimbra wiki) https://wiki.zimbra.com/wiki/Zimbra_Imap_Pop_Settings
--     IMAPS on 993; the admin can log in as a user via SASL PLAIN authorization identity.
--   zimbraImapMaxConnections / per-account limits are site settings (unverified defaults).
return {
    name = "zimbra",
    description = "Zimbra (mail.<domain>:993; Briefcase/Contacts/Calendar skipped)",
    references = { "https://wiki.zimbra.com/wiki/Zimbra_Imap_Pop_Settings" },
    imap = {
        host = function(ctx) return ctx.domain and ("mail." .. ctx.domain) or nil end,
        port = 993, tls = "implicit", auth = { "plain", "login" },
    },
    limits = { max_connections = 8 },
    folders = {
        special_use = { ["\\Sent"] = "Sent", ["\\Drafts"] = "Drafts", ["\\Trash"] = "Trash", ["\\Junk"] = "Junk" },
        skip = { "Contacts", "Emailed Contacts", "Calendar", "Tasks", "Briefcase", "Chats" },
    },
    quirks = { "Shared folders from other accounts appear as mountpoints; skip them to avoid copying other users' mail." },
}
