-- AOL Mail (run by Yahoo; same platform and limits).
--
-- Sources (values in our own words):
--   "IMAP server settings for AOL Mail" (AOL Help) https://help.aol.com/articles/how-do-i-use-other-email-applications-to-send-and-receive-my-aol-mail
--     imap.aol.com:993 with SSL; third-party apps need an app password
--     ("Create and manage app password" https://help.aol.com/articles/Create-and-manage-app-password).
--   Connection limits are not published (the value below mirrors Yahoo's, unverified).
return {
    name = "aol",
    description = "AOL Mail (imap.aol.com, app password)",
    references = { "https://help.aol.com/articles/how-do-i-use-other-email-applications-to-send-and-receive-my-aol-mail" },
    imap = { host = "imap.aol.com", port = 993, tls = "implicit", auth = { "plain", "xoauth2" } },
    limits = { max_connections = 5 },
    folders = {
        special_use = { ["\\Sent"] = "Sent", ["\\Drafts"] = "Drafts", ["\\Trash"] = "Trash",
                        ["\\Junk"] = "Bulk Mail", ["\\Archive"] = "Archive" },
    },
    quirks = { "Use an app password, not the account password." },
}
