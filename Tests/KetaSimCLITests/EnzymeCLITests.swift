import Foundation
import Testing

/// `--enzyme`, `--with` and `--covariate` on the command line.
@Suite struct EnzymeCLITests {
  static let quick = [
    "run", "--model", "perez-ruixo-2021", "--age", "40y", "--dose", "84 mg oral", "--until", "12h", "--every",
    "1h",
  ]

  @Test func interactingDrugRaisesOralExposure() throws {
    let base = try CLIRunner.run(Self.quick)
    let with = try CLIRunner.run(Self.quick + ["--with", "clarithromycin"])
    #expect(base.status == 0 && with.status == 0, "stderr: \(with.stderr)")
    func total(_ csv: String) -> Double {
      csv.split(separator: "\n").dropFirst().compactMap { Double($0.split(separator: ",")[1]) }.reduce(0, +)
    }
    #expect(total(with.stdout) > 1.2 * total(base.stdout))
  }

  @Test(arguments: [
    (["--enzyme", "CYP3A4=0"], "--enzyme", "above 0"),
    (["--enzyme", "CYP2C9=0.5"], "--enzyme", "does not name enzyme 'CYP2C9'"),
    (["--enzyme", "CYP3A4"], "--enzyme", "NAME=VALUE"),
    (["--with", "aspirin"], "--with", "unknown interacting drug 'aspirin'"),
    (["--covariate", "HEIGHT=170"], "--covariate", "has no covariate 'HEIGHT'"),
  ])
  func badOptions(extra: [String], field: String, message: String) throws {
    let r = try CLIRunner.run(Self.quick + extra)
    #expect(r.status == 2, "exit \(r.status), stderr: \(r.stderr)")
    #expect(r.stderr.contains(field) && r.stderr.contains(message), "stderr: \(r.stderr)")
    #expect(r.stdout.isEmpty)
  }

  @Test func modelWithoutEnzymesRefusesAnInteractingDrug() throws {
    let r = try CLIRunner.run([
      "run", "--model", "domino-1984", "--weight", "70kg", "--dose", "2 mg/kg", "--until", "1h", "--every",
      "10min", "--with", "clarithromycin",
    ])
    #expect(r.status == 2)
    #expect(r.stderr.contains("names no enzymes"), "stderr: \(r.stderr)")
  }

  @Test func asianCovariateChangesNoresketamine() throws {
    let base = try CLIRunner.run(Self.quick)
    let asian = try CLIRunner.run(Self.quick + ["--covariate", "ASIAN=1"])
    #expect(asian.status == 0)
    #expect(asian.stdout != base.stdout)
  }
}
