-- Gmail and Google Workspace.
--
-- Sources (checked 2025; values in our own words):
--   "Gmail bandwidth limits" (Google Workspace Admin Help) https://support.google.com/a/answer/1071518
--     IMAP download 2,500 MB/day, IMAP upload 500 MB/day per account (Workspace editions).
--     Free gmail.com accounts may have lower, unpublished limits.
--   "Read Gmail messages on other email clients using IMAP" https://support.google.com/mail/answer/7126229
--     imap.gmail.com:993, TLS; 15 simultaneous IMAP connections per account (verified via
--     third-party pages quoting Google; Google's own page wording could not be re-checked offline).
--   "Set up MX records for Google Workspace" https://support.google.com/a/answer/174125
--     New domains use the single MX "1 smtp.google.com."; older setups list aspmx.l.google.com etc.
--   "Define your SPF record" https://support.google.com/a/answer/10685031 -- include:_spf.google.com
--   "Set up DKIM" https://support.google.com/a/answer/174124 -- default selector "google".
--   OAuth: Google turned off password ("less secure app") sign-in for Workspace in 2024-2025;
--   use XOAUTH2, or an app password for personal accounts with 2-Step Verification.
return {
    name = "gmail",
    description = "Gmail / Google Workspace (imap.gmail.com, OAuth; labels copied once from All Mail)",
    references = {
        "https://support.google.com/a/answer/1071518",
        "https://support.google.com/mail/answer/7126229",
        "https://support.google.com/a/answer/174125",
    },
    imap = { host = "imap.gmail.com", port = 993, tls = "implicit", auth = { "xoauth2", "plain" } },
    limits = {
        max_connections = 15,
        bytes_per_day = 2500 * 1000 * 1000, -- download; uploads are capped at 500 MB/day
        max_message_size = 25 * 1000 * 1000,
    },
    folders = {
        special_use = {
            ["\\Sent"] = "[Gmail]/Sent Mail",
            ["\\Drafts"] = "[Gmail]/Drafts",
            ["\\Trash"] = "[Gmail]/Trash",
            ["\\Junk"] = "[Gmail]/Spam",
            ["\\All"] = "[Gmail]/All Mail",
            ["\\Flagged"] = "[Gmail]/Starred",
        },
        -- Nothing is skipped: Tern reads Gmail's labels (X-GM-EXT-1) and copies each message once
        -- from All Mail, archived mail included (docs/sync.md, "Gmail sources").
        skip = {},
    },
    quirks = {
        "Labels appear as folders: a message with three labels is in three folders. Tern copies it once (its Inbox, Sent or first label's folder; archived mail to Archive) with the other labels as keywords; --gmail-labels folders copies it into every label's folder instead.",
        "All Mail must be shown in IMAP (Gmail settings, Labels): it is the only folder holding archived mail.",
        "Accounts in some locales use [Google Mail]/ instead of [Gmail]/.",
        "Uploads count against the 500 MB/day IMAP upload limit: plan large destinations over several days.",
        "Deleting from a label folder only removes the label; mail stays in All Mail.",
    },
    dns = {
        mx = { "1 smtp.google.com." },
        spf_include = "_spf.google.com",
        dkim_selector = "google",
        dmarc = "v=DMARC1; p=none; rua=mailto:dmarc-reports@{domain}",
    },
}
