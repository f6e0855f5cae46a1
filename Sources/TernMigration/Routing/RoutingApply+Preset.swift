import Foundation
import TernCore
import TernScript

/// The destination preset's share of `tern routing apply` / `verify`: which objects go to its
/// create functions, calling them one object at a time (a failure never stops the others), and
/// looking objects up in its list functions.
///
/// An alias, group or forwarder goes to the preset when the preset has the create function for
/// its kind and the object can be made as it stands: it delivers, has targets and is not under
/// review. A preset with `create_forwarder` takes the forwarders from Sieve. Verify looks an
/// object up when the preset has the list function for its kind (forwarders only when the
/// preset also creates them; otherwise the Sieve scripts are read back).
extension RoutingApplier {
    /// How each routing object is handled.
    struct Routes {
        /// Forwarders installed as Sieve scripts, by address.
        var sieve: Set<String> = []
        /// Objects the preset creates (apply) or lists (verify).
        var preset: [(entry: RoutingTable.Entry, kind: PresetRoutingAPI.Kind)] = []
        /// The rest, with a reason when the default one would not say why.
        var manual: [(entry: RoutingTable.Entry, why: String?)] = []
    }

    /// The preset kind an entry would be made as: alias, group or forwarder that delivers to at
    /// least one target and is not under review.
    static func presetKind(_ entry: RoutingTable.Entry) -> PresetRoutingAPI.Kind? {
        guard entry.action == .deliver, !entry.targets.isEmpty, entry.status != .review else { return nil }
        return PresetRoutingAPI.Kind(rawValue: entry.kind.rawValue)
    }

    /// Splits the table for apply (`lists` nil) or verify. `preset` names the preset file in reasons.
    static func routes(_ table: RoutingTable, creates: Set<PresetRoutingAPI.Kind>,
                       lists: Set<PresetRoutingAPI.Kind>? = nil, preset: String? = nil) -> Routes {
        let scripted = creates.contains(.forwarder) ? [] : Set(scripts(table).map(\.address))
        let name = preset ?? "the preset"
        var routes = Routes()
        for entry in table.entries {
            if entry.kind == .forwarder && scripted.contains(entry.address) {
                routes.sieve.insert(entry.address)
                continue
            }
            let kind = presetKind(entry)
            if let lists {
                if let kind, lists.contains(kind), kind != .forwarder || creates.contains(.forwarder) {
                    routes.preset.append((entry, kind))
                } else if let kind, preset != nil, creates.contains(kind) {
                    routes.manual.append((entry, "created through \(kind.createFunction) in \(name), which has no "
                        + "\(kind.listFunction): check it in the provider's admin console"))
                } else if let kind, preset != nil {
                    routes.manual.append((entry, manualReason(entry) + "; \(name) has no \(kind.listFunction)"))
                } else {
                    routes.manual.append((entry, nil))
                }
                continue
            }
            if let kind, creates.contains(kind) {
                routes.preset.append((entry, kind))
            } else if let kind, preset != nil {
                routes.manual.append((entry, manualReason(entry) + "; \(name) has no \(kind.createFunction)"))
            } else if kind == nil, entry.kind == .alias || entry.kind == .group,
                      let own = PresetRoutingAPI.Kind(rawValue: entry.kind.rawValue), creates.contains(own) {
                let why = entry.status == .review ? "it is under review"
                    : entry.action != .deliver ? "it does not deliver (\(entry.action.rawValue))" : "it has no targets"
                routes.manual.append((entry, manualReason(entry) + "; not sent to \(own.createFunction): \(why)"))
            } else {
                routes.manual.append((entry, nil))
            }
        }
        return routes
    }

    /// The forwarders apply and verify handle over ManageSieve (none when the preset has
    /// `create_forwarder`): the command needs a ManageSieve server only when this is not empty.
    public func sieveForwarders(_ table: RoutingTable) async -> [String] {
        let routes = Self.routes(table, creates: await preset?.creates ?? [])
        return Self.scripts(table).map(\.address).filter { routes.sieve.contains($0) }
    }

    /// The preset file's name for messages.
    var presetName: String? { preset.map { ($0.path as NSString).lastPathComponent } }

    /// Calls the preset's create function for each object (or says what it would call).
    func create(_ objects: [(entry: RoutingTable.Entry, kind: PresetRoutingAPI.Kind)], dryRun: Bool) async
        -> [Outcome] {
        guard let preset, let name = presetName else { return [] }
        var outcomes: [Outcome] = []
        for (entry, kind) in objects {
            let function = kind.createFunction
            if dryRun {
                outcomes.append(Outcome(kind: entry.kind, address: entry.address, status: .planned,
                    detail: "would call \(function) in \(name) (\(entry.address) → "
                        + "\(entry.targets.joined(separator: ", ")))"))
                continue
            }
            let object = PresetRoutingAPI.Object(kind: kind, address: entry.address, targets: entry.targets,
                displayName: entry.displayName, keepCopy: entry.keepCopy, notes: entry.notes, sources: entry.sources)
            do throws(ScriptError) {
                let detail = try await preset.create(object)
                outcomes.append(Outcome(kind: entry.kind, address: entry.address, status: .ok,
                    detail: "\(function) in \(name): \(detail ?? "done")"))
            } catch {
                outcomes.append(Outcome(kind: entry.kind, address: entry.address, status: .failed,
                    detail: "\(function) failed: \(error)"))
            }
        }
        return outcomes
    }

    /// Looks each object up in the list of its kind (one list call per kind). An object is
    /// there when an item has its address (compared without case, as providers do); when the
    /// list gives targets, they must be the inventory's (as a set, without case).
    func lookUp(_ objects: [(entry: RoutingTable.Entry, kind: PresetRoutingAPI.Kind)]) async -> [Outcome] {
        guard let preset, let name = presetName else { return [] }
        var lists: [PresetRoutingAPI.Kind: Result<[String: PresetRoutingAPI.Listed], ScriptError>] = [:]
        var outcomes: [Outcome] = []
        for (entry, kind) in objects {
            let function = kind.listFunction
            if lists[kind] == nil {
                do throws(ScriptError) {
                    var byAddress: [String: PresetRoutingAPI.Listed] = [:]
                    for item in try await preset.list(kind) where byAddress[item.address.lowercased()] == nil {
                        byAddress[item.address.lowercased()] = item
                    }
                    lists[kind] = .success(byAddress)
                } catch {
                    lists[kind] = .failure(error)
                }
            }
            let status: Outcome.Status
            let detail: String
            switch lists[kind] {
            case .failure(let error):
                (status, detail) = (.failed, "\(function) failed: \(error)")
            case .success(let listed):
                if let item = listed[entry.address.lowercased()] {
                    if let targets = item.targets,
                       Set(targets.map { $0.lowercased() }) != Set(entry.targets.map { $0.lowercased() }) {
                        (status, detail) = (.missing, "\(function) in \(name) has \(item.address) → "
                            + "\(targets.joined(separator: ", ")); the inventory wants "
                            + entry.targets.joined(separator: ", "))
                    } else {
                        (status, detail) = (.ok, "listed by \(function) in \(name)"
                            + (item.targets == nil ? "" : " with the same targets"))
                    }
                } else {
                    (status, detail) = (.missing, "not listed by \(function) in \(name)")
                }
            case nil:
                (status, detail) = (.failed, "\(function) was not called")
            }
            outcomes.append(Outcome(kind: entry.kind, address: entry.address, status: status, detail: detail))
        }
        return outcomes
    }
}
