-- IONOS (1&1) Mail Basic / Mail Business.
--
-- Sources (values in our own words):
--   "Server information for IMAP, POP3 and SMTP" (IONOS Help)
--     https://www.ionos.com/help/email/general-topics/settings-for-your-email-programs-imap-pop3/
--     imap.ionos.com:993 SSL (US/UK: imap.ionos.com or imap.ionos.co.uk; DE: imap.ionos.de).
--   MX for domains with IONOS mail: mx00.ionos.com and mx01.ionos.com (priority 10);
--   SPF include:_spf.perfora.net (both per the IONOS DNS help pages; the SPF include could not be
--   re-checked offline -- verify in the IONOS DNS panel).
return {
    name = "ionos",
    description = "IONOS (1&1) mail (imap.ionos.com)",
    references = { "https://www.ionos.com/help/email/general-topics/settings-for-your-email-programs-imap-pop3/" },
    imap = { host = "imap.ionos.com", port = 993, tls = "implicit", auth = { "plain", "login" } },
    limits = { max_connections = 10 },
    folders = {
        special_use = { ["\\Sent"] = "Sent Items", ["\\Drafts"] = "Drafts", ["\\Trash"] = "Trash", ["\\Junk"] = "Spam" },
    },
    quirks = { "German accounts use imap.ionos.de and localized folder names (Gesendete Objekte, Papierkorb)." },
    dns = { mx = { "10 mx00.ionos.com.", "10 mx01.ionos.com." }, spf_include = "_spf.perfora.net" },
}
