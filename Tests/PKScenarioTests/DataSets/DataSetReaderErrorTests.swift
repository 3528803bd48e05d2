import PKCore
import Testing

@testable import PKScenario

@Suite struct DataSetReaderErrorTests {
  func error(_ csv: String) -> InputError? {
    do {
      _ = try DataSetReader.parse(csv: csv, file: "d.csv", timeUnit: .hour)
      return nil
    } catch {
      return error
    }
  }

  /// Each error names the file, the physical line and the column, and says what it expected.
  @Test(
    arguments: [
      // Row shape and numbers.
      ("ID,TIME\n1,0\n1,1,5\n", 3, nil, "expected 2 fields, as in the header on line 1, found 3"),
      ("ID,TIME,AMT\n1,0\n", 2, nil, "expected 3 fields, as in the header on line 1, found 2"),
      ("ID,TIME,AMT\n1,0,abc\n", 2, "AMT", "expected a number, found 'abc'"),
      ("ID,TIME,WT\n1,0,nan\n", 2, "WT", "expected a number, found 'nan'"),
      ("ID,TIME\n1,inf\n", 2, "TIME", "expected a number, found 'inf'"),
      ("ID,TIME,AMT\n1,0,0x10\n", 2, "AMT", "expected a number, found '0x10'"),
      ("ID,TIME,AMT\n1,0,1e999\n", 2, "AMT", "expected a number, found '1e999'"),
      ("ID,TIME,AMT\n1,0,1.2.3\n", 2, "AMT", "expected a number, found '1.2.3'"),
      ("ID,TIME,DV\n1,0,-\n", 2, "DV", "expected a number, found '-'"),
      ("ID,TIME\n.,0\n", 2, "ID", "expected a subject ID, found '.'"),
      ("id,time\n1,\n", 2, "time", "expected a TIME, found an empty field"),
      // Ranges and whole numbers.
      ("ID,TIME,EVID,AMT\n1,0,5,10\n", 2, "EVID", "expected EVID 0 (observation), 1 (dose), 2 (other)"),
      ("ID,TIME,EVID,AMT\n1,0,-1,10\n", 2, "EVID", "found '-1'"),
      ("ID,TIME,EVID,AMT\n1,0,1.5,10\n", 2, "EVID", "expected EVID as a whole number, found '1.5'"),
      ("ID,TIME,AMT,II,SS\n1,0,10,12,3\n", 2, "SS", "expected SS 0, 1 or 2, found '3'"),
      ("ID,TIME,AMT,II,SS\n1,0,10,12,0.5\n", 2, "SS", "whole number"),
      ("ID,TIME,AMT,CMT\n1,0,10,1.5\n", 2, "CMT", "expected CMT as a whole number, found '1.5'"),
      ("ID,TIME,AMT,CMT\n1,0,10,-1\n", 2, "CMT", "expected a CMT of 0 or more, found '-1'"),
      ("ID,TIME,AMT,II,ADDL\n1,0,10,12,2.5\n", 2, "ADDL", "whole number"),
      ("ID,TIME,AMT,II,ADDL\n1,0,10,12,-1\n", 2, "ADDL", "expected an ADDL of 0 or more, found '-1'"),
      ("ID,TIME,AMT\n1,0,-10\n", 2, "AMT", "expected an AMT of 0 or more, found '-10'"),
      ("ID,TIME,AMT,II\n1,0,10,-12\n", 2, "II", "expected an II of 0 or more, found '-12'"),
      ("ID,TIME\n1,0\n1,-1\n", 3, "TIME", "expected a TIME of 0 or more, found '-1'"),
      ("ID,TIME,AMT,RATE\n1,0,10,-3\n", 2, "RATE", "expected a RATE of 0 or more, or -1"),
      ("ID,TIME,AMT,RATE\n1,0,10,-0.5\n", 2, "RATE", "found '-0.5'"),
      // Doses.
      ("ID,TIME,AMT,II,ADDL\n1,0,10,0,3\n", 2, "ADDL", "expected an II above 0 for ADDL 3"),
      ("ID,TIME,AMT,ADDL\n1,0,10,3\n", 2, "ADDL", "found no II column"),
      ("ID,TIME,AMT,II,SS\n1,0,10,0,1\n", 2, "SS", "expected an II above 0 for a steady-state bolus (SS 1)"),
      ("ID,TIME,AMT,SS\n1,0,10,2\n", 2, "SS", "steady-state bolus (SS 2)"),
      ("ID,TIME,AMT,RATE,II,SS\n1,0,10,5,0,1\n", 2, "SS", "expected a steady-state constant infusion"),
      ("ID,TIME,EVID,AMT,RATE,II,SS\n1,0,1,0,5,0,2\n", 2, "AMT", "expected an AMT above 0 on a dose record"),
      (
        "ID,TIME,EVID,AMT\n1,0,1,0\n", 2, "AMT",
        "expected an AMT above 0 on a dose record (EVID 1), found '0'"
      ),
      ("id,time,evid,amt\n1,0,4,.\n", 2, "amt", "(evid 4), found '.'"),
      (
        "ID,TIME,EVID\n1,0,1\n", 2, "EVID",
        "expected an AMT column for the dose (EVID 1) on this line, found none"
      ),
      // Order of records.
      (
        "ID,TIME,AMT\n1,0,10\n1,5,.\n1,3,.\n", 4, "TIME",
        "expected a TIME of 5 or later, as on the previous record of ID 1 (line 3), found '3'"
      ),
      ("ID,TIME,EVID,AMT\n1,0,1,10\n1,5,2,.\n1,3,1,10\n", 4, "TIME", "only a reset record (EVID 3 or 4)"),
      (
        "ID,TIME,AMT\n1,0,10\n1,1,.\n2,0,10\n1,2,.\n", 5, "ID",
        "ID 1 on line 5 appeared before, on lines 2–3; NONMEM needs each subject's records together"
      ),
      ("ID,TIME,AMT\n3,0,10\n2,0,10\n3,2,.\n", 4, "ID", "ID 3 on line 4 appeared before, on line 2;"),
      // Header and comments.
      (
        "ID,Time,AMT\n1,0,10\n", 1, "Time",
        "'Time' is the NONMEM data item TIME; expected it written 'TIME' or 'time'"
      ),
      ("ID,TIME,Evid\n1,0,1\n", 1, "Evid", "expected it written 'EVID' or 'evid'"),
      ("Id,TIME\n1,0\n", 1, "Id", "written 'ID' or 'id'"),
      ("ID,TIME,WT,WT\n1,0,1,2\n", 1, "WT", "expected each column name once, found 'WT' in columns 3 and 4"),
      (
        "ID,TIME,time\n1,0,1\n", 1, "time",
        "found the data item TIME twice, as 'TIME' in column 2 and 'time' in column 3"
      ),
      ("C,ID,TIME,c\n.,1,0,1\n", 1, "c", "found 'c' in columns 1 and 4"),
      ("ID,,TIME\n1,2,0\n", 1, nil, "expected a name for column 2 of the header, found an empty field"),
      (
        "TIME,AMT,WT\n0,10,70\n", 1, "ID",
        "expected a column named ID or id, found none; the file's columns are TIME, AMT, WT"
      ),
      (
        "id,amt\n1,10\n", 1, "time",
        "expected a column named TIME or time, found none; the file's columns are id, amt"
      ),
      (
        "C,ID,TIME\nx,1,0\n", 2, "C",
        "expected '.' or an empty field for a data record, or 'C' for a comment, found 'x'"
      ),
      // No data.
      ("ID,TIME,AMT\n", 1, nil, "expected at least one data record after the header, found none"),
      ("\n\nC,ID,TIME\nC,1,0\n\n", 3, nil, "expected at least one data record after the header, found none"),
    ] as [(String, Int, String?, String)])
  func locatedError(csv: String, line: Int, field: String?, message: String) throws {
    let e = try #require(error(csv), "no error for \(csv.debugDescription)")
    #expect(e.source == "d.csv")
    #expect(e.line == line)
    #expect(e.field == field)
    #expect(e.message.contains(message), "message: \(e.message)")
  }

  @Test func emptyFile() throws {
    for csv in ["", "\n\n", " \r\n"] {
      let e = try #require(error(csv))
      #expect(e.line == nil)
      #expect(e.message == "expected a header row of column names, found an empty file")
    }
  }

  @Test func wholeNumbersMayBeWrittenWithAPoint() {
    #expect(error("ID,TIME,EVID,AMT,CMT,II,ADDL,SS\n1,0,1.0,10,2.0,12,3.00,1.\n") == nil)
  }

  @Test func messageReadsAsOneLine() throws {
    let e = try #require(error("ID,TIME,AMT\n1,0,abc\n"))
    #expect(e.description == "d.csv:2: AMT: expected a number, found 'abc'")
  }
}
