import Foundation

/// One line of an SPF evaluation trace.
public struct SPFTraceStep: Sendable, Codable, Hashable {
    /// 0 for the domain asked about, +1 per include/redirect.
    public var depth: Int
    public var domain: String
    public var text: String
    /// DNS-mechanism lookups used so far (RFC 7208 §4.6.4 counts include, a, mx, ptr, exists, redirect).
    public var lookups: Int
}

/// What check_host() concluded, how, and at what cost.
public struct SPFEvaluation: Sendable, Codable {
    public var result: SPFResult
    /// The term that decided it (`domain: term`), or the reason for none/neutral/errors.
    public var decidedBy: String?
    /// The explanation for a `fail` (exp= or the default).
    public var explanation: String?
    public var lookups: Int
    public var voidLookups: Int
    public var trace: [SPFTraceStep]
}

/// RFC 7208 check_host(): evaluates SPF for one client IP against any `DNSResolver`.
public struct SPFEvaluator: Sendable {
    public var resolver: any DNSResolver
    /// RFC 7208 §4.6.4: at most 10 DNS-querying terms and 2 void lookups per evaluation.
    public var lookupLimit = 10
    public var voidLookupLimit = 2
    /// Used when a fail has no usable exp= (RFC 7208 §6.2 leaves the text local).
    public var defaultExplanation = "the domain's SPF record does not authorize this sending IP"
    /// The `r` macro: the receiving host's name.
    public var receiver = "unknown"

    public init(resolver: any DNSResolver) { self.resolver = resolver }

    /// Evaluates for `ip`, MAIL FROM `sender` (may be empty) and HELO `helo` (RFC 7208 §2.3–2.4):
    /// the MAIL FROM domain is checked, or the HELO name when MAIL FROM is empty.
    public func evaluate(ip: IPAddress, sender: String, helo: String) async -> SPFEvaluation {
        var localPart = "postmaster"
        var domain = helo
        if !sender.isEmpty {
            if let at = sender.lastIndex(of: "@") {
                let local = String(sender[..<at])
                if !local.isEmpty { localPart = local }
                domain = String(sender[sender.index(after: at)...])
            } else {
                domain = sender
            }
        }
        let context = SPFMacroContext(sender: "\(localPart)@\(domain)", localPart: localPart, senderDomain: domain,
                                      domain: domain, ip: ip.unmapped, helo: helo, validatedName: "unknown",
                                      receiver: receiver, now: Int(Date().timeIntervalSince1970))
        let state = State()
        let outcome = await checkHost(domain: domain, context: context, depth: 0, state: state)
        return SPFEvaluation(result: outcome.result, decidedBy: outcome.decidedBy, explanation: outcome.explanation,
                             lookups: state.lookups, voidLookups: state.voids, trace: state.trace)
    }

    final class State {
        var lookups = 0
        var voids = 0
        var trace: [SPFTraceStep] = []
        func note(_ depth: Int, _ domain: String, _ text: String) {
            trace.append(SPFTraceStep(depth: depth, domain: domain, text: text, lookups: lookups))
        }
    }

    struct Outcome {
        var result: SPFResult
        var decidedBy: String?
        var explanation: String?
    }

    /// Ends evaluation with a permerror or temperror from deep inside a mechanism.
    struct Abort: Error {
        var result: SPFResult
        var reason: String
    }

    /// A name check_host() may look up: ≤ 253 characters, labels 1–63, at least two labels (§4.3).
    static func validDomain(_ text: String) -> DNSName? {
        var trimmed = Substring(text)
        if trimmed.hasSuffix(".") { trimmed = trimmed.dropLast() }
        let labels = trimmed.split(separator: ".", omittingEmptySubsequences: false)
        guard labels.count >= 2, trimmed.utf8.count <= 253,
              labels.allSatisfy({ !$0.isEmpty && $0.utf8.count <= 63 }) else { return nil }
        return try? DNSName(String(trimmed))
    }

    func checkHost(domain: String, context: SPFMacroContext, depth: Int, state: State) async -> Outcome {
        state.note(depth, domain, "check_host(\(domain))")
        guard let name = Self.validDomain(domain) else {
            state.note(depth, domain, "'\(domain)' is not a valid domain name -> none")
            return Outcome(result: .none, decidedBy: "invalid domain \(domain)")
        }
        var context = context
        context.domain = name.text
        let lookup: DNSLookup
        do {
            lookup = try await resolver.lookup(name, .txt)
        } catch {
            state.note(depth, domain, "TXT \(name.text): \(error) -> temperror")
            return Outcome(result: .temperror, decidedBy: "TXT lookup for \(name.text) failed: \(error)")
        }
        let records = lookup.txtStrings.filter(SPFRecord.isSPF)
        guard records.count == 1, let text = records.first else {
            if records.isEmpty {
                state.note(depth, domain, "TXT \(name.text): no v=spf1 record -> none")
                return Outcome(result: .none, decidedBy: "\(name.text) publishes no SPF record")
            }
            state.note(depth, domain, "TXT \(name.text): \(records.count) v=spf1 records -> permerror")
            return Outcome(result: .permerror, decidedBy: "\(name.text) publishes \(records.count) SPF records; merge them into one")
        }
        state.note(depth, domain, "TXT \(name.text): \"\(text)\"")
        let record: SPFRecord
        do {
            record = try SPFRecord(parsing: text)
        } catch {
            state.note(depth, domain, "syntax error: \(error) -> permerror")
            return Outcome(result: .permerror, decidedBy: "\(name.text): \(error)")
        }
        do {
            for directive in record.directives {
                if directive.mechanism.countsAsLookup { try count(state, depth: depth, domain: name.text, term: directive.text) }
                let matched = try await matches(directive.mechanism, context: context, depth: depth, state: state)
                if matched {
                    let result = SPFResult(qualifier: directive.qualifier)
                    state.note(depth, name.text, "\(directive.text): match -> \(result.rawValue)")
                    var outcome = Outcome(result: result, decidedBy: "\(name.text): \(directive.text)")
                    if result == .fail { outcome.explanation = await explain(record, context: context) }
                    return outcome
                }
                state.note(depth, name.text, "\(directive.text): no match")
            }
            if let redirect = record.redirect {
                try count(state, depth: depth, domain: name.text, term: "redirect=\(redirect)")
                let target = try await expandDomain(redirect, context: context)
                state.note(depth, name.text, "redirect=\(target)")
                var outcome = await checkHost(domain: target, context: context, depth: depth + 1, state: state)
                if outcome.result == .none {
                    outcome = Outcome(result: .permerror, decidedBy: "redirect target \(target) has no SPF record")
                }
                return outcome
            }
        } catch let abort as Abort {
            state.note(depth, name.text, "\(abort.reason) -> \(abort.result.rawValue)")
            return Outcome(result: abort.result, decidedBy: abort.reason)
        } catch {
            return Outcome(result: .permerror, decidedBy: "\(error)")
        }
        state.note(depth, name.text, "no mechanism matched -> neutral")
        return Outcome(result: .neutral, decidedBy: "\(name.text): no mechanism matched (default ?all)")
    }

    func count(_ state: State, depth: Int, domain: String, term: String) throws {
        state.lookups += 1
        if state.lookups > lookupLimit {
            throw Abort(result: .permerror, reason: "\(domain): '\(term)' needs DNS lookup \(state.lookups); SPF allows \(lookupLimit)")
        }
    }

    func void(_ state: State, _ what: String) throws {
        state.voids += 1
        if state.voids > voidLookupLimit {
            throw Abort(result: .permerror, reason: "\(what) is void lookup \(state.voids); SPF allows \(voidLookupLimit)")
        }
    }

    func matches(_ mechanism: SPFRecord.Mechanism, context: SPFMacroContext, depth: Int, state: State) async throws -> Bool {
        let ip = context.ip
        switch mechanism {
        case .all:
            return true
        case .ip4(let network, let prefix), .ip6(let network, let prefix):
            return ip.matches(network, prefix: prefix)
        case .include(let spec):
            let target = try await expandDomain(spec, context: context)
            let sub = await checkHost(domain: target, context: context, depth: depth + 1, state: state)
            switch sub.result {
            case .pass: return true
            case .fail, .softfail, .neutral: return false
            // Keep the innermost reason: it names the record that is actually broken.
            case .temperror: throw Abort(result: .temperror, reason: sub.decidedBy ?? "include:\(target) -> temperror")
            case .permerror: throw Abort(result: .permerror, reason: sub.decidedBy ?? "include:\(target) -> permerror")
            case .none: throw Abort(result: .permerror, reason: "include:\(target) has no SPF record")
            }
        case .a(let spec, let v4, let v6):
            let target = try await expandDomain(spec, context: context)
            guard let addresses = try await addresses(of: target, ipv6: !ip.isIPv4, state: state, countVoid: true) else { return false }
            return addresses.contains { ip.matches($0, prefix: ip.isIPv4 ? v4 : v6) }
        case .mx(let spec, let v4, let v6):
            let target = try await expandDomain(spec, context: context)
            guard let name = Self.validDomain(target) else { return false }
            let lookup = try await resolve(name, .mx)
            if lookup.isEmpty { try void(state, "MX \(target)") }
            let exchanges = lookup.records.compactMap { if case .mx(let mx) = $0.data { mx.exchange } else { nil } }
            guard exchanges.count <= 10 else {
                throw Abort(result: .permerror, reason: "\(target) has \(exchanges.count) MX records; SPF allows 10 per mx term")
            }
            for exchange in exchanges where !exchange.labels.isEmpty {
                let addresses = try await addresses(of: exchange.text, ipv6: !ip.isIPv4, state: state, countVoid: false) ?? []
                if addresses.contains(where: { ip.matches($0, prefix: ip.isIPv4 ? v4 : v6) }) { return true }
            }
            return false
        case .ptr(let spec):
            let target = try await expandDomain(spec, context: context).lowercased()
            let trimmed = target.hasSuffix(".") ? String(target.dropLast()) : target
            let names = try await validatedNames(ip: ip, state: state, countVoid: true)
            return names.contains { $0 == trimmed || $0.hasSuffix("." + trimmed) }
        case .exists(let spec):
            let target = try await expandDomain(spec, context: context)
            guard let name = Self.validDomain(target) else { return false }
            let lookup = try await resolve(name, .a)
            if lookup.isEmpty { try void(state, "exists:\(target)") }
            return !lookup.isEmpty
        }
    }

    /// A/AAAA addresses of `target`; nil for an invalid name; counts NXDOMAIN/NODATA as void.
    func addresses(of target: String, ipv6: Bool, state: State, countVoid: Bool) async throws -> [IPAddress]? {
        guard let name = Self.validDomain(target) else { return nil }
        let lookup = try await resolve(name, ipv6 ? .aaaa : .a)
        if lookup.isEmpty && countVoid { try void(state, "\(ipv6 ? "AAAA" : "A") \(target)") }
        return lookup.addresses
    }

    func resolve(_ name: DNSName, _ type: RecordType) async throws -> DNSLookup {
        do {
            return try await resolver.lookup(name, type)
        } catch {
            throw Abort(result: .temperror, reason: "\(type) \(name.text): \(error)")
        }
    }

    /// Names from the PTR records of `ip` whose forward lookup returns `ip` (RFC 7208 §5.5).
    func validatedNames(ip: IPAddress, state: State?, countVoid: Bool) async throws -> [String] {
        guard let lookup = try? await resolver.lookup(ip.reverseName, .ptr) else { return [] }
        if lookup.isEmpty, countVoid, let state { try void(state, "PTR \(ip)") }
        var names: [String] = []
        for record in lookup.records.prefix(10) {
            guard case .ptr(let ptr) = record.data else { continue }
            let forward = try? await resolver.lookup(ptr.target, ip.isIPv4 ? .a : .aaaa)
            if forward?.addresses.contains(ip) == true { names.append(ptr.target.text.lowercased()) }
        }
        return names
    }

    /// Expands a domain-spec (default: the current domain), computing %{p} only when used, and
    /// shortens results over 253 characters from the left (RFC 7208 §7.3).
    func expandDomain(_ spec: SPFMacroString?, context: SPFMacroContext) async throws -> String {
        guard let spec else { return context.domain }
        var context = context
        if spec.tokens.contains(where: { if case .expand(letter: "p", _, _, _, _) = $0 { true } else { false } }) {
            context.validatedName = await validatedName(context)
        }
        var expanded = spec.expand(context)
        if expanded.hasSuffix(".") { expanded.removeLast() }
        while expanded.utf8.count > 253, let dot = expanded.firstIndex(of: ".") {
            expanded = String(expanded[expanded.index(after: dot)...])
        }
        return expanded
    }

    func validatedName(_ context: SPFMacroContext) async -> String {
        let names = (try? await validatedNames(ip: context.ip, state: nil, countVoid: false)) ?? []
        let domain = context.domain.lowercased()
        return names.first { $0 == domain } ?? names.first { $0.hasSuffix("." + domain) } ?? names.first ?? "unknown"
    }

    /// The exp= explanation (RFC 7208 §6.2): one TXT record, macro-expanded; any problem → default.
    func explain(_ record: SPFRecord, context: SPFMacroContext) async -> String {
        guard let spec = record.explanation,
              let target = try? await expandDomain(spec, context: context),
              let name = Self.validDomain(target),
              let lookup = try? await resolver.lookup(name, .txt),
              lookup.records.count == 1,
              let text = lookup.txtStrings.first,
              let macro = try? SPFMacroString(text, explanation: true) else {
            return defaultExplanation
        }
        var context = context
        if macro.tokens.contains(where: { if case .expand(letter: "p", _, _, _, _) = $0 { true } else { false } }) {
            context.validatedName = await validatedName(context)
        }
        return macro.expand(context)
    }
}
