import Foundation
import Testing
@testable import TernMigration
@testable import TernState

/// `MigrationReport.build`: hand-made inventory, scans, runs, sync states and a checklist
/// record in, the expected rows, waves, routing and attention list out — no I/O.
@Suite struct MigrationReportTests {
    static let t0 = Date(timeIntervalSince1970: 1_800_000_000)   // 2027-01-15 08:00 UTC
    static func at(_ minutes: Double) -> Date { t0.addingTimeInterval(minutes * 60) }
    static let source = InventoryObject.Source(file: "inv.csv", line: 2)

    static func mailbox(_ local: String, wave: String? = nil, destination: String? = nil,
                        status: InventoryObject.Status = .planned, kind: InventoryObject.Kind = .mailbox)
        -> InventoryObject {
        InventoryObject(kind: kind, address: "\(local)@acme.example", sources: [source],
            destination: destination, wave: wave, status: status)
    }

    static func run(_ kind: RunRecord.Kind = .sync, user: String, address: String? = nil, wave: String? = nil,
                    start: Double, status: String, copied: Int = 0, bytes: Int64 = 0, failed: Int = 0,
                    error: String? = nil, destination: String? = nil) -> RunRecord {
        RunRecord(kind: kind, sourceKey: "\(user)@imap.old.example:993",
            destinationKey: "\(destination ?? user)@imap.new.example:993", address: address, wave: wave,
            startedAt: at(start), finishedAt: at(start + 1), status: status, sourceMessages: copied,
            copied: copied, bytes: bytes, failed: failed, error: error)
    }

    static func scan(_ local: String, ok: Bool = true, messages: Int = 5, bytes: Int64 = 1_000) -> ScanRecord {
        ScanRecord(address: "\(local)@acme.example", login: local, status: ok ? "ok" : "failed",
            messages: ok ? messages : nil, sizeBytes: ok ? bytes : nil,
            error: ok ? nil : "auth: the source refused the login", errorCategory: ok ? nil : "auth", scannedAt: at(-60))
    }

    static var inventory: [InventoryObject] {
        [
            mailbox("ann", wave: "pilot"),
            mailbox("ben", wave: "pre-stage", destination: "ben.new@acme.example"),
            mailbox("cid", wave: "pre-stage"),
            mailbox("dot"),
            mailbox("eve", kind: .shared),
            mailbox("fay"),
            mailbox("sam", status: .skipped),
            InventoryObject(kind: .alias, address: "sales@acme.example", targets: ["ben@acme.example"], sources: [source]),
            InventoryObject(kind: .group, address: "team@acme.example", targets: ["ann@acme.example", "ben@acme.example"],
                sources: [source]),
            InventoryObject(kind: .forwarder, address: "info@acme.example", targets: ["owner@gmail.example"],
                sources: [source], keepCopy: true),
            InventoryObject(kind: .forwarder, address: "billing@acme.example", targets: ["ap@books.example"],
                sources: [source]),
            InventoryObject(kind: .catchall, address: "@acme.example", targets: ["ann@acme.example"], sources: [source],
                status: .review, notes: ["inv.csv:9 says reject, inv.csv:8 says deliver"]),
        ]
    }

    static var runs: [RunRecord] {
        [
            // ann: by its inventory address (run wave), copied then verified.
            run(user: "ann", address: "ann@acme.example", wave: "pilot", start: 0, status: "done", copied: 5, bytes: 1_000),
            run(.verify, user: "ann", address: "ann@acme.example", wave: "pilot", start: 2, status: "match"),
            // ben: a tern sync by key only: the local part finds the mailbox; it failed.
            run(user: "ben", start: 10, status: "failed", error: "auth: the source refused the login"),
            // cid: the key's user is the full address; copied, then a verification differs.
            run(user: "cid@acme.example", start: 20, status: "done", copied: 3, bytes: 300),
            run(.verify, user: "cid@acme.example", start: 22, status: "mismatch", failed: 2),
            // eve: copied once; a later sync is still marked running (below).
            run(user: "eve", start: 30, status: "done", copied: 1, bytes: 10),
            // fay: two passes, the last with failed messages.
            run(user: "fay", start: 40, status: "done", copied: 4, bytes: 400),
            run(user: "fay", start: 50, status: "partial", copied: 1, bytes: 100, failed: 3),
            // Nobody in the inventory.
            run(user: "zed", start: 60, status: "done", copied: 1, bytes: 1),
        ]
    }

    static var checklist: ChecklistRecord {
        ChecklistRecord(evaluatedAt: at(100), report: ChecklistReport(items: [
            ChecklistItem(key: "routing", title: "Every alias, group and forwarder is recreated", status: .fail,
                evidence: ["billing@acme.example: missing: no script tern-forward",
                           "info@acme.example: tern-forward is active and as expected",
                           "sales@acme.example: manual: create in the provider's admin console (sales@acme.example → ben.new@acme.example)"]),
            ChecklistItem(key: "mx-ttl", title: "MX TTL is lowered on every authoritative server", status: .fail,
                evidence: ["acme.example at ns1: MX TTL 3600s (over 300s)"]),
            ChecklistItem(key: "final-delta", title: "A final delta pass is scheduled", status: .manual,
                evidence: ["not scheduled"]),
        ]))
    }

    static var inputs: MigrationReport.Inputs {
        MigrationReport.Inputs(
            config: ProjectConfig(from: "cpanel", to: "trekmail", domains: ["acme.example"], created: at(-1_000)),
            inventory: inventory,
            scans: [scan("ann"), scan("ben", bytes: 2_000), scan("cid", messages: 3, bytes: 300), scan("eve"),
                    scan("fay", ok: false)],
            runs: runs,
            syncRecords: [MailboxRecord(id: 9, source: "eve@imap.old.example:993", destination: "eve@imap.new.example:993",
                status: .running, lastError: nil, updatedAt: at(70))],
            checklist: checklist, generatedAt: at(200))
    }

    @Test func mailboxRowsLinkRunsAndDeriveTheirState() throws {
        let report = MigrationReport.build(Self.inputs)
        let states = Dictionary(uniqueKeysWithValues: report.mailboxes.map { ($0.address, $0.state) })
        #expect(states == ["ann@acme.example": .verified, "ben@acme.example": .failed, "cid@acme.example": .mismatch,
                           "dot@acme.example": .notStarted, "eve@acme.example": .inProgress,
                           "fay@acme.example": .partial, "sam@acme.example": .skipped])
        let ann = try #require(report.mailboxes.first { $0.address == "ann@acme.example" })
        #expect(ann.verification == "match" && ann.lastVerification?.finishedAt == Self.at(3))
        #expect(ann.lastCopy?.copied == 5 && ann.lastCopy?.wave == "pilot" && ann.scan?.messages == 5)
        let ben = try #require(report.mailboxes.first { $0.address == "ben@acme.example" })
        #expect(ben.destination == "ben.new@acme.example")
        #expect(ben.lastCopy?.error == "auth: the source refused the login" && ben.verification == "never")
        let fay = try #require(report.mailboxes.first { $0.address == "fay@acme.example" })
        #expect(fay.totals == MailboxRow.RunTotals(copyRuns: 2, copied: 5, bytes: 500, verifyRuns: 0))
        #expect(fay.lastCopy?.failed == 3 && fay.scan?.status == "failed")
        let eve = try #require(report.mailboxes.first { $0.address == "eve@acme.example" })
        #expect(eve.kind == .shared && eve.sync?.status == "running" && eve.sync?.updatedAt == Self.at(70))

        #expect(report.unlinkedRuns.map(\.sourceKey) == ["zed@imap.old.example:993"])
        #expect(report.unlinkedRuns.first?.reason == "no inventory mailbox has the user zed")
        #expect(report.totals.copyRuns == 6 && report.totals.verifyRuns == 2, "zed's run is not counted")
        #expect(report.totals.copiedMessages == 14 && report.totals.copiedBytes == 1_810)
        #expect(report.totals.scanned == 4 && report.totals.scannedBytes == 4_300 && report.totals.scannedMessages == 18)
        #expect(report.totals.byState.map(\.state) == MailboxState.allCases, "every state listed, in order")
        #expect(report.totals.byState.first { $0.state == .verified }?.count == 1)
    }

    @Test func attentionListsFailuresMismatchesReviewChecklistAndScans() {
        let report = MigrationReport.build(Self.inputs)
        let listed = report.attention.map { "\($0.kind.rawValue) \($0.subject)" }
        #expect(listed == [
            "mailbox-failed ben@acme.example",
            "mailbox-partial fay@acme.example",
            "verification-mismatch cid@acme.example",
            "copy-interrupted eve@acme.example",
            "checklist-failed mx-ttl",
            "checklist-failed routing",
            "review @acme.example",
            "scan-failed fay@acme.example",
            "never-scanned dot@acme.example",
        ], "the skipped sam@ is never listed, though never scanned")
        let failed = report.attention[0]
        #expect(failed.detail == "auth: the source refused the login" && failed.recordedAt == Self.at(11))
        #expect(report.attention[1].detail.hasPrefix("3 messages could not be copied"))
        #expect(report.attention[2].detail.hasPrefix("2 differences"))
        #expect(report.attention[4].recordedAt == Self.at(100))
        #expect(report.attention[6].detail == "catchall: inv.csv:9 says reject, inv.csv:8 says deliver")
    }

    @Test func wavesCountTheirMailboxesAndFinalCountsOnlyFinalPasses() throws {
        let report = MigrationReport.build(Self.inputs)
        #expect(report.waves.map { $0.wave ?? "none" } == ["pilot", "pre-stage", "none", "final"])
        let pilot = report.waves[0]
        #expect((pilot.mailboxes, pilot.copied, pilot.verified, pilot.failed, pilot.notStarted) == (1, 1, 1, 0, 0))
        #expect(pilot.scannedBytes == 1_000 && pilot.copiedBytes == 1_000 && pilot.lastActivity == Self.at(3))
        let preStage = report.waves[1]
        #expect((preStage.mailboxes, preStage.copied, preStage.failed, preStage.notStarted) == (2, 1, 2, 0),
            "ben failed; cid copied but differs")
        let unplanned = report.waves[2]
        #expect((unplanned.mailboxes, unplanned.inProgress, unplanned.notStarted, unplanned.failed) == (3, 1, 1, 1))
        let final = report.waves[3]
        #expect((final.mailboxes, final.copied, final.notStarted) == (6, 0, 6), "no final pass yet; sam is skipped")

        // A final pass for ann: only it counts in final, with its bytes.
        var inputs = Self.inputs
        inputs.runs.append(Self.run(user: "ann", address: "ann@acme.example", wave: "final", start: 300, status: "done",
            copied: 1, bytes: 42))
        let later = MigrationReport.build(inputs)
        let finalLater = try #require(later.waves.last)
        #expect((finalLater.copied, finalLater.notStarted, finalLater.copiedBytes) == (1, 5, 42))
        #expect(later.mailboxes.first?.state == .preStaged, "copied again since the verification")
    }

    @Test func routingRowsFollowRenamesAndTheLastChecklist() throws {
        let report = MigrationReport.build(Self.inputs)
        let rows = Dictionary(uniqueKeysWithValues: report.routing.map { ($0.address, $0) })
        #expect(report.routing.map(\.kind) == [.alias, .group, .forwarder, .forwarder, .catchall])
        let sales = try #require(rows["sales@acme.example"])
        #expect(sales.targets == ["ben.new@acme.example"] && sales.destinationStatus == .manual)
        #expect(sales.detail.hasSuffix("(sales@acme.example → ben.new@acme.example)") && sales.checkedAt == nil,
            "a manual step the checklist listed, not checked")
        #expect(rows["info@acme.example"]?.checkedAt == Self.at(100))
        #expect(rows["team@acme.example"]?.targets == ["ann@acme.example", "ben.new@acme.example"])
        #expect(rows["team@acme.example"]?.destinationStatus == .manual && rows["team@acme.example"]?.checkedAt == nil)
        #expect(rows["info@acme.example"]?.destinationStatus == .verified)
        #expect(rows["info@acme.example"]?.detail == "tern-forward is active and as expected")
        #expect(rows["billing@acme.example"]?.destinationStatus == .missing)
        #expect(rows["billing@acme.example"]?.detail == "no script tern-forward")
        #expect(rows["@acme.example"]?.destinationStatus == .review)

        // Without a checklist: forwarders are not checked, the rest is by hand, and it says so.
        var inputs = Self.inputs
        inputs.checklist = nil
        let bare = MigrationReport.build(inputs)
        #expect(bare.routing.first { $0.address == "info@acme.example" }?.destinationStatus == .notChecked)
        #expect(bare.checklist == ChecklistSection(evaluatedAt: nil, passed: nil, items: []))
        #expect(!bare.attention.contains { $0.kind == .checklistFailed })
        #expect(ReportRenderer.markdown(bare).contains("Not evaluated yet: run tern checklist."))
    }

    /// The routing record (`routing apply`/`verify`, checklist) wins over the checklist's
    /// evidence lines; apply's ok is "created", a check's ok "verified"; review objects keep
    /// their review status whatever was recorded.
    @Test func routingRecordSaysWhatApplyAndVerifyFound() throws {
        var record = RoutingRecord()
        record.record([
            RoutingApplier.Outcome(kind: .alias, address: "sales@acme.example", status: .ok,
                detail: "create_alias in api.lua: created"),
            RoutingApplier.Outcome(kind: .forwarder, address: "billing@acme.example", status: .ok,
                detail: "installed and activated Sieve script tern-forward"),
            RoutingApplier.Outcome(kind: .catchall, address: "@acme.example", status: .manual, detail: "manual: by hand"),
        ], command: "apply", at: Self.at(150))
        record.record([RoutingApplier.Outcome(kind: .group, address: "team@acme.example", status: .missing,
            detail: "not listed by list_groups")], command: "verify", at: Self.at(160))
        record.record([RoutingApplier.Outcome(kind: .group, address: "team@acme.example", status: .planned,
            detail: "would call create_group")], command: "apply", at: Self.at(170))
        var inputs = Self.inputs
        inputs.routing = record
        let rows = Dictionary(uniqueKeysWithValues: MigrationReport.build(inputs).routing.map { ($0.address, $0) })
        #expect(rows["sales@acme.example"]?.destinationStatus == .created)
        #expect(rows["sales@acme.example"]?.checkedAt == Self.at(150))
        #expect(rows["billing@acme.example"]?.destinationStatus == .created, "newer than the checklist's missing")
        #expect(rows["team@acme.example"]?.destinationStatus == .missing, "a dry-run plan is not a fact")
        #expect(rows["team@acme.example"]?.detail == "not listed by list_groups")
        #expect(rows["info@acme.example"]?.destinationStatus == .verified, "not in the record: the checklist's evidence")
        #expect(rows["@acme.example"]?.destinationStatus == .review)
        #expect(ReportRenderer.markdown(MigrationReport.build(inputs)).contains("created at destination"))
    }

    @Test func inventorySummaryCountsKindsAndStatuses() {
        let report = MigrationReport.build(Self.inputs)
        #expect(report.inventory.objects == 12)
        let mailbox = report.inventory.byKind.first { $0.kind == .mailbox }
        #expect(mailbox == MigrationReport.KindCount(kind: .mailbox, total: 6, planned: 5, review: 0, skipped: 1))
        #expect(report.inventory.byKind.map(\.kind) == [.mailbox, .shared, .alias, .group, .forwarder, .catchall])
        #expect(report.inventory.review.map(\.address) == ["@acme.example"])
        #expect(report.checklist.passed == false && report.checklist.items.count == 3)
    }

    // MARK: - State and linking

    @Test func stateComesFromTheLatestCopyAndAVerificationAfterIt() {
        func state(_ runs: [RunRecord], sync: MailboxRecord? = nil, status: InventoryObject.Status = .planned)
            -> MailboxState {
            MigrationReport.mailboxRow(Self.mailbox("ann", status: status), scan: nil, runs: runs, sync: sync).state
        }
        let done = Self.run(user: "ann", start: 0, status: "done")
        let match = Self.run(.verify, user: "ann", start: 5, status: "match")
        let failedLater = Self.run(user: "ann", start: 10, status: "failed")
        let doneLater = Self.run(user: "ann", start: 10, status: "done")
        #expect(state([]) == .notStarted)
        #expect(state([done]) == .preStaged)
        #expect(state([done, match]) == .verified)
        #expect(state([done, match, doneLater]) == .preStaged, "copied again after the verification")
        #expect(state([done, match, failedLater]) == .failed, "the latest pass failed")
        #expect(state([match]) == .verified, "copied by other means, verified by Tern")
        #expect(state([done], status: .skipped) == .skipped)
        let record = { (status: MailboxStatus, minutes: Double) in
            MailboxRecord(id: 1, source: "ann@h:993", destination: "ann@h:993", status: status, lastError: "x",
                updatedAt: Self.at(minutes))
        }
        #expect(state([], sync: record(.done, 1)) == .preStaged, "state from before the run history")
        #expect(state([], sync: record(.failed, 1)) == .failed)
        #expect(state([done], sync: record(.running, 0.5)) == .preStaged, "marked running before that copy finished")
        #expect(state([done], sync: record(.running, 30)) == .inProgress)
    }

    @Test func linkerPrefersTheAddressThenTheKeyUserThenAUniqueLocalPart() {
        let objects = [
            InventoryObject(kind: .mailbox, address: "kim@one.example", destination: "kim.lee@new.example"),
            InventoryObject(kind: .mailbox, address: "max@one.example"),
            InventoryObject(kind: .mailbox, address: "max@two.example"),
        ]
        let linker = MailboxLinker(objects)
        func link(_ address: String?, _ source: String, _ destination: String = "x@dst:993") -> MailboxLinker.Link {
            linker.link(address: address, sourceKey: source, destinationKey: destination)
        }
        #expect(link("max@two.example", "max@src:993") == .row(2), "the run's address first")
        #expect(link("gone@one.example", "kim@src:993") == .row(0), "an unknown address falls back to the key")
        #expect(link(nil, "max@one.example@src:993") == .row(1), "the key's user is an address")
        #expect(link(nil, "kim.lee@new.example@src:993") == .row(0), "or the destination counterpart")
        #expect(link(nil, "kim@src:993") == .row(0), "a unique local part")
        #expect(link(nil, "kim.lee@[::1]:993") == .row(0), "the destination's local part, an IPv6 host")
        #expect(link(nil, "max@src:993") == .unlinked("2 inventory mailboxes have the user max"))
        #expect(link(nil, "max@src:993", "max@two.example@dst:993") == .row(2), "the destination key narrows it")
        #expect(link(nil, "max@three.example@src:993") == .unlinked("no inventory mailbox is max@three.example"))
        #expect(link(nil, "nobody@src:993") == .unlinked("no inventory mailbox has the user nobody"))
    }
}
