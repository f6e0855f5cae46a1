import TernCore
import TernIMAP

extension AccountInspector {
    /// The largest RFC822.SIZE in any selectable folder, reading only with EXAMINE.
    ///
    /// With SORT and ESORT (RFC 5256, RFC 5267): one pipeline of `EXAMINE` + `UID SORT RETURN
    /// (MIN) (REVERSE SIZE) UTF-8 ALL` per folder — with ESORT, MIN is the first message in sort
    /// order (RFC 5267), here the largest — then one pipeline of `EXAMINE` + `UID FETCH uid
    /// (RFC822.SIZE)` per folder: two round trips for the whole account. Without them, and for a
    /// folder whose SORT was refused, `FETCH lo:hi (RFC822.SIZE)` in chunks of `sizeFetchChunk`
    /// messages with `sizeFetchWindow` chunks in flight, keeping only the running maximum.
    /// Folders whose sizes `fillSizes` already read all are not read again.
    ///
    /// Throws `.commandFailed` when a folder cannot be read, so a partial maximum is never
    /// reported as the account's largest.
    func largestMessage(_ folders: [ListedFolder], connection: IMAPConnection,
                        capabilities: Set<Capability>) async throws(IMAPError) -> Int64 {
        var largest = folders.compactMap(\.largest).max() ?? 0
        var pending = folders.filter { $0.report.selectable && $0.largest == nil && ($0.report.messages ?? 1) > 0 }
        guard !pending.isEmpty else { return largest }
        if capabilities.contains(.sort) && capabilities.contains(.esort) {
            let (found, unsorted) = try await largestBySort(pending, connection: connection)
            largest = max(largest, found)
            pending = unsorted
        }
        if !pending.isEmpty {
            largest = max(largest, try await largestByFetch(pending, connection: connection))
        }
        _ = try? await connection.execute(capabilities.contains(.unselect) ? .unselect : .close)
        return largest
    }

    /// The ESORT way; returns the largest found and the folders it could not answer for.
    private func largestBySort(_ folders: [ListedFolder], connection: IMAPConnection) async throws(IMAPError)
        -> (Int64, [ListedFolder])
    {
        let sorted = try await connection.pipeline(folders.flatMap { folder -> [Command] in
            [.examine(folder.name), .uidSort([.largestFirst], criteria: "ALL", returnOptions: ["MIN"])]
        })
        var targets: [(folder: ListedFolder, uid: UInt32)] = []
        var unsorted: [ListedFolder] = []
        for (offset, folder) in folders.enumerated() {
            // EXAMINE is a barrier: a folder's ESEARCH lands on its own EXAMINE or SORT.
            let examine = sorted[2 * offset]
            let sort = sorted[2 * offset + 1]
            guard examine.isOK else { throw Self.unreadable(folder, examine) }
            guard sort.isOK else {
                unsorted.append(folder)
                continue
            }
            let first = (examine.untagged + sort.untagged).lazy.compactMap { response -> UInt32? in
                if case .esearch(let result) = response { result.min } else { nil }
            }.first
            if let first { targets.append((folder, first)) }  // none: the folder emptied meanwhile
        }
        guard !targets.isEmpty else { return (0, unsorted) }
        let fetched = try await connection.pipeline(targets.flatMap { target -> [Command] in
            [.examine(target.folder.name), .uidFetch(UIDSet([target.uid]), [.rfc822Size])]
        })
        var largest: Int64 = 0
        for (offset, target) in targets.enumerated() {
            let examine = fetched[2 * offset]
            let fetch = fetched[2 * offset + 1]
            guard examine.isOK else { throw Self.unreadable(target.folder, examine) }
            guard fetch.isOK else { throw Self.unreadable(target.folder, fetch) }
            var size: Int64?
            for case .fetch(_, let attributes) in examine.untagged + fetch.untagged {
                if let value = attributes.rfc822Size { size = max(size ?? 0, value) }
            }
            // Expunged between the two round trips: read the folder the slow way.
            if let size { largest = max(largest, size) } else { unsorted.append(target.folder) }
        }
        return (largest, unsorted)
    }

    /// The FETCH way, in bounded windows: each window is one pipeline of at most
    /// `sizeFetchWindow` chunked FETCHes (with the EXAMINEs they need), and its sizes are
    /// dropped once the maximum is taken.
    private func largestByFetch(_ folders: [ListedFolder], connection: IMAPConnection) async throws(IMAPError)
        -> Int64
    {
        let chunk = UInt32(max(1, sizeFetchChunk))
        var steps: [(folder: ListedFolder, command: Command)] = []
        for folder in folders {
            steps.append((folder, .examine(folder.name)))
            let count = UInt32(clamping: folder.report.messages ?? 0)
            var low: UInt32 = 1
            repeat {
                // The last chunk runs to `*`, so messages that arrived since STATUS are read too.
                let last = count < chunk || low > count - chunk
                let range = last ? low...SequenceSet.star : low...(low + chunk - 1)
                steps.append((folder, .fetch(SequenceSet(ranges: [range]), [.rfc822Size])))
                if last { break }
                low += chunk
            } while true
        }
        var largest: Int64 = 0
        var start = 0
        let window = max(1, sizeFetchWindow)
        while start < steps.count {
            var end = start
            var fetches = 0
            while end < steps.count {
                if case .fetch = steps[end].command {
                    if fetches == window { break }
                    fetches += 1
                }
                end += 1
            }
            let batch = steps[start..<end]
            let results = try await connection.pipeline(batch.map(\.command))
            for (step, result) in zip(batch, results) {
                guard result.isOK else { throw Self.unreadable(step.folder, result) }
                for case .fetch(_, let attributes) in result.untagged {
                    largest = max(largest, attributes.rfc822Size ?? 0)
                }
            }
            start = end
        }
        return largest
    }

    private static func unreadable(_ folder: ListedFolder, _ result: CommandResult) -> IMAPError {
        IMAPError(.commandFailed, "cannot read the sizes in \(folder.report.name): "
            + "\(result.state.status.rawValue) \(result.state.text)", serverText: result.state.text)
    }
}
