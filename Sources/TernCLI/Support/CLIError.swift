import Foundation
import ArgumentParser
import TernIMAP
import TernMigration
import TernCore
import TernState
import TernSync
import TernTLS

/// An error the CLI reports as one line on stderr, with the exit code it stands for.
struct CLIError: Error, CustomStringConvertible {
    var exitCode: ExitCode
    var message: String

    init(_ exitCode: ExitCode, _ message: String) {
        self.exitCode = exitCode
        self.message = message
    }

    var description: String { message }

    /// Translates any error from the layers below into the exit-code table.
    static func from(_ error: any Error) -> CLIError {
        switch error {
        case let error as CLIError:
            return error
        case let error as IMAPError:
            return CLIError(exitCode(for: error.code), error.message)
        case let error as TransportError:
            return CLIError(exitCode(for: .transport(error.code)), error.description)
        case let error as ScriptError:
            return CLIError(TernExit.badInput, error.description)
        case let error as StateError:
            return CLIError(TernExit.badInput, error.message)
        case let error as PlanError:
            return CLIError(TernExit.usage, error.message)
        case let error as ProjectError:
            return CLIError(TernExit.badInput, error.message)
        case let error as InventoryImportError:
            return CLIError(TernExit.badInput, error.message)
        case let error as StoreError:
            return CLIError(storeExitCode(error), error.message)
        default:
            return CLIError(TernExit.failure, "\(error)")
        }
    }

    static func storeExitCode(_ error: StoreError) -> ExitCode {
        switch error.category {
        case "tls": TernExit.tlsFailed
        case "auth": TernExit.authFailed
        case "connection", "throttled": TernExit.connectFailed
        case "protocol": TernExit.protocolError
        default: TernExit.failure
        }
    }

    static func exitCode(for code: IMAPError.Code) -> ExitCode {
        switch code {
        case .transport(.nameResolution), .transport(.connectFailed), .transport(.timeout), .timeout:
            TernExit.connectFailed
        case .transport(.certificateVerification), .transport(.tlsHandshake), .transport(.startTLSUnavailable),
             .plaintextRefused:
            TernExit.tlsFailed
        case .authenticationFailed, .unsupported:
            TernExit.authFailed
        case .credentialSource:
            TernExit.badInput
        case .protocolViolation, .connectionClosed, .transport(.io), .transport(.closed):
            TernExit.protocolError
        case .commandFailed:
            TernExit.failure
        }
    }
}

/// Runs a command body, printing any failure as `tern: error: …` and exiting with its code.
func reportingErrors(_ body: () async throws -> Void) async throws {
    do {
        try await body()
    } catch let error as ExitCode {
        throw error
    } catch {
        let failure = CLIError.from(error)
        var stderr = StandardError()
        print("tern: error: \(failure.message)", to: &stderr)
        throw failure.exitCode
    }
}

struct StandardError: TextOutputStream {
    mutating func write(_ string: String) {
        FileHandle.standardError.write(Data(string.utf8))
    }
}
