import Foundation
import Testing

/// The nonlinear engine through the binary: the regression example runs, options are checked,
/// and a data-set subject whose integration fails is reported while the others are written.
@Suite struct NonlinearCLITests {
  static let mm = [
    "run", "--model", "Models/examples/parent-metabolite-mm.yaml", "--dose", "200 mg oral", "--until", "24h",
    "--every", "1min",
  ]

  /// A one-compartment model file (V 50 L, VMAX 20 mg/h) whose only flow is the rate
  /// expression `rate` out of the central compartment; returns its path.
  static func rateModel(in dir: URL, name: String, rate: String) throws -> String {
    try CLIRunner.writeOneCompartmentModel(
      in: dir, name: name,
      parameters: "  V: {value: 50, unit: L, description: volume, provenance: derived}\n"
        + "  VMAX: {value: 20, unit: mg/h, description: scale, provenance: derived}",
      flow: "{from: central, rate: \"\(rate)\"}")
  }

  @Test func regressionScenarioRuns() throws {
    let r = try CLIRunner.run(Self.mm + ["--rtol", "1e-8"])
    #expect(r.status == 0, "stderr: \(r.stderr)")
    let lines = r.stdout.split(separator: "\n")
    #expect(lines.count == 1442 && lines[0] == "time_min,parent_ng_per_ml,metabolite_ng_per_ml")
  }

  @Test(arguments: [
    (["--method", "exact"], "cannot be solved exactly"),
    (["--rtol", "0"], "--rtol"),
    (["--atol", "2"], "--atol"),
    (["--method", "euler"], "--method"),
  ])
  func badSolverOptions(extra: [String], message: String) throws {
    let r = try CLIRunner.run(Self.mm + extra)
    #expect(r.status == 2, "exit \(r.status), stderr: \(r.stderr)")
    #expect(r.stderr.contains(message), "stderr: \(r.stderr)")
    #expect(r.stdout.isEmpty)
  }

  /// `--method taylor` on the regression example: the same curves as Dormand–Prince to the
  /// tolerance (both within 1e-8 of the truth, so within 2e-8 of each other where the parent is
  /// above 1e-6 of its peak).
  @Test func taylorAgreesWithDormandPrince() throws {
    let taylor = try CLIRunner.run(Self.mm + ["--method", "taylor"])
    let dp5 = try CLIRunner.run(Self.mm + ["--method", "dp5"])
    #expect(taylor.status == 0 && dp5.status == 0, "stderr: \(taylor.stderr) \(dp5.stderr)")
    let rows = { (text: String) in
      text.split(separator: "\n").dropFirst().map { $0.split(separator: ",").map { Double($0)! } }
    }
    let (a, b) = (rows(taylor.stdout), rows(dp5.stdout))
    #expect(a.count == 1441 && b.count == 1441)
    for column in 1...2 {
      let peak = b.map { $0[column] }.max()!
      for (x, y) in zip(a, b) where y[column] > 1e-6 * peak {
        #expect(
          abs(x[column] - y[column]) <= 2e-8 * y[column],
          "t = \(y[0]) min, column \(column): \(x[column]) vs \(y[column])")
      }
    }
  }

  /// With `--amounts` the Taylor method evaluates every state (without, only the two output
  /// compartments): the amounts hold the 200 mg dose to 1e-9 at every minute, and the
  /// concentration columns are the same text as without `--amounts`.
  @Test func taylorWithAmountsWritesEveryState() throws {
    let with = try CLIRunner.run(Self.mm + ["--method", "taylor", "--amounts"])
    let without = try CLIRunner.run(Self.mm + ["--method", "taylor"])
    #expect(with.status == 0 && without.status == 0, "stderr: \(with.stderr) \(without.stderr)")
    let a = with.stdout.split(separator: "\n")
    let b = without.stdout.split(separator: "\n")
    #expect(a.count == 1442 && b.count == 1442)
    #expect(a.first?.hasSuffix(",depot_mg,central_mg,peripheral_mg,metabolite_mg,eliminated_mg") == true)
    for (x, y) in zip(a.dropFirst(), b.dropFirst()) {
      let fields = x.split(separator: ",")
      #expect(fields.prefix(3).joined(separator: ",") == y, "\(x)")
      let total = fields.dropFirst(3).map { Double($0)! }.reduce(0, +)
      #expect(abs(total - 200) <= 200 * 1e-9, "t = \(fields[0]) min: \(total) mg")
    }
  }

  /// `--method taylor` needs Michaelis–Menten and linear flows: a rate expression is refused,
  /// naming it, with exit code 2 and no output.
  @Test func taylorRefusesARateExpression() throws {
    let dir = try CLIRunner.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: dir) }
    let model = try Self.rateModel(in: dir, name: "exprrate", rate: "VMAX * C_central / (1 + C_central)")
    let r = try CLIRunner.run([
      "run", "--model", model, "--dose", "10 mg iv", "--until", "2h", "--every", "1h", "--method", "taylor",
    ])
    #expect(r.status == 2, "exit \(r.status), stderr: \(r.stderr)")
    #expect(
      r.stderr.contains("has a rate expression (VMAX * C_central / (1 + C_central)); --method taylor"),
      "stderr: \(r.stderr)")
    #expect(r.stdout.isEmpty)
  }

  /// Subject 2's rate expression loses its value (log of 0 as its concentration rises to
  /// 2.5 mg/L); subjects 1 and 3 are written, subject 2 is named with its time, exit code 1.
  @Test func failingSubjectDoesNotStopTheOthers() throws {
    let dir = try CLIRunner.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: dir) }
    let model = try Self.rateModel(in: dir, name: "lograte", rate: "VMAX * log(2.5 - C_central)")
    let data = dir.appendingPathComponent("d.csv").path
    try "ID,TIME,EVID,AMT\n1,0,1,10\n1,4,0,0\n2,0,1,100\n2,4,0,0\n3,0,1,20\n3,4,0,0\n"
      .write(toFile: data, atomically: true, encoding: .utf8)
    let out = dir.appendingPathComponent("out.csv").path
    let r = try CLIRunner.run(["run", "--model", model, "--data", data, "--output", out])
    #expect(r.status == 1, "stderr: \(r.stderr)")
    #expect(
      r.stderr.contains("ID 2:") && r.stderr.contains("VMAX * log(2.5 - C_central)"), "stderr: \(r.stderr)")
    #expect(r.stderr.contains("1 of 3 subjects failed"))
    let rows = try String(contentsOfFile: out, encoding: .utf8).split(separator: "\n")
    #expect(rows.count == 1 + 4)
    #expect(rows.dropFirst().allSatisfy { $0.hasPrefix("1,") || $0.hasPrefix("3,") })
  }
}
