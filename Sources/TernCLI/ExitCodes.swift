import ArgumentParser
import TernCore

/// `tern`'s exit statuses as ArgumentParser codes; the numbers and what each means live in
/// `ExitStatus` (TernCore), and the category → status mapping in `FailureCategory.exitStatus`.
public enum TernExit {
    public static let success = ExitCode(ExitStatus.success)
    public static let failure = ExitCode(ExitStatus.failure)
    public static let partial = ExitCode(ExitStatus.partial)
    public static let mismatch = ExitCode(ExitStatus.mismatch)
    public static let connectFailed = ExitCode(ExitStatus.connectFailed)
    public static let tlsFailed = ExitCode(ExitStatus.tlsFailed)
    public static let authFailed = ExitCode(ExitStatus.authFailed)
    public static let protocolError = ExitCode(ExitStatus.protocolError)
    public static let badInput = ExitCode(ExitStatus.badInput)
    public static let usage = ExitCode(ExitStatus.usage)

    /// The exit code of a run that ended in `category`.
    public static func code(for category: FailureCategory) -> ExitCode { ExitCode(category.exitStatus) }
}
