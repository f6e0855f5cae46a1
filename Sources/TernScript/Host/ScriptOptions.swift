import Foundation
import Logging
import TernDNS
import TernTLS

/// What the operator allows scripts and presets to do, and where their output goes. One value
/// is shared by every Lua state of a run (each worker's state gets a copy).
public struct ScriptOptions: Sendable {
    /// Receives `tern.log.*` and `print` (with `script.location` metadata). Give it the mailbox
    /// logger so lines land in the mailbox log.
    public var logger: Logger
    /// Environment variables `tern.env(name)` may read (`--allow-env NAME`, repeatable).
    public var allowedEnvironment: Set<String>
    /// Where variables are read from (the process environment by default).
    public var environment: [String: String]
    /// Folders `require(name)` searches, in order (the preset/script search path).
    public var modulePath: [String]
    /// `tern.http` settings.
    public var http: HTTPClientConfiguration
    /// Resolver for `tern.dns.*`; nil uses the system's (`/etc/resolv.conf`) on first use.
    public var resolver: (any DNSResolver)?
    public var limits: LuaLimits
    /// `tern preset check`: every `tern.env` name is allowed and reads as unset.
    var checkingOnly = false

    public init(
        logger: Logger = Logger(label: "tern.script"), allowedEnvironment: Set<String> = [],
        environment: [String: String] = ProcessInfo.processInfo.environment,
        modulePath: [String] = PresetSearchPath.standard.moduleDirectories,
        http: HTTPClientConfiguration = HTTPClientConfiguration(), resolver: (any DNSResolver)? = nil,
        limits: LuaLimits = .default
    ) {
        self.logger = logger
        self.allowedEnvironment = allowedEnvironment
        self.environment = environment
        self.modulePath = modulePath
        self.http = http
        self.resolver = resolver
        self.limits = limits
    }
}

/// Severity of a `tern.log` line.
public enum ScriptLogLevel: String, Sendable {
    case info, warn, error
}

struct FoundModule {
    var source: String
    var displayName: String
}

extension ScriptOptions {
    func log(_ level: ScriptLogLevel, _ message: String, location: String?) {
        var metadata: Logger.Metadata = [:]
        if let location { metadata["script.location"] = .string(location) }
        switch level {
        case .info: logger.info("\(message)", metadata: metadata)
        case .warn: logger.warning("\(message)", metadata: metadata)
        case .error: logger.error("\(message)", metadata: metadata)
        }
    }

    /// Finds `name.lua` (dots are folders) in `modulePath`.
    func findModule(_ name: String) -> Result<FoundModule, ModuleError> {
        let parts = name.split(separator: ".", omittingEmptySubsequences: false)
        let valid = !parts.isEmpty && parts.allSatisfy { part in
            !part.isEmpty && part.unicodeScalars.allSatisfy { $0.properties.isASCIIHexDigit || ("a"..."z").contains($0)
                || ("A"..."Z").contains($0) || ("0"..."9").contains($0) || $0 == "_" }
        }
        guard valid else {
            return .failure(ModuleError("require: module name '\(name)' must be words of letters, digits and _ " +
                                        "separated by '.'"))
        }
        let relative = parts.joined(separator: "/") + ".lua"
        for directory in modulePath {
            let path = (directory as NSString).appendingPathComponent(relative)
            guard let data = FileManager.default.contents(atPath: path) else { continue }
            guard data.count <= limits.maxSourceBytes else {
                return .failure(ModuleError("require: \(path) is larger than \(limits.maxSourceBytes) bytes"))
            }
            return .success(FoundModule(source: String(decoding: data, as: UTF8.self), displayName: path))
        }
        let searched = modulePath.isEmpty ? "(no search path)" : modulePath.joined(separator: ", ")
        return .failure(ModuleError("require: module '\(name)' not found; searched \(relative) in \(searched)"))
    }
}

struct ModuleError: Error {
    var message: String
    init(_ message: String) { self.message = message }
}
