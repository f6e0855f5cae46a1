import ArgumentParser
import TernDNS

/// `tern dns spf DOMAIN --ip IP`: would mail from this IP pass the domain's SPF?
struct DNSSPFCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "spf",
        abstract: "Evaluate SPF (RFC 7208) for one sending IP and show the decision and its trace.",
        discussion: "Exit status: 0 for pass, 1 for any other result, 20 for bad input."
    )

    @Argument(help: "The domain whose SPF record is checked (the MAIL FROM domain).")
    var domain: String

    @Option(help: "The sending server's IP address.")
    var ip: String

    @Option(help: "MAIL FROM address (default: postmaster@DOMAIN).")
    var sender: String?

    @Option(help: "HELO/EHLO name (default: DOMAIN).")
    var helo: String?

    @OptionGroup var connection: DNSConnectionOptions

    func validate() throws {
        guard IPAddress(ip) != nil else { throw ValidationError("--ip \(ip) is not an IPv4 or IPv6 address") }
    }

    struct Output: Encodable {
        var domain: String
        var ip: String
        var sender: String
        var helo: String
        var evaluation: SPFEvaluation
    }

    mutating func run() async throws {
        let name = try DNSOutput.domain(domain)
        let resolver: StubResolver
        do { resolver = try connection.resolver() } catch { throw DNSOutput.fail(error) }
        let sender = self.sender ?? "postmaster@\(name.text)"
        let helo = self.helo ?? name.text
        let evaluation = await SPFEvaluator(resolver: resolver).evaluate(ip: IPAddress(ip)!, sender: sender, helo: helo)
        if connection.json {
            try DNSOutput.printJSON(Output(domain: name.text, ip: ip, sender: sender, helo: helo, evaluation: evaluation))
        } else {
            print("SPF for \(name.text), sending IP \(ip), MAIL FROM \(sender), HELO \(helo)")
            print("result: \(evaluation.result.rawValue)")
            if let decidedBy = evaluation.decidedBy { print("decided by: \(decidedBy)") }
            if let explanation = evaluation.explanation { print("explanation: \(explanation)") }
            print("DNS lookups: \(evaluation.lookups) of 10, void lookups: \(evaluation.voidLookups) of 2")
            print("trace:")
            for step in evaluation.trace {
                print("  [\(String(step.lookups).leftPad(2))] \(String(repeating: "  ", count: step.depth))\(step.text)")
            }
        }
        if evaluation.result != .pass { throw TernExit.failure }
    }
}

extension String {
    func leftPad(_ width: Int) -> String { count >= width ? self : String(repeating: " ", count: width - count) + self }
}
