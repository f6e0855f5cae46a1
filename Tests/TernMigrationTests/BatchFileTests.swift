import Testing
import TernCore
@testable import TernMigration

/// `BatchFile.parse`: both CSV forms, RFC 4180 quoting, and bad rows reported with file:line
/// while the good ones still run.
@Suite struct BatchFileTests {
    @Test func classicFourColumnForm() {
        let file = BatchFile.parse("alice,old-pw,alice@new.example,new-pw\nbob,b1,bob,b2\n", path: "users.csv")
        #expect(file.problems.isEmpty)
        #expect(file.rows.count == 2)
        let row = file.rows[0]
        #expect(row.line == 1)
        #expect(row.sourceUser == "alice")
        #expect(row.sourcePassword?.revealed == "old-pw")
        #expect(row.destinationUser == "alice@new.example")
        #expect(row.destinationPassword?.revealed == "new-pw")
        #expect(row.source == BatchFile.Overrides())
        #expect(file.rows[1].line == 2)
    }

    @Test func emptyPasswordCellMeansTheCommandLinePassword() {
        let file = BatchFile.parse("alice,,alice,\n", path: "f.csv")
        #expect(file.problems.isEmpty)
        #expect(file.rows.first?.sourcePassword == nil)
        #expect(file.rows.first?.destinationPassword == nil)
    }

    @Test func headerFormWithPerRowHosts() {
        let text = """
            source_user,source_password,dest_user,dest_password,host1,port1,tls1,host2,port2,tls2,preset2
            alice,a1,alice@new,a2,imap.old.example,143,starttls,imap.new.example,993,implicit,gmail
            bob,b1,bob@new,b2,,,,,,,

            """
        let file = BatchFile.parse(text, path: "h.csv")
        #expect(file.problems.isEmpty)
        #expect(file.rows.count == 2)
        let alice = file.rows[0]
        #expect(alice.line == 2)
        #expect(alice.source == BatchFile.Overrides(host: "imap.old.example", port: 143, tls: "starttls", preset: nil))
        #expect(alice.destination == BatchFile.Overrides(host: "imap.new.example", port: 993, tls: "implicit",
            preset: "gmail"))
        #expect(file.rows[1].source == BatchFile.Overrides())
        #expect(file.rows[1].line == 3)
    }

    @Test func quotedFieldsKeepCommasQuotesAndSpaces() {
        let file = BatchFile.parse(#"alice,"pa,ss ""word"" ",alice,"x""y"\#n"#, path: "q.csv")
        #expect(file.problems.isEmpty)
        #expect(file.rows.first?.sourcePassword?.revealed == #"pa,ss "word" "#)
        #expect(file.rows.first?.destinationPassword?.revealed == #"x"y"#)
    }

    @Test func badPortIsReportedWithFileAndLine() {
        let text = "user1,password1,user2,password2,port1\nalice,a,alice,b,99999\nbob,a,bob,b,x\ncarol,a,carol,b,143\n"
        let file = BatchFile.parse(text, path: "p.csv")
        #expect(file.rows.map(\.sourceUser) == ["carol"])
        #expect(file.problems.map(\.line) == [2, 3])
        #expect(file.problems.first?.description.hasPrefix("p.csv:2: port1 \"99999\"") == true)
    }

    @Test func emptyUserAndWrongColumnCountAreProblems() {
        let file = BatchFile.parse(" ,a,alice,b\nalice,a,,b\nalice,a,alice\nok,a,ok,b\n", path: "e.csv")
        #expect(file.rows.map(\.sourceUser) == ["ok"])
        #expect(file.rows.first?.line == 4)
        #expect(file.problems.map(\.line) == [1, 2, 3])
        #expect(file.problems.count == 3)
        if file.problems.count == 3 {
            #expect(file.problems[0].message.contains("source user is empty"))
            #expect(file.problems[1].message.contains("destination user is empty"))
            #expect(file.problems[2].message.contains("expected 4 columns"))
            #expect(file.problems[2].message.contains("found 3"))
        }
    }

    @Test func commentsAndBlankLinesAreSkippedButCounted() {
        let text = "# migration wave 1\n\nalice,a,alice,b\n   \n# bob later\ncarol,c,carol,d\n"
        let file = BatchFile.parse(text, path: "c.csv")
        #expect(file.problems.isEmpty)
        #expect(file.rows.map(\.line) == [3, 6])
    }

    @Test func multiLineQuotedFieldKeepsLineNumbersRight() {
        let text = "alice,\"line one\nline two\",alice,b\nbob,b1,bob\ncarol,c,carol,d\r\ndave,e,dave,f\n"
        let file = BatchFile.parse(text, path: "m.csv")
        #expect(file.rows.map(\.sourceUser) == ["alice", "carol", "dave"])
        #expect(file.problems.map(\.line) == [3])
        if file.rows.count == 3 {
            #expect(file.rows[0].line == 1)
            #expect(file.rows[0].sourcePassword?.revealed == "line one\nline two")
            #expect(file.rows[1].line == 4)
            #expect(file.rows[2].line == 5)
        }
    }

    @Test func unknownHeaderColumnIsAProblem() {
        let file = BatchFile.parse("user1,password1,user2,password2,colour\nalice,a,alice,b,red\n", path: "u.csv")
        #expect(file.problems.first?.line == 1)
        #expect(file.problems.first?.message.contains("unknown column \"colour\"") == true)
    }
}
