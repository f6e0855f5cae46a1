-- GoDaddy Workspace Email / Professional Email (not GoDaddy's Microsoft 365 plans: use the
-- microsoft365 preset for those).
--
-- Sources (values in our own words):
--   "Server and port settings for Workspace Email" (GoDaddy Help) https://www.godaddy.com/help/server-and-port-settings-for-workspace-email-6949
--     imap.secureserver.net:993 SSL.
--   MX mx1.secureserver.net (0) / mx2.secureserver.net (10) and SPF include:secureserver.net
--   (GoDaddy Help "Add an SPF record"; re-check in the DNS manager for Professional Email,
--   which is hosted by Titan and uses different records -- unverified).
--   Connection limits are not published (unverified; conservative value below).
return {
    name = "godaddy",
    description = "GoDaddy Workspace Email (imap.secureserver.net)",
    references = { "https://www.godaddy.com/help/server-and-port-settings-for-workspace-email-6949" },
    imap = { host = "imap.secureserver.net", port = 993, tls = "implicit", auth = { "plain", "login" } },
    limits = { max_connections = 5 },
    folders = {
        special_use = { ["\\Sent"] = "Sent Items", ["\\Drafts"] = "Drafts", ["\\Trash"] = "Trash", ["\\Junk"] = "Bulk Mail" },
    },
    quirks = { "GoDaddy also resells Microsoft 365: check the MX records (outlook.com means microsoft365)." },
    dns = { mx = { "0 mx1.secureserver.net.", "10 mx2.secureserver.net." }, spf_include = "secureserver.net" },
}
