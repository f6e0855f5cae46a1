/// Places recorded runs and sync states on inventory mailboxes.
///
/// A run of `tern run wave` knows its inventory address; a `tern sync`/`batch` run knows only
/// its accounts' keys (`user@host:port`, the user being a full address or a bare name). So:
/// the run's address when it names an inventory mailbox; else the source key's user as an
/// inventory address (or destination counterpart); else as a local part — when exactly one
/// mailbox has it, or when the destination key's user narrows several down to one.
struct MailboxLinker {
    enum Link: Equatable {
        case row(Int)
        case unlinked(String)
    }

    private var byAddress: [String: Int] = [:]
    private var byLocalPart: [String: [Int]] = [:]
    private let objects: [InventoryObject]

    init(_ objects: [InventoryObject]) {
        self.objects = objects
        for (index, object) in objects.enumerated() {
            byAddress[object.address] = byAddress[object.address] ?? index
        }
        for (index, object) in objects.enumerated() {
            if byAddress[object.destinationAddress] == nil { byAddress[object.destinationAddress] = index }
            let locals = [Self.localPart(object.address), Self.localPart(object.destinationAddress)]
            for local in Set(locals) { byLocalPart[local, default: []].append(index) }
        }
    }

    func link(address: String?, sourceKey: String, destinationKey: String) -> Link {
        if let address, let index = byAddress[address] { return .row(index) }
        let user = Self.user(sourceKey)
        if let index = byAddress[user] { return .row(index) }
        guard !user.contains("@") else { return .unlinked("no inventory mailbox is \(user)") }
        let candidates = byLocalPart[user] ?? []
        if candidates.count == 1 { return .row(candidates[0]) }
        if candidates.isEmpty { return .unlinked("no inventory mailbox has the user \(user)") }
        // Several domains share the local part: the destination account may tell them apart.
        let destination = Self.user(destinationKey)
        let narrowed = candidates.filter { objects[$0].destinationAddress == destination }
        if narrowed.count == 1 { return .row(narrowed[0]) }
        return .unlinked("\(candidates.count) inventory mailboxes have the user \(user)")
    }

    /// The user of an account key `user@host:port` (the user may itself contain `@`).
    static func user(_ key: String) -> String {
        guard let at = key.lastIndex(of: "@") else { return key }
        return String(key[..<at])
    }

    static func localPart(_ address: String) -> String {
        guard let at = address.lastIndex(of: "@") else { return address }
        return String(address[..<at])
    }
}
