-- TrekMail.
--
-- Sources (values in our own words):
--   "IMAP & SMTP Settings for All Clients" https://trekmail.net/docs/webmail-clients/imap-smtp-settings
--     imap.trekmail.net:993 SSL/TLS, full address as user; concurrent IMAP connections per plan:
--     Nano 15 total (10 per IP), Starter 40 (25), Pro 80 (50), Agency 150 (100).
--   "Required DNS Records (MX, SPF, DKIM, DMARC)" https://trekmail.net/docs/domains-dns/required-dns-records
--     MX mail.trekmail.net priority 10; SPF include:spf.trekmail.net; DKIM key from the dashboard;
--     a DMARC record must exist.
return {
    name = "trekmail",
    description = "TrekMail (imap.trekmail.net; per-plan connection limits)",
    references = { "https://trekmail.net/docs/webmail-clients/imap-smtp-settings",
                   "https://trekmail.net/docs/domains-dns/required-dns-records" },
    imap = { host = "imap.trekmail.net", port = 993, tls = "implicit", auth = { "plain", "login" } },
    limits = { max_connections = 10 }, -- the Nano plan's per-IP limit; raise with --connections on larger plans
    folders = {
        special_use = { ["\\Sent"] = "Sent", ["\\Drafts"] = "Drafts", ["\\Trash"] = "Trash",
                        ["\\Junk"] = "Junk", ["\\Archive"] = "Archive" },
    },
    quirks = { "No POP3; IMAP only.", "Exceeding the plan's connection limit gives 'Maximum connections exceeded'." },
    dns = {
        mx = { "10 mail.trekmail.net." },
        spf_include = "spf.trekmail.net",
        dmarc = "v=DMARC1; p=none",
    },
}
