import Foundation
import Testing

/// Finds the shared conformance data: `$TERN_SHARED_DIR`, else `../shared` beside the package root.
/// Missing data is a test failure, never a silent skip.
enum SharedData {
    static var directory: URL {
        if let override = ProcessInfo.processInfo.environment["TERN_SHARED_DIR"], !override.isEmpty {
            return URL(fileURLWithPath: override)
        }
        // #filePath = <root>/Tests/TernDNSTests/SharedData.swift
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
        return root.deletingLastPathComponent().appendingPathComponent("shared")
    }

    static func data(_ relative: String) throws -> Data {
        let url = directory.appendingPathComponent(relative)
        guard let data = FileManager.default.contents(atPath: url.path) else {
            Issue.record("shared conformance data missing: \(url.path) (set TERN_SHARED_DIR or copy shared/ beside the repo)")
            throw MissingData(path: url.path)
        }
        return data
    }

    struct MissingData: Error { let path: String }
}

/// Deterministic PRNG for fuzz-style tests (SplitMix64), so a failure can be replayed.
struct SplitMix64: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var value = state
        value = (value ^ (value >> 30)) &* 0xBF58_476D_1CE4_E5B9
        value = (value ^ (value >> 27)) &* 0x94D0_49BB_1331_11EB
        return value ^ (value >> 31)
    }
}

func hexBytes(_ text: String) -> [UInt8] {
    var out: [UInt8] = []
    var iterator = text.makeIterator()
    while let high = iterator.next(), let low = iterator.next() {
        out.append(UInt8(String([high, low]), radix: 16)!)
    }
    return out
}
