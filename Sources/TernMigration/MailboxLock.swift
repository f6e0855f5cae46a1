import Foundation

/// Keeps two `tern` processes from migrating the same mailbox at once (two copies racing
/// would each see the other's messages as unknown and could copy them twice). One lock file
/// per source/destination pair beside the state database, held with `flock` for the run;
/// the kernel releases it when the process dies, so a killed run never leaves it stuck.
final class MailboxLock: @unchecked Sendable {
    private let descriptor: Int32

    private init(descriptor: Int32) { self.descriptor = descriptor }

    /// Takes the lock, or returns nil when another process holds it.
    static func acquire(directory: String, source: String, destination: String) throws -> MailboxLock? {
        let name = ".tern-lock-" + stableName(source + "\u{0}" + destination)
        let path = (directory as NSString).appendingPathComponent(name)
        let descriptor = open(path, O_CREAT | O_RDWR | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else {
            throw LockError(message: "cannot create the lock file \(path): \(String(cString: strerror(errno)))")
        }
        guard flock(descriptor, LOCK_EX | LOCK_NB) == 0 else {
            close(descriptor)
            return nil
        }
        return MailboxLock(descriptor: descriptor)
    }

    deinit {
        flock(descriptor, LOCK_UN)
        close(descriptor)
    }

    /// A short, stable, file-name-safe digest of a key (FNV-1a, 64 bits).
    static func stableName(_ key: String) -> String {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in key.utf8 { hash = (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01B3 }
        return String(hash, radix: 16)
    }
}

struct LockError: Error, CustomStringConvertible {
    var message: String
    var description: String { message }
}
