import Foundation
import TernCore

/// Reads a password from a file, an environment variable, or the terminal (echo off).
enum PasswordReader {
    static func read(file: String?, environment: String?, for who: String) throws(CLIError) -> Secret {
        if let file {
            guard let data = FileManager.default.contents(atPath: file) else {
                throw CLIError(TernExit.badInput, "cannot read the password file \(file)")
            }
            let text = String(decoding: data, as: UTF8.self)
            let line = text.split(separator: "\n", maxSplits: 1, omittingEmptySubsequences: false).first ?? ""
            let password = String(line.hasSuffix("\r") ? line.dropLast() : line)
            guard !password.isEmpty else { throw CLIError(TernExit.badInput, "the password file \(file) is empty") }
            return Secret(password)
        }
        if let environment {
            guard let value = ProcessInfo.processInfo.environment[environment], !value.isEmpty else {
                throw CLIError(TernExit.badInput, "the environment variable \(environment) is not set or empty")
            }
            return Secret(value)
        }
        guard isatty(STDIN_FILENO) == 1 else {
            throw CLIError(TernExit.badInput,
                "no password for \(who): give --password-file FILE or --password-env VAR (no terminal to ask on)")
        }
        return Secret(try prompt("Password for \(who): "))
    }

    private static func prompt(_ text: String) throws(CLIError) -> String {
        FileHandle.standardError.write(Data(text.utf8))
        var saved = termios()
        tcgetattr(STDIN_FILENO, &saved)
        var silent = saved
        silent.c_lflag &= ~tcflag_t(ECHO)
        tcsetattr(STDIN_FILENO, TCSANOW, &silent)
        defer {
            tcsetattr(STDIN_FILENO, TCSANOW, &saved)
            FileHandle.standardError.write(Data("\n".utf8))
        }
        guard let line = readLine(strippingNewline: true), !line.isEmpty else {
            throw CLIError(TernExit.badInput, "no password entered")
        }
        return line
    }
}
