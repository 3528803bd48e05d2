import Foundation
import RealModule
import Testing

/// End-to-end tests of the built `ketasim` binary: golden CSVs of the ready-made scenarios,
/// `--help`, and exit codes and messages for bad input.
@Suite struct KetaSimCLITests {
  @Test(arguments: ["depression-infusion", "anaesthesia-induction", "chronic-pain-course"])
  func readyMadeScenarioMatchesGolden(name: String) throws {
    let r = try CLIRunner.run(["run", "Models/scenarios/\(name).yaml"])
    #expect(r.status == 0, "stderr: \(r.stderr)")
    let diff = GoldenCSV.difference(r.stdout, try GoldenCSV.fixture(name))
    #expect(diff == nil, "\(name): \(diff ?? "")")
  }

  @Test func quickFormEqualsTheScenario() throws {
    let quick = try CLIRunner.run([
      "run", "--model", "domino-1984", "--weight", "70kg", "--dose", "0.5 mg/kg iv over 40 min",
      "--until", "24h", "--every", "1min",
    ])
    #expect(quick.status == 0)
    let file = try CLIRunner.run(["run", "Models/scenarios/depression-infusion.yaml"])
    #expect(quick.stdout == file.stdout)
  }

  @Test func outputFileAndAmountsBalance() throws {
    let dir = try CLIRunner.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: dir) }
    let path = dir.appendingPathComponent("curve.csv").path
    let r = try CLIRunner.run([
      "run", "--model", "kamp-2020", "--weight", "80kg", "--dose", "1 mg/kg iv",
      "--dose", "0.5 mg/kg/h iv for 2 h at 1 h", "--until", "6h", "--every", "15min", "--amounts", "--output",
      path,
    ])
    #expect(r.status == 0, "stderr: \(r.stderr)")
    #expect(r.stdout.isEmpty)
    let lines = try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n")
    #expect(lines[0] == "time_min,ketamine_ng_per_ml,central_mg,peripheral1_mg,peripheral2_mg,eliminated_mg")
    #expect(lines.count == 1 + 25)
    for line in lines.dropFirst() {
      let f = line.split(separator: ",").map { Double($0)! }
      let t = f[0] / 60
      let dosed = 80 + 40 * min(max(t - 1, 0), 2)
      let total = f[2] + f[3] + f[4] + f[5]
      #expect(total.isApproximatelyEqual(to: dosed, absoluteTolerance: 1e-10 * 160), "t = \(t) h")
    }
  }

  @Test func longFormatAndDigits() throws {
    let r = try CLIRunner.run([
      "run", "--model", "domino-1984", "--weight", "70kg", "--dose", "2 mg/kg", "--until", "2min",
      "--every", "1min", "--format", "long", "--digits", "4",
    ])
    #expect(r.status == 0)
    #expect(
      r.stdout
        == "time,variable,value,unit\n0,ketamine,3.175e+04,ng/mL\n0,ketamine_effect,0,ng/mL\n1,ketamine,7110,ng/mL\n"
        + "1,ketamine_effect,7107,ng/mL\n2,ketamine,2542,ng/mL\n2,ketamine_effect,5617,ng/mL\n"
    )
  }

  @Test func helpSaysWhatItIsAndIsNot() throws {
    let r = try CLIRunner.run(["--help"])
    #expect(r.status == 0)
    #expect(r.stdout.contains("not a medical device"))
    #expect(r.stdout.contains("must not be used to dose patients"))
    for sub in ["run", "check", "models"] { #expect(r.stdout.contains(sub)) }
    let run = try CLIRunner.run(["run", "--help"])
    #expect(run.status == 0)
    for text in [
      "--model", "--dose", "--until", "--every", "--output", "--amounts", "--format", "--digits",
      "0.5 mg/kg iv over 40 min", "not for dosing patients",
    ] {
      #expect(run.stdout.contains(text), "run --help lacks \(text)")
    }
    let version = try CLIRunner.run(["--version"])
    #expect(version.status == 0 && !version.stdout.isEmpty)
  }

  @Test func modelsListAndShow() throws {
    let list = try CLIRunner.run(["models"])
    #expect(list.status == 0)
    for name in ["domino-1984", "clements-250", "hijazi-2003", "herd-2007", "kamp-2020"] {
      #expect(list.stdout.contains(name))
    }
    let show = try CLIRunner.run(["models", "show", "domino-1984"])
    #expect(show.status == 0)
    #expect(show.stdout.contains("k10 = 0.4381 1/min"))
    #expect(show.stdout.contains("CL = 115.9 L/h"))
    #expect(show.stdout.contains("Vss = 193.2 L"))
  }

  @Test func checkValidatesWithoutRunning() throws {
    let r = try CLIRunner.run(["check", "Models/scenarios/depression-infusion.yaml"])
    #expect(r.status == 0)
    #expect(r.stdout.contains("ok"))
  }

  @Test func outOfRangeWarnsAndRuns() throws {
    let r = try CLIRunner.run([
      "run", "--model", "herd-2007", "--weight", "90kg", "--dose", "1 mg/kg", "--until", "1h", "--every",
      "30min",
    ])
    #expect(r.status == 0)
    #expect(r.stderr.contains("warning: weight 90 kg is outside the range herd-2007 was validated for"))
    #expect(r.stdout.hasPrefix("time_min,ketamine_ng_per_ml\n"))
  }

  static let quick = [
    "run", "--model", "domino-1984", "--weight", "70kg", "--until", "1h", "--every", "1min",
  ]

  /// Bad input: exit code 2, a message naming the field, nothing on stdout.
  @Test(arguments: [
    (["--dose", "2 mg/kg sc"], "route 'sc' is not simulated"),
    (["--dose", "5 mg/h"], "needs a duration"),
    (["--dose", "5 mg over 40 mg"], "found '40 mg'"),
    (["--dose", "0 mg"], "above 0"),
    (["--dose", ""], "found nothing"),
    (["--dose", "2 mg", "--model", "nope"], "unknown model 'nope'"),
    (["--dose", "2 mg", "--weight", "0kg"], "weight above 0"),
    (["--dose", "2 mg", "--weight", "abc"], "expected a weight in kg"),
    (["--dose", "2 mg", "--age=-3y"], "age of 0 or more"),
    (["--dose", "2 mg", "--every", "1mg"], "--every"),
    (["--dose", "2 mg", "--digits", "0"], "--digits"),
    (["--dose", "2 mg", "--bogus"], "--bogus"),
    ([String](), "Missing --dose"),
  ])
  func badInput(extra: [String], message: String) throws {
    let r = try CLIRunner.run(Self.quick + extra)
    #expect(r.status == 2, "exit \(r.status), stderr: \(r.stderr)")
    #expect(r.stderr.contains(message), "stderr: \(r.stderr)")
    #expect(r.stdout.isEmpty)
  }

  @Test func badScenarioFileNamesFileLineAndField() throws {
    let dir = try CLIRunner.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: dir) }
    let scenario = dir.appendingPathComponent("bad.yaml")
    try
      "model: domino-1984\nsubject: {weight: 70 kg}\ndoses:\n  - 2 mg/kg iv\n  - 40 mg iv over 40 mg\noutput: {until: 1 h, every: 1 min}\n"
      .write(to: scenario, atomically: true, encoding: .utf8)
    let out = dir.appendingPathComponent("out.csv")
    try "previous\n".write(to: out, atomically: true, encoding: .utf8)
    let r = try CLIRunner.run(["run", scenario.path, "--output", out.path])
    #expect(r.status == 2)
    #expect(
      r.stderr.contains("bad.yaml:5: doses[2]: expected a duration after 'over'"), "stderr: \(r.stderr)")
    #expect(try String(contentsOf: out, encoding: .utf8) == "previous\n", "the output file was overwritten")
    let check = try CLIRunner.run(["check", scenario.path])
    #expect(check.status == 2)
    let fresh = dir.appendingPathComponent("fresh.csv")
    _ = try CLIRunner.run(["run", scenario.path, "--output", fresh.path])
    #expect(!FileManager.default.fileExists(atPath: fresh.path), "an output file was created")
    #expect(
      try FileManager.default.contentsOfDirectory(atPath: dir.path).sorted() == ["bad.yaml", "out.csv"])
  }

  @Test func unparsableAndMissingFiles() throws {
    let dir = try CLIRunner.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: dir) }
    let scenario = dir.appendingPathComponent("broken.yaml")
    try "model: domino-1984\ndoses: [2 mg\n".write(to: scenario, atomically: true, encoding: .utf8)
    let r = try CLIRunner.run(["run", scenario.path])
    #expect(r.status == 2)
    #expect(r.stderr.contains("broken.yaml:"), "stderr: \(r.stderr)")
    #expect(r.stderr.contains("not valid YAML"))
    let missing = try CLIRunner.run(["run", dir.appendingPathComponent("none.yaml").path])
    #expect(missing.status == 2)
    #expect(missing.stderr.contains("none.yaml: cannot read the scenario file"))
    let noFolder = try CLIRunner.run([
      "run", "Models/scenarios/depression-infusion.yaml", "-o", dir.path + "/no/such/out.csv",
    ])
    #expect(noFolder.status == 2)
    #expect(noFolder.stderr.contains("does not exist"))
  }

  @Test func modelsDirectoryOverride() throws {
    let r = try CLIRunner.run(["models", "--models-dir", "/nonexistent"])
    #expect(r.status == 2)
    #expect(r.stderr.contains("/nonexistent"))
    let env = try CLIRunner.run(
      ["models", "show", "kamp-2020"],
      environment: ["KETASIM_MODELS": CLIRunner.root.appendingPathComponent("Models").path])
    #expect(env.status == 0)
  }
}
