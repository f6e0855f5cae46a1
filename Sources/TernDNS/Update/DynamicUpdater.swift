import Foundation

/// Sends a cutover plan as one RFC 2136 UPDATE signed with TSIG (RFC 8945) to the zone's primary,
/// with prerequisites (RFC 2136 §2.4) so nothing is clobbered that changed since the plan.
public struct DynamicUpdater: Sendable {
    public var view: AuthoritativeView
    public var key: TSIGKey

    public init(view: AuthoritativeView, key: TSIGKey) {
        self.view = view
        self.key = key
    }

    public struct Outcome: Sendable, Codable {
        public var primary: Nameserver
        public var zone: String
        public var updates: Int
        public var prerequisites: Int
    }

    /// The primary: the SOA MNAME, reached through `--nameserver` overrides or its address.
    public func primary(of zone: DNSName) async throws -> Nameserver {
        let soa = try await view.resolver.lookup(zone, .soa)
        guard let record = soa.records.first, case .soa(let data) = record.data else {
            throw DNSError(.notAuthoritative, "\(zone.text) has no SOA: is it a zone apex?", name: zone.description, type: "SOA")
        }
        if let server = view.overrides[data.primary] { return Nameserver(name: data.primary.text, server: server) }
        let lookup = try await view.resolver.lookup(data.primary, .a)
        guard let address = lookup.addresses.first else {
            throw DNSError(.connectFailed, "the primary \(data.primary.text) has no address; pass --nameserver \(data.primary.text)=IP[:PORT]")
        }
        return Nameserver(name: data.primary.text, server: DNSServer(address: address))
    }

    /// Builds the UPDATE for `plan` (zone = the plan's domain).
    public func message(for plan: CutoverPlan) throws -> UpdateMessage {
        let zone = try DNSName(plan.domain)
        var update = UpdateMessage(zone: zone)
        // Prerequisites: the MX RRset and the apex TXT RRset are exactly what the plan saw.
        if plan.currentMX.isEmpty {
            update.requireAbsent(name: zone, type: .mx)
        } else {
            let records = try plan.currentMX.map { value in
                ResourceRecord(name: zone, ttl: 0, data: try RecordChange(action: .add, name: plan.domain, type: "MX", ttl: 0, value: value, reason: "").recordData())
            }
            update.requireExactly(records)
        }
        if plan.currentApexTXT.isEmpty {
            update.requireAbsent(name: zone, type: .txt)
        } else {
            update.requireExactly(plan.currentApexTXT.map { ResourceRecord(name: zone, ttl: 0, data: .txt(TXTRecord($0))) })
        }
        for change in plan.changes {
            let record = ResourceRecord(name: try DNSName(change.name), ttl: change.ttl, data: try change.recordData())
            switch change.action {
            case .remove: update.delete(record)
            case .add: update.add(record)
            case .lowerTTL: break
            }
        }
        return update
    }

    /// Signs and sends; verifies the answer's TSIG; maps RCODEs to errors that say what to do.
    public func apply(_ plan: CutoverPlan, now: Date = Date()) async throws -> Outcome {
        let zone = try DNSName(plan.domain)
        let primary = try await primary(of: zone)
        let update = try message(for: plan)
        var message = update.message
        try TSIGSigner.sign(&message, key: key, time: UInt64(now.timeIntervalSince1970))
        guard case .tsig(let signed) = message.tsig?.data else { throw DNSError(.tsigFailed, "could not sign the update") }
        let exchange = try await view.client.send(message, to: primary.server)
        let where_ = primary.server.description
        switch exchange.message.rcode {
        case .noError:
            try TSIGSigner.verify(bytes: exchange.bytes, message: exchange.message, key: key, requestMAC: signed.mac)
        case .nxRRSet, .yxRRSet, .nxDomain, .yxDomain:
            throw DNSError(.prerequisiteFailed, "the MX or TXT records changed since the plan (\(exchange.message.rcode)); nothing was changed. Run `tern dns plan` again", server: where_)
        case .notAuth:
            throw DNSError(.tsigFailed, "the server did not accept the TSIG key (NOTAUTH); check the key name, secret and clock", server: where_)
        case .refused:
            throw DNSError(.updateRejected, "the server refused the update; allow key \(key.name.text) to update \(plan.domain) in its ACL", server: where_)
        default:
            throw DNSError(.updateRejected, "the server answered \(exchange.message.rcode) to the update", server: where_)
        }
        return Outcome(primary: primary, zone: plan.domain, updates: update.updates.count, prerequisites: update.prerequisites.count)
    }
}
