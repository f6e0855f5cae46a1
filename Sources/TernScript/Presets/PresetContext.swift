/// What a preset's function-valued fields receive: `host = function(ctx) return "mail." .. ctx.domain end`.
public struct PresetContext: Sendable, Equatable {
    /// The mailbox user, e.g. `alice@example.com`.
    public var user: String?
    /// The mail domain; derived from `user` when not given.
    public var domain: String?
    /// A provider region some presets use to pick hosts (zoho: `us`, `eu`, `in`, `au` …).
    public var region: String?

    public init(user: String? = nil, domain: String? = nil, region: String? = nil) {
        self.user = user
        self.region = region
        self.domain = domain ?? user.flatMap { user in
            user.split(separator: "@", maxSplits: 1).count == 2 ? String(user.split(separator: "@")[1]) : nil
        }
    }

    /// The context `tern preset check` and `show` use when no user is given.
    public static let example = PresetContext(user: "user@example.com")

    var luaValue: LuaValue {
        var table = LuaTable()
        if let user { table["user"] = .string(user) }
        if let domain { table["domain"] = .string(domain) }
        if let region { table["region"] = .string(region) }
        return .table(table)
    }
}
