import Foundation
import ArgumentParser
import TernIMAP
import TernIMAPStore
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

    /// Translates any error from the layers below into the exit-code table, through its
    /// failure category (`FailureCategory.exitStatus` is the one mapping).
    static func from(_ error: any Error) -> CLIError {
        if let error = error as? CLIError { return error }
        return CLIError(TernExit.code(for: category(of: error)), message(of: error))
    }

    /// The failure category of an error from the layers below.
    static func category(of error: any Error) -> FailureCategory {
        switch error {
        case let error as CLIError:
            error.exitCode == TernExit.usage ? .usage : error.exitCode == TernExit.badInput ? .badInput : .other
        case let error as IMAPError: StoreErrorClassifier.category(of: error.code)
        case let error as TransportError: StoreErrorClassifier.category(of: .transport(error.code))
        case let error as StoreError: error.category
        case is ScriptError: .script
        case is StateError: .state
        case is PlanError: .usage
        case is ProjectError, is InventoryImportError: .badInput
        default: .other
        }
    }

    private static func message(of error: any Error) -> String {
        switch error {
        case let error as IMAPError: error.message
        case let error as TransportError: error.description
        case let error as ScriptError: error.description
        case let error as StateError: error.message
        case let error as PlanError: error.message
        case let error as ProjectError: error.message
        case let error as InventoryImportError: error.message
        case let error as StoreError: error.message
        default: "\(error)"
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
