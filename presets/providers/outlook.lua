-- Outlook.com / Hotmail / Live (consumer Microsoft accounts).
--
-- Sources (values in our own words):
--   "POP, IMAP, and SMTP settings for Outlook.com" (Microsoft Support)
--     https://support.microsoft.com/en-us/office/pop-imap-and-smtp-settings-for-outlook-com-d088b986-291d-42b8-9564-9c414e2aa040
--     IMAP outlook.office365.com:993 with SSL/TLS.
--   "Modern authentication methods now needed to continue syncing Outlook Email in non-Microsoft
--   email apps" (Microsoft Support, 2024): password sign-in for IMAP was switched off for consumer
--   accounts from September 2024; OAuth (XOAUTH2) is required.
--   Connection limits for consumer accounts are not published; we keep Exchange Online's 20
--   and suggest fewer (unverified).
return {
    name = "outlook",
    description = "Outlook.com / Hotmail consumer mailboxes (OAuth only)",
    references = { "https://support.microsoft.com/en-us/office/pop-imap-and-smtp-settings-for-outlook-com-d088b986-291d-42b8-9564-9c414e2aa040" },
    imap = { host = "outlook.office365.com", port = 993, tls = "implicit", auth = { "xoauth2" } },
    limits = { max_connections = 8 },
    folders = {
        special_use = { ["\\Sent"] = "Sent", ["\\Drafts"] = "Drafts", ["\\Trash"] = "Deleted",
                        ["\\Junk"] = "Junk", ["\\Archive"] = "Archive" },
        skip = { "Outbox", "Notes" },
    },
    quirks = {
        "Password logins are refused since September 2024: use an OAuth token.",
        "Custom domains on Outlook.com (the old 'personalized email') cannot receive new DNS setups.",
    },
}
