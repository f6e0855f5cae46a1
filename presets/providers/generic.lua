-- Generic IMAP server: standard ports, no provider-specific knowledge. The host defaults to
-- mail.<domain> (the most common convention); give --host to override.
-- Sources: RFC 8314 (implicit TLS on 993 preferred over STARTTLS on 143),
--   https://www.rfc-editor.org/rfc/rfc8314 ; RFC 6154 (SPECIAL-USE names).
return {
    name = "generic",
    description = "Any standards-compliant IMAP server (mail.<domain>:993, implicit TLS)",
    references = { "https://www.rfc-editor.org/rfc/rfc8314", "https://www.rfc-editor.org/rfc/rfc6154" },
    imap = {
        host = function(ctx) return ctx.domain and ("mail." .. ctx.domain) or nil end,
        port = 993, tls = "implicit",
    },
    limits = { max_connections = 4 },
    folders = {
        special_use = { ["\\Sent"] = "Sent", ["\\Drafts"] = "Drafts", ["\\Trash"] = "Trash", ["\\Junk"] = "Junk" },
    },
}
