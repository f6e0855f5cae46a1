-- iCloud Mail (icloud.com, me.com, mac.com and custom domains).
--
-- Sources (values in our own words):
--   "iCloud Mail server settings for other email client apps" (Apple Support)
--     https://support.apple.com/en-us/102525 -- imap.mail.me.com:993, SSL; app-specific password.
--   "Sign in to apps with your Apple Account using app-specific passwords"
--     https://support.apple.com/en-us/102654
--   "Custom email domain with iCloud Mail" DNS (Apple Support): MX mx01.mail.icloud.com and
--     mx02.mail.icloud.com (priority 10), SPF include:icloud.com, DKIM selector sig1.
--   Apple states no IMAP connection limit; a per-message size limit of 20 MB applies to
--   sending (receiving larger messages is not documented; unverified).
return {
    name = "icloud",
    description = "iCloud Mail (imap.mail.me.com, app-specific password)",
    references = { "https://support.apple.com/en-us/102525", "https://support.apple.com/en-us/102654" },
    imap = { host = "imap.mail.me.com", port = 993, tls = "implicit", auth = { "plain" } },
    limits = { max_connections = 10 },
    folders = {
        special_use = { ["\\Sent"] = "Sent Messages", ["\\Drafts"] = "Drafts", ["\\Trash"] = "Deleted Messages",
                        ["\\Junk"] = "Junk", ["\\Archive"] = "Archive" },
    },
    quirks = {
        "The login name is the address (or the part before @); the password is an app-specific password.",
        "Older accounts name Sent 'Sent Messages'; newer ones may use 'Sent'.",
    },
    dns = {
        mx = { "10 mx01.mail.icloud.com.", "10 mx02.mail.icloud.com." },
        spf_include = "icloud.com",
        dkim_selector = "sig1",
    },
}
