-- cPanel shared hosting (Dovecot behind cPanel/WHM).
--
-- Sources (values in our own words):
--   "Email Accounts" / "Set Up Mail Client" (cPanel Docs) https://docs.cpanel.net/cpanel/email/email-accounts/
--     Secure IMAP on 993 at mail.<domain> (or the server's host name when the certificate does
--     not cover mail.<domain>); the user is the full address.
--   cPanel's Dovecot uses "." as the separator with an "INBOX." prefix; the default per-user
--   connection limit (Dovecot mail_max_userip_connections) is 20 in WHM's Mailserver
--   Configuration ("Mailserver Configuration" https://docs.cpanel.net/whm/service-configuration/mailserver-configuration/).
return {
    name = "cpanel",
    description = "cPanel hosting (mail.<domain>:993, Dovecot, INBOX. prefix)",
    references = { "https://docs.cpanel.net/cpanel/email/email-accounts/",
                   "https://docs.cpanel.net/whm/service-configuration/mailserver-configuration/" },
    imap = {
        host = function(ctx) return ctx.domain and ("mail." .. ctx.domain) or nil end,
        port = 993, tls = "implicit", auth = { "plain", "login" },
    },
    limits = { max_connections = 10 },
    folders = {
        special_use = { ["\\Sent"] = "Sent", ["\\Drafts"] = "Drafts", ["\\Trash"] = "Trash",
                        ["\\Junk"] = "spam", ["\\Archive"] = "Archive" },
    },
    quirks = {
        "Shared hosts often present the server's own certificate: use --tls-server-name with the host name it names.",
        "Hosting plans often cap hourly connections or bandwidth; lower --connections if logins start failing.",
    },
}
