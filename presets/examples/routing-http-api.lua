-- Template: a destination preset whose provider creates aliases, groups and forwarders over an
-- HTTP admin API. `tern routing apply` calls routing.create_alias / create_group /
-- create_forwarder once per object; `tern routing verify` calls routing.list_aliases /
-- list_groups / list_forwarders once per kind (docs/scripting.md, "Routing functions").
--
-- This one speaks a generic JSON API -- the local stand-in scripts/testenv/directory.sh:
--   POST   $ROUTING_API_URL/aliases|groups|forwarders   {address, targets, display_name, keep_copy}
--          201 created, 409 the address exists
--   GET    $ROUTING_API_URL/aliases|groups|forwarders   {"items": [{address, targets, ...}]}
-- with "Authorization: Bearer $ROUTING_API_TOKEN". For a real provider copy this file next to
-- its preset (or into it), and change the paths, body fields and status codes to what the
-- provider's API documents; keep the two rules below.
--
--   1. Idempotent: apply may run again, so "already exists" is success (return a table).
--   2. Secrets only through tern.env, read inside the functions (so `tern preset list/show`
--      work without them), and never in a returned reason.
--
-- Run:
--   ROUTING_API_URL=https://admin.example.net/api/v1/acme ROUTING_API_TOKEN=... \
--   tern routing apply --preset2 presets/examples/routing-http-api.lua \
--       --allow-env ROUTING_API_URL --allow-env ROUTING_API_TOKEN

local collections = { alias = "aliases", group = "groups", forwarder = "forwarders" }

-- One request to the collection of `kind`; returns the response, or nil and a reason.
local function request(method, kind, body)
    local base, token = tern.env("ROUTING_API_URL"), tern.env("ROUTING_API_TOKEN")
    if not base or not token then
        return nil, "ROUTING_API_URL and ROUTING_API_TOKEN must be set (and passed with --allow-env)"
    end
    local response, err = tern.http.request{
        method = method,
        url = base .. "/" .. collections[kind],
        headers = { ["Authorization"] = "Bearer " .. token, ["Accept"] = "application/json",
                    ["Content-Type"] = body and "application/json" or nil },
        body = body and tern.json.encode(body) or nil,
        timeout = 30,
    }
    if not response then return nil, err end
    return response
end

local function refused(response)
    return "HTTP " .. response.status .. " " .. response.reason .. ": " .. response.body:sub(1, 200)
end

-- create_alias(obj), create_group(obj), create_forwarder(obj): obj = {kind=, address=,
-- targets={...}, display_name=, keep_copy=, notes={...}, sources={...}}.
local function create(obj)
    local response, err = request("POST", obj.kind, {
        address = obj.address, targets = obj.targets,
        display_name = obj.display_name or tern.json.null, keep_copy = obj.keep_copy,
    })
    if not response then return nil, err end
    if response.status == 200 or response.status == 201 then return { detail = "created" } end
    if response.status == 409 then return { detail = "already exists" } end
    return nil, refused(response)
end

-- list_aliases(), list_groups(), list_forwarders(): {address=, targets=} per object.
local function list(kind)
    local response, err = request("GET", kind)
    if not response then return nil, err end
    if response.status ~= 200 then return nil, refused(response) end
    local items = {}
    for _, item in ipairs(tern.json.decode(response.body).items or {}) do
        items[#items + 1] = { address = item.address, targets = item.targets }
    end
    return items
end

return {
    name = "routing-http-api",
    description = "Template: aliases, groups and forwarders through a generic JSON admin API",
    routing = {
        create_alias = create,
        create_group = create,
        create_forwarder = create,
        list_aliases = function() return list("alias") end,
        list_groups = function() return list("group") end,
        list_forwarders = function() return list("forwarder") end,
    },
}
