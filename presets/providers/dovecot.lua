-- Dovecot (self-hosted). Master-user logins use "user*master" by default.
--
-- Sources (values in our own words):
--   "Master users" (Dovecot docs) https://doc.dovecot.org/configuration_manual/authentication/master_users/
--     auth_master_user_separator, commonly "*".
--   "mail_max_userip_connections" (Dovecot docs) default 10 per user and IP for IMAP.
--   Special-use folders are configured in the namespace (RFC 6154), so SPECIAL-USE is usually offered.
return {
    name = "dovecot",
    description = "Self-hosted Dovecot (mail.<domain>:993; master user with '*')",
    references = { "https://doc.dovecot.org/configuration_manual/authentication/master_users/" },
    imap = {
        host = function(ctx) return ctx.domain and ("mail." .. ctx.domain) or nil end,
        port = 993, tls = "implicit", auth = { "plain", "login" }, admin_separator = "*",
    },
    limits = { max_connections = 10 },
    folders = {
        special_use = { ["\\Sent"] = "Sent", ["\\Drafts"] = "Drafts", ["\\Trash"] = "Trash", ["\\Junk"] = "Junk" },
    },
    quirks = { "The hierarchy separator may be '.' (Maildir++) or '/' (LAYOUT=fs); Tern translates both." },
}
