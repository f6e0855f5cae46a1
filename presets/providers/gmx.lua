-- GMX (gmx.com international; gmx.net / gmx.de accounts use imap.gmx.net).
--
-- Sources (values in our own words):
--   "IMAP settings" (GMX Help) https://support.gmx.com/pop-imap/imap/server.html
--     imap.gmx.com:993 SSL/TLS; POP3/IMAP access has to be enabled in the account settings.
--   German accounts: "IMAP-Server" https://hilfe.gmx.net/pop-imap/imap/imap-serverdaten.html
--     imap.gmx.net:993.
--   Connection and bandwidth limits are not published (unverified; conservative value below).
return {
    name = "gmx",
    description = "GMX (imap.gmx.com; use imap.gmx.net for gmx.net/gmx.de accounts)",
    references = { "https://support.gmx.com/pop-imap/imap/server.html",
                   "https://hilfe.gmx.net/pop-imap/imap/imap-serverdaten.html" },
    imap = {
        host = function(ctx)
            if ctx.domain == "gmx.net" or ctx.domain == "gmx.de" or ctx.domain == "gmx.at" or ctx.domain == "gmx.ch" then
                return "imap.gmx.net"
            end
            return "imap.gmx.com"
        end,
        port = 993, tls = "implicit", auth = { "plain" },
    },
    limits = { max_connections = 4 },
    folders = {
        special_use = { ["\\Sent"] = "Sent", ["\\Drafts"] = "Drafts", ["\\Trash"] = "Trash", ["\\Junk"] = "Spam" },
    },
    quirks = { "Enable 'POP3 & IMAP access' in the GMX settings first.", "German accounts name folders Gesendet, Entwürfe, Papierkorb." },
}
