-- Fastmail.
--
-- Sources (values in our own words):
--   "Server names and ports" (Fastmail Help) https://www.fastmail.help/hc/en-us/articles/1500000278342
--     imap.fastmail.com:993 SSL; third-party apps use an app password.
--   "Manual DNS configuration" https://www.fastmail.help/hc/en-us/articles/360060591153
--     MX in1-smtp.messagingengine.com (10), in2-smtp.messagingengine.com (20);
--     SPF include:spf.messagingengine.com; DKIM CNAMEs fm1/fm2/fm3._domainkey.
--   "Account limits" https://www.fastmail.help/hc/en-us/articles/1500000277382 -- message size
--     up to 70 MB; no published IMAP connection limit (value below is conservative, unverified).
return {
    name = "fastmail",
    description = "Fastmail (imap.fastmail.com, app password)",
    references = { "https://www.fastmail.help/hc/en-us/articles/1500000278342",
                   "https://www.fastmail.help/hc/en-us/articles/360060591153" },
    imap = { host = "imap.fastmail.com", port = 993, tls = "implicit", auth = { "plain", "xoauth2" } },
    limits = { max_connections = 10, max_message_size = 70 * 1000 * 1000 },
    folders = {
        special_use = { ["\\Sent"] = "Sent", ["\\Drafts"] = "Drafts", ["\\Trash"] = "Trash",
                        ["\\Junk"] = "Spam", ["\\Archive"] = "Archive" },
    },
    quirks = { "Use an app password with IMAP access enabled." },
    dns = {
        mx = { "10 in1-smtp.messagingengine.com.", "20 in2-smtp.messagingengine.com." },
        spf_include = "spf.messagingengine.com",
        dkim_selector = "fm1",
    },
}
