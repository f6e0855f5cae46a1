import Foundation
import TernCore
import TernIMAP

extension IMAPMailStore {
    /// Selects a folder once; read-only (EXAMINE) unless writing. Returns the SELECT data.
    @discardableResult
    func select(_ folder: StoreFolder, readOnly: Bool) async throws(StoreError) -> CommandResult? {
        // A read-write selection serves reads too.
        if let current = selectedFolder, current.raw == folder.raw, readOnly || !current.readOnly {
            return nil
        }
        let name = MailboxName(bytes: Array(folder.raw.utf8))
        let condStore = try await live().capabilities.contains(.condStore)
        let command: Command = readOnly ? .examine(name, condStore: condStore) : .select(name, condStore: condStore)
        let result = try await run(command, "open folder \(folder.portableName)")
        setSelected(folder.raw, readOnly: readOnly)
        return result
    }

    public func messages(in folder: StoreFolder, changedSince: UInt64?) async throws(StoreError) -> FolderListing {
        let capabilities = try await live().capabilities
        let condStore = capabilities.contains(.condStore)
        let attributes = Self.listingAttributes(capabilities)
        // Open and list in one round trip; UID FETCH 1:* is valid on an empty folder. A writable
        // store uses SELECT: only then are PERMANENTFLAGS the keywords it really keeps.
        let results = try await pipeline([
            openCommand(folder, condStore: condStore),
            .uidFetch(.all, attributes, changedSince: condStore ? changedSince : nil),
        ], "list the messages of \(folder.portableName)")
        setSelected(folder.raw, readOnly: readOnly)
        let untagged = results.flatMap(\.untagged)
        let (status, accepted) = try openedState(untagged, folder: folder)
        var messages: [MessageMeta] = []
        for case .fetch(_, let fetched) in untagged {
            if let meta = Self.meta(fetched) { messages.append(meta) }
        }
        messages.sort { $0.uid < $1.uid }
        return FolderListing(status: status, messages: messages, acceptedKeywords: accepted)
    }

    public func headers(in folder: StoreFolder, uids: [UInt32]) async throws(StoreError) -> [UInt32: HeaderFields] {
        guard !uids.isEmpty else { return [:] }
        try await select(folder, readOnly: true)
        let fields = IdentityHeaders.fields.map { $0.uppercased() }
        let commands = chunks(uids).map { Command.uidFetch($0, [.uid, .headerFields(fields)]) }
        let results = try await pipeline(commands, "read message headers in \(folder.portableName)")
        var headers: [UInt32: HeaderFields] = [:]
        for case .fetch(_, let fetched) in results.flatMap(\.untagged) {
            guard let uid = fetched.uid else { continue }
            let block = fetched.bodySections.first { section in
                if case .headerFields = section.key.kind { true } else { false }
            }?.value ?? nil
            headers[uid] = HeaderParser.parse(block ?? [])
        }
        return headers
    }

    public func fetch(in folder: StoreFolder, uids: [UInt32]) async throws(StoreError) -> [MessageContent] {
        guard !uids.isEmpty else { return [] }
        try await select(folder, readOnly: true)
        let commands = chunks(uids).map { Command.uidFetch($0, [.uid, .bodyPeek()]) }
        let results: [CommandResult]
        do {
            results = try await pipeline(commands, "fetch messages from \(folder.portableName)")
        } catch where error.category == .folder || error.category == .rejected {
            // A NO to the body FETCH: the server cannot read these messages (a damaged index,
            // a message on failed storage) — the folder fails as unreadable, not as unopened.
            throw StoreError(scope: error.scope, retry: error.retry, category: .sourceUnreadable,
                message: error.message, serverText: error.serverText)
        }
        var contents: [UInt32: ArraySlice<UInt8>] = [:]
        for case .fetch(_, let fetched) in results.flatMap(\.untagged) {
            guard let uid = fetched.uid, let body = fetched.body() else { continue }
            contents[uid] = body
        }
        return uids.compactMap { uid in contents[uid].map { MessageContent(uid: uid, bytes: $0) } }
    }

    public func append(to folder: StoreFolder, _ messages: [OutgoingMessage]) async throws(StoreError)
        -> [Result<UInt32?, StoreError>]
    {
        guard !messages.isEmpty else { return [] }
        let connection = try live()
        let name = MailboxName(bytes: Array(folder.raw.utf8))
        let purpose = "append to \(folder.portableName)"
        let appends = messages.map { message in
            AppendMessage(
                flags: message.flags.map(Flag.init),
                internalDate: message.internalDate.map { InternalDate($0.date, zoneMinutes: $0.zoneMinutes) },
                bytes: message.bytes)
        }
        if appends.count > 1, await connection.capabilities.contains(.multiAppend) {
            // One MULTIAPPEND (RFC 3502): the server stores the batch in one transaction — one
            // index update and sync instead of one per message. It is all-or-nothing, so a
            // refused batch is sent again message by message to find the one at fault.
            let result: CommandResult
            do {
                result = try await connection.execute(.append(name, appends))
            } catch {
                throw StoreErrorClassifier.classify(error, during: purpose, label: label)
            }
            if result.isOK {
                var uids: [UInt32]?
                // Counted before it is expanded: `1:4294967295` is a few bytes on the wire.
                if case .appendUID(_, let set) = result.state.code, set.count == appends.count {
                    uids = Array(set)
                }
                return appends.indices.map { .success(uids?[$0]) }
            }
            let error = StoreErrorClassifier.classify(result.state, during: purpose, label: label, scope: .message)
            if error.scope != .message { throw error }
        }
        // Pipelined: with LITERAL+ every APPEND streams without waiting for the server.
        let results: [CommandResult]
        do {
            results = try await connection.pipeline(appends.map { Command.append(name, [$0]) })
        } catch {
            throw StoreErrorClassifier.classify(error, during: purpose, label: label)
        }
        var outcomes: [Result<UInt32?, StoreError>] = []
        for result in results {
            if result.isOK {
                if case .appendUID(_, let uids) = result.state.code, let uid = uids.first(where: { _ in true }) {
                    outcomes.append(.success(uid))
                } else {
                    outcomes.append(.success(nil))
                }
                continue
            }
            let error = StoreErrorClassifier.classify(result.state, during: purpose, label: label, scope: .message)
            // A whole-account or connection problem is not this message's fault.
            if error.scope != .message { throw error }
            outcomes.append(.failure(error))
        }
        return outcomes
    }

    public func setFlags(in folder: StoreFolder, _ changes: [FlagChange]) async throws(StoreError) {
        guard !changes.isEmpty else { return }
        try await select(folder, readOnly: false)
        let commands = changes.map { change in
            Command.uidStore(UIDSet([change.uid]), .replace, change.flags.map(Flag.init), silent: true)
        }
        try await pipeline(commands, "update flags in \(folder.portableName)")
    }

    public func delete(in folder: StoreFolder, uids: [UInt32]) async throws(StoreError) {
        guard !uids.isEmpty else { return }
        try await select(folder, readOnly: false)
        let capabilities = try await live().capabilities
        var commands: [Command] = []
        for chunk in chunks(uids) {
            commands.append(.uidStore(chunk, .add, [.deleted], silent: true))
            // UID EXPUNGE removes only these; plain EXPUNGE would also take others' \Deleted mail.
            if capabilities.contains(.uidPlus) { commands.append(.uidExpunge(chunk)) }
        }
        try await pipeline(commands, "delete messages in \(folder.portableName)")
    }

    /// UIDs grouped into sets of at most `uidsPerCommand`.
    func chunks(_ uids: [UInt32]) -> [UIDSet] {
        stride(from: 0, to: uids.count, by: uidsPerCommand).map { start in
            UIDSet(uids[start..<min(start + uidsPerCommand, uids.count)]).normalized()
        }
    }
}
