import Foundation
import TernCore
import TernIMAPStore
import TernState

/// What a destination mailbox offers, from a login there (`MailboxScanner.inspect`).
public struct DestinationCapacity: Sendable, Equatable {
    public var address: String
    /// Quota usage and limit in bytes (STORAGE), when the server reports a quota.
    public var quotaUsed: Int64?
    public var quotaLimit: Int64?
    /// The server's APPENDLIMIT (RFC 7889), when it advertises a number.
    public var appendLimit: Int64?
    /// The login or inspection failure, when there is one.
    public var error: String?

    public init(address: String, quotaUsed: Int64? = nil, quotaLimit: Int64? = nil, appendLimit: Int64? = nil,
                error: String? = nil) {
        self.address = address
        self.quotaUsed = quotaUsed
        self.quotaLimit = quotaLimit
        self.appendLimit = appendLimit
        self.error = error
    }

    /// From a destination scan and, when the login worked, its report.
    public init(record: ScanRecord, report: AccountReport?) {
        let limits = (report?.server.capabilities ?? []).compactMap { capability -> Int64? in
            let parts = capability.split(separator: "=", maxSplits: 1)
            guard parts.count == 2, parts[0].uppercased() == "APPENDLIMIT" else { return nil }
            return Int64(parts[1])
        }
        self.init(address: record.address, quotaUsed: record.quotaUsed, quotaLimit: record.quotaLimit,
            appendLimit: limits.min(),
            error: record.status == "ok" ? nil : "\(record.errorCategory ?? "error"): \(record.error ?? "failed")")
    }
}

/// One mailbox's capacity verdict before its wave starts.
public struct CapacityResult: Sendable, Equatable {
    public enum Status: String, Sendable, Codable {
        /// It fits.
        case ok
        /// It fits, but the operator should look (little headroom, no quota reported …).
        case warning
        /// It cannot be copied as things stand.
        case problem
        /// Not enough facts (the source was never scanned).
        case unknown
    }

    public var address: String
    public var destination: String
    public var status: Status
    public var messages: [String]
}

/// The capacity check (pure): each mailbox's scanned source size against the destination's
/// free quota, and its largest message against the destination's APPENDLIMIT or preset size
/// cap. A copy that would leave less than `headroom` of the quota free is a warning.
public enum CapacityCheck {
    public static let headroom = 0.10

    public static func check(address: String, source: ScanRecord?, destination: DestinationCapacity,
                             presetMaxMessage: Int64? = nil) -> CapacityResult {
        var status = CapacityResult.Status.ok
        var messages: [String] = []
        func raise(_ to: CapacityResult.Status, _ message: String) {
            let order: [CapacityResult.Status] = [.ok, .warning, .unknown, .problem]
            if order.firstIndex(of: to)! > order.firstIndex(of: status)! { status = to }
            messages.append(message)
        }
        if let error = destination.error {
            raise(.problem, "cannot log in at the destination: \(error)")
        }
        let size = source?.status == "ok" ? source?.sizeBytes : nil
        if size == nil {
            raise(.unknown, "the source mailbox has no successful scan: run tern inventory scan")
        }
        if destination.error == nil {
            if let limit = destination.quotaLimit, limit > 0 {
                let used = destination.quotaUsed ?? 0
                let free = max(0, limit - used)
                let fmt = ByteCount.format
                if let size {
                    if size > free {
                        raise(.problem, "needs \(fmt(size)), the destination quota has \(fmt(free)) free "
                            + "(\(fmt(used)) of \(fmt(limit)) used): raise the quota before the copy")
                    } else if Double(free - size) < Double(limit) * headroom {
                        raise(.warning, "fits, but leaves \(fmt(free - size)) of \(fmt(limit)) free "
                            + "(under \(Int(headroom * 100))%)")
                    }
                }
            } else {
                raise(.warning, "the destination reports no quota: its real limit is unknown")
            }
        }
        let caps = [destination.appendLimit, presetMaxMessage].compactMap { $0 }
        if let cap = caps.min(), let largest = source?.largestMessage, largest > cap {
            raise(.problem, "its largest message (\(ByteCount.format(largest))) is over the destination's "
                + "message size cap of \(ByteCount.format(cap))")
        }
        return CapacityResult(address: address, destination: destination.address, status: status, messages: messages)
    }
}
