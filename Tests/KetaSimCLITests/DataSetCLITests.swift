import Foundation
import Testing

/// `ketasim run --model M --data FILE`: one row per record, added rows, columns, threads, and
/// bad data sets giving exit code 2 with file, line and column, and no output file.
@Suite struct DataSetCLITests {
  static let model = "Models/conformance/nmtests-advan2.yaml"

  func write(_ text: String, in dir: URL, name: String = "data.csv") throws -> String {
    let url = dir.appendingPathComponent(name)
    try text.write(to: url, atomically: true, encoding: .utf8)
    return url.path
  }

  @Test func oneRowPerRecordWithAddedRowsAndColumns() throws {
    let dir = try CLIRunner.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: dir) }
    let data = try write("ID,TIME,EVID,AMT,CMT\n1,0,1,100,1\n1,2,0,.,2\n2,0,1,50,2\n", in: dir)
    let r = try CLIRunner.run([
      "run", "--model", Self.model, "--data", data, "--every", "1h", "--until", "2h", "--columns",
      "EVID,AMT,CMT",
    ])
    #expect(r.status == 0, "stderr: \(r.stderr)")
    let lines = r.stdout.split(separator: "\n").map(String.init)
    #expect(lines[0] == "ID,TIME,EVID,AMT,CMT,ADDED,CP_ng_per_ml")
    #expect(lines.count == 1 + 2 + 3 + 1 + 3)
    #expect(lines[1].hasPrefix("1,0,1,100,1,0,"))
    #expect(lines[2].hasPrefix("1,0,0,0,0,1,"))
    #expect(lines[6] == "2,0,1,50,2,0,2500")
    #expect(lines[7] == "2,0,0,0,0,1,2500")
  }

  @Test func threadsDoNotChangeTheOutput() throws {
    let dir = try CLIRunner.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: dir) }
    var csv = "ID,TIME,EVID,AMT,CMT,II,ADDL,WT\n"
    for i in 1...300 { csv += "\(i),0,1,100,1,24,3,\(50 + i % 40)\n" }
    let data = try write(csv, in: dir)
    let common = ["run", "--model", Self.model, "--data", data, "--every", "4h", "--until", "96h"]
    let one = try CLIRunner.run(common + ["--threads", "1"])
    let two = try CLIRunner.run(common + ["--threads", "2"])
    let three = try CLIRunner.run(common + ["--threads", "3"])
    #expect(one.status == 0 && two.status == 0 && three.status == 0)
    #expect(one.stdout == two.stdout && one.stdout == three.stdout)
    #expect(one.stdout.split(separator: "\n").count == 1 + 300 * 26)
  }

  @Test func timeUnitConvertsTimeAndWritesItBack() throws {
    let dir = try CLIRunner.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: dir) }
    let data = try write("ID,TIME,AMT,CMT\n1,0,100,2\n1,60,0,2\n", in: dir)
    let hours = try CLIRunner.run(["run", "--model", Self.model, "--data", data])
    let minutes = try CLIRunner.run(["run", "--model", Self.model, "--data", data, "--time-unit", "min"])
    #expect(hours.stdout.split(separator: "\n")[2].hasPrefix("1,60,"))
    #expect(minutes.stdout.split(separator: "\n")[2].hasPrefix("1,60,"))
    #expect(hours.stdout != minutes.stdout)
  }

  /// Bad data: exit 2, a message naming the file, line and column, and no output file.
  @Test(arguments: [
    ("ID,Time,AMT\n1,0,100\n", "Time"),
    ("ID,TIME,AMT\n1,2,100\n1,1,0\n", ":3:"),
    ("ID,TIME,AMT\n1,0,100\n2,0,100\n1,5,0\n", "ID"),
    ("ID,TIME,EVID,AMT\n1,0,7,100\n", "EVID"),
    ("ID,TIME,AMT,SS,II\n1,0,100,1,0\n", "II"),
    ("ID,TIME,AMT,RATE,CMT\n1,0,100,-1,1\n", "R1"),
    ("ID,TIME,AMT,LAGT\n1,0,100,-3\n", "ALAG2"),
    ("ID,TIME,AMT\n1,0,abc\n", "AMT"),
    ("TIME,AMT\n0,100\n", "ID"),
  ])
  func badDataSets(csv: String, text: String) throws {
    let dir = try CLIRunner.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: dir) }
    let data = try write(csv, in: dir)
    let out = dir.appendingPathComponent("out.csv").path
    let r = try CLIRunner.run(["run", "--model", Self.model, "--data", data, "--output", out])
    #expect(r.status == 2, "exit \(r.status), stderr: \(r.stderr)")
    #expect(r.stderr.contains("data.csv:"), "stderr: \(r.stderr)")
    #expect(r.stderr.contains(text), "stderr: \(r.stderr)")
    #expect(!FileManager.default.fileExists(atPath: out), "an output file was created")
    #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path) == ["data.csv"])
  }

  @Test func dataNeedsAModelAndNoDoses() throws {
    let a = try CLIRunner.run(["run", "--data", "x.csv"])
    #expect(a.status == 2 && a.stderr.contains("--data needs --model"))
    let b = try CLIRunner.run(["run", "--model", Self.model, "--data", "x.csv", "--dose", "1 mg"])
    #expect(b.status == 2 && b.stderr.contains("leave out --dose"))
  }
}
