import Foundation
import Testing

/// Finds the conformance data kept in the repository (`Tests/Fixtures/conformance`, each folder
/// with its origin and licence). Missing data is a test failure, never a silent skip.
enum SharedData {
    static var directory: URL {
        // #filePath = <root>/Tests/TernDNSTests/SharedData.swift
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Fixtures")
    }

    static func data(_ relative: String) throws -> Data {
        let url = directory.appendingPathComponent(relative)
        guard let data = FileManager.default.contents(atPath: url.path) else {
            Issue.record("conformance data missing from the repository: \(url.path)")
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
