import Foundation
import PKCore
import RealModule
import Testing

@testable import PKScenario

@Suite struct DataSetReaderTests {
  func parse(_ csv: String, timeUnit: TimeUnit = .hour) throws -> DataSet {
    try DataSetReader.parse(csv: csv, file: "d.csv", timeUnit: timeUnit)
  }

  @Test func upperCaseSet() throws {
    let d = try parse(
      """
      C,ID,TIME,EVID,AMT,RATE,CMT,II,ADDL,SS,MDV,DV,WT,SEX
      C,first subject, a comment with commas
      .,1,0,1,100,0,1,24,2,0,1,.,70,0
      .,1,0.5,0,.,.,2,.,.,.,0,2.5,70,0
      .,1,1,0,0,0,2,0,0,0,0,1.8,70,0
      .,2,0,1,50,25,1,0,0,0,1,.,80.5,1
      .,2,2,0,.,.,2,.,.,.,0,0.7,.,1

      """)
    #expect(d.file == "d.csv")
    #expect(d.nameCase == .upper)
    #expect(
      d.columnNames == [
        "C", "ID", "TIME", "EVID", "AMT", "RATE", "CMT", "II", "ADDL", "SS", "MDV", "DV", "WT", "SEX",
      ])
    #expect(d.covariateNames == ["WT", "SEX"])
    #expect(d.warnings.isEmpty)
    #expect(approx(d.subjects.map(\.id), [1, 2]))
    #expect(d.subjects.map(\.records.count) == [3, 2])
    #expect(d.recordCount == 5)
    #expect(d.subjects.flatMap(\.records).map(\.line) == [3, 4, 5, 6, 7])

    let dose = d.subjects[0].records[0]
    #expect(dose.id == 1 && dose.evid == 1 && dose.isDose && dose.compartment == 1)
    #expect(dose.amount.isApproximatelyEqual(to: 100))
    #expect(dose.interval.isApproximatelyEqual(to: 24))
    #expect(dose.additional == 2 && dose.steadyState == 0)
    #expect(dose.dv == nil)
    #expect(approx(dose.covariates, [70, 0]))

    let observation = d.subjects[0].records[1]
    #expect(observation.evid == 0 && observation.compartment == 2)
    #expect(observation.time.isApproximatelyEqual(to: 0.5))
    #expect(approx([observation.amount, observation.rate, observation.interval], [0, 0, 0]))
    #expect(observation.dv.map { $0.isApproximatelyEqual(to: 2.5) } == true)

    let infusion = d.subjects[1].records[0]
    #expect(infusion.rate.isApproximatelyEqual(to: 25))
    #expect(infusion.covariates[0].isApproximatelyEqual(to: 80.5))
    let last = d.subjects[1].records[1]
    #expect(last.covariates[0].isNaN)
    #expect(last.covariates[1].isApproximatelyEqual(to: 1))
  }

  @Test func lowerCaseSetWithCRLFAndBlankLines() throws {
    let d = try parse(
      "id,time,evid,amt,cmt,dv,wt\r\n1,0,1,100,1,.,70\r\n\r\n1,1,0,.,.,3,70\r\n2,0,1,5,1,.,60\r\n")
    #expect(d.nameCase == .lower)
    #expect(d.covariateNames == ["wt"])
    #expect(d.subjects.count == 2)
    #expect(d.subjects[0].records.map(\.line) == [2, 4])
    #expect(d.subjects[0].records[1].dv.map { $0.isApproximatelyEqual(to: 3) } == true)
    #expect(d.subjects[1].records[0].line == 5)
    #expect(d.columnName(for: .time) == "time")
    #expect(d.columnName(for: .rate) == "rate")
  }

  @Test func noTrailingNewline() throws {
    let d = try parse("ID,TIME,AMT\n1,0,10\n1,2,.")
    #expect(d.recordCount == 2)
    #expect(d.subjects[0].records[1].time.isApproximatelyEqual(to: 2))
  }

  @Test func eachReservedNameChoosesItsOwnCase() throws {
    let d = try parse("C,ID,time,evid,amt,DV\n.,1,0,1,10,.\n")
    #expect(d.nameCase == .lower)
    #expect(d.covariateNames.isEmpty)
    #expect(d.columnName(for: .id) == "ID")
    #expect(d.columnName(for: .dv) == "DV")
    #expect(d.columnName(for: .cmt) == "cmt")
  }

  @Test func covariatesKeepTheirExactNames() throws {
    let d = try parse("ID,TIME,AMT,Wt,wt,AGE_y\n1,0,10,70,71,40\n")
    #expect(d.covariateNames == ["Wt", "wt", "AGE_y"])
    #expect(approx(d.subjects[0].records[0].covariates, [70, 71, 40]))
  }

  @Test(arguments: [
    (TimeUnit.minute, 0.5, 120.0, 12.0),
    (.second, 1.0 / 120, 7200, 0.2),
    (.hour, 30, 2, 720),
    (.day, 720, 1.0 / 12, 17280),
  ])
  func timeUnitConversion(unit: TimeUnit, time: Double, rate: Double, interval: Double) throws {
    // TIME 30, RATE 2 (mg per unit), II 720 in the file's unit.
    let d = try parse(
      "ID,TIME,AMT,RATE,II,ADDL\n1,0,.,.,.,.\n1,30,100,2,720,1\n1,90,0,.,.,.\n", timeUnit: unit)
    let dose = d.subjects[0].records[1]
    #expect(dose.evid == 1)
    #expect(dose.time.isApproximatelyEqual(to: time))
    #expect(dose.rate.isApproximatelyEqual(to: rate))
    #expect(dose.interval.isApproximatelyEqual(to: interval))
    #expect(dose.amount.isApproximatelyEqual(to: 100))
    #expect(d.subjects[0].records[2].evid == 0)
  }

  @Test func modelledRateAndDurationAreNotConverted() throws {
    let d = try parse("ID,TIME,AMT,RATE\n1,0,100,-1\n1,60,100,-2\n", timeUnit: .minute)
    #expect(approx(d.subjects[0].records.map(\.rate), [-1, -2]))
  }

  @Test func comments() throws {
    let d = try parse(
      """
      c,ID,TIME,AMT
      C,1,0,10
      c,whatever
      #,1,0,10
      @,1,0,10
      # a line comment
        # an indented one
      .,1,0,10
      ,1,1,.
      """)
    #expect(d.recordCount == 2)
    #expect(d.subjects[0].records.map(\.line) == [8, 9])
    #expect(d.nameCase == .upper)
  }

  @Test func hashLinesAreCommentsWithoutACColumn() throws {
    let d = try parse("ID,TIME,AMT\n# note\n1,0,10\n#1,1,10\n")
    #expect(d.recordCount == 1)
  }

  @Test func cOutsideTheFirstColumnIsACovariate() throws {
    let d = try parse("ID,TIME,AMT,C\n1,0,10,3\n")
    #expect(d.covariateNames == ["C"])
    #expect(approx(d.subjects[0].records[0].covariates, [3]))
  }

  @Test func missingValues() throws {
    let d = try parse(
      """
      ID,TIME,EVID,AMT,RATE,CMT,II,ADDL,SS,DV,WT
      1,0,1,100,.,,.,,.,.,.
      1,1,,.,.,.,.,.,.,,
      """)
    let dose = d.subjects[0].records[0]
    #expect(approx([dose.rate, dose.interval], [0, 0]) && dose.compartment == 0)
    #expect(dose.additional == 0 && dose.steadyState == 0 && dose.dv == nil)
    #expect(dose.covariates[0].isNaN)
    let observation = d.subjects[0].records[1]
    #expect(observation.evid == 0 && observation.amount.isApproximatelyEqual(to: 0) && observation.dv == nil)
  }

  /// Without EVID, a record is a dose when AMT is above 0, "other" when MDV is 1, and an
  /// observation otherwise; a missing EVID value is inferred the same way.
  @Test func evidInference() throws {
    let d = try parse("ID,TIME,AMT,MDV,DV\n1,0,10,1,.\n1,1,0,1,.\n1,2,.,0,5\n1,3,.,.,4\n")
    #expect(d.subjects[0].records.map(\.evid) == [1, 2, 0, 0])
    let e = try parse("ID,TIME,EVID,AMT\n1,0,.,10\n1,1,.,.\n1,2,1.0,5\n")
    #expect(e.subjects[0].records.map(\.evid) == [1, 0, 1])
  }

  @Test func noCMTColumnMeansTheModelDefault() throws {
    let d = try parse("ID,TIME,AMT\n1,0,10\n")
    #expect(d.subjects[0].records[0].compartment == 0)
  }

  @Test func quotesSpacesAndByteOrderMark() throws {
    let d = try parse("\u{FEFF}\"ID\", \"TIME\" ,AMT , \"WT\"\n \"1\" , 0 ,\"100\", \" 70 \"\n")
    #expect(d.columnNames == ["ID", "TIME", "AMT", "WT"])
    #expect(d.subjects[0].records[0].amount.isApproximatelyEqual(to: 100))
    #expect(approx(d.subjects[0].records[0].covariates, [70]))
  }

  /// Numbers read the same as the standard library reads them, to the bit: the reader's fast
  /// path for short decimals must agree with `strtod`.
  @Test func numbersReadAsTheStandardLibraryReadsThem() throws {
    let texts = [
      "1e3", "-0.25", "+4", ".5", "1.", "8.33333333333333", "0.1234567890123456789", "1E-2", "0.1", "0.3",
      "123456789012345", "1234567890123456", "-0", "0.000000000000001", "2.5e-308", "1.7976931348623157e308",
    ]
    let csv =
      "ID,TIME,X\n" + texts.enumerated().map { "1,\($0.offset),\($0.element)" }.joined(separator: "\n")
    let xs = try parse(csv).subjects[0].records.map { $0.covariates[0] }
    #expect(xs.map(\.bitPattern) == texts.map { Double($0)!.bitPattern })
  }

  /// The same, over many decimals of up to 17 digits with the point anywhere.
  @Test func shortDecimalsReadExactly() throws {
    var state: UInt64 = 0x9E37_79B9_7F4A_7C15
    func next() -> UInt64 {
      state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
      return state >> 11
    }
    var texts: [String] = []
    for _ in 0..<5000 {
      let digits = Int(next() % 17) + 1
      var text = String(next() % 100_000_000_000_000_000).prefix(digits)
      let point = Int(next() % UInt64(text.count + 1))
      text.insert(".", at: text.index(text.startIndex, offsetBy: point))
      texts.append((next() % 2 == 0 ? "-" : "") + text)
    }
    texts = texts.filter { $0 != "." && $0 != "-." }
    let csv = "ID,TIME,X\n" + texts.map { "1,0,\($0)" }.joined(separator: "\n")
    let xs = try parse(csv).subjects[0].records.map { $0.covariates[0] }
    #expect(xs.map(\.bitPattern) == texts.map { Double($0)!.bitPattern })
  }

  @Test func resetMayRestartTime() throws {
    let d = try parse("ID,TIME,EVID,AMT\n1,0,1,10\n1,5,0,.\n1,0,3,.\n1,1,0,.\n1,0,4,10\n")
    #expect(d.subjects[0].records.map(\.evid) == [1, 0, 3, 0, 4])
  }

  @Test func equalTimesAreFine() throws {
    let d = try parse("ID,TIME,AMT\n1,0,10\n1,0,.\n1,0,5\n")
    #expect(d.recordCount == 3)
  }

  @Test func steadyStateConstantInfusion() throws {
    let d = try parse("ID,TIME,EVID,AMT,RATE,II,SS\n1,0,1,0,10,0,1\n1,0,1,0,100,0,1\n1,1,0,.,.,.,.\n")
    #expect(d.subjects[0].records[0].steadyState == 1)
    #expect(d.subjects[0].records[0].rate.isApproximatelyEqual(to: 10))
  }

  @Test func warnings() throws {
    let d = try parse(
      """
      ID,TIME,EVID,AMT,DV
      1,0,0,.,3.5
      1,0,0,.,0
      1,0,0,.,.
      1,1,1,10,7
      1,2,0,.,2
      2,0,1,10,0
      2,1,0,.,1
      """)
    #expect(d.warnings.count == 2)
    #expect(d.warnings[0].hasPrefix("d.csv:2: "))
    #expect(d.warnings[0].contains("ID 1 has an observation with DV 3.5 before its first dose"))
    #expect(d.warnings[1].hasPrefix("d.csv:5: "))
    #expect(d.warnings[1].contains("dose record (EVID 1) of ID 1 has DV 7"))
    #expect(d.warnings.allSatisfy { $0.hasSuffix(".") })
  }

  @Test func warningsStartOverForEachSubject() throws {
    let d = try parse("ID,TIME,AMT,DV\n1,0,10,.\n1,1,.,4\n2,0,.,4\n2,1,10,.\n")
    #expect(d.warnings.count == 1)
    #expect(d.warnings[0].hasPrefix("d.csv:4: ID 2 "))
  }

  @Test func readFromAFile() throws {
    let path = FileManager.default.temporaryDirectory
      .appendingPathComponent("ketasim-dataset-\(UUID().uuidString).csv").path
    try "ID,TIME,AMT\n1,0,10\n1,60,.\n".write(toFile: path, atomically: true, encoding: .utf8)
    defer { try? FileManager.default.removeItem(atPath: path) }
    let d = try DataSetReader.read(path: path, timeUnit: .minute)
    #expect(d.file == path)
    #expect(d.subjects[0].records[1].time.isApproximatelyEqual(to: 1))
  }

  @Test func unreadableFile() {
    #expect {
      _ = try DataSetReader.read(path: "/nonexistent/data.csv", timeUnit: .hour)
    } throws: { error in
      let e = error as! InputError
      return e.source == "/nonexistent/data.csv" && e.message.hasPrefix("cannot read the data set")
    }
  }
}

/// Whether two arrays hold approximately equal values, element by element.
private func approx(_ a: [Double], _ b: [Double]) -> Bool {
  a.count == b.count && zip(a, b).allSatisfy { $0.isApproximatelyEqual(to: $1) }
}
