import Foundation
import Testing

/// PD through the binary: the CRPS scenario on the bundled Dahan 2011 set runs with its C50
/// threshold, and an indirect response becomes a column of the CSV.
@Suite struct PharmacodynamicsCLITests {
  @Test func crpsScenarioRuns() throws {
    let dir = try CLIRunner.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: dir) }
    let metrics = dir.appendingPathComponent("m.csv").path
    let r = try CLIRunner.run([
      "run", "Models/scenarios/crps-infusion-pain-relief.yaml", "--metrics", metrics, "--threshold",
      "10.5ng/mL",
    ])
    #expect(r.status == 0, "stderr: \(r.stderr)")
    let lines = r.stdout.split(separator: "\n")
    #expect(lines.count == 722 && lines[0] == "time_min,s_ketamine_ng_per_ml,s_norketamine_ng_per_ml")
    // The numbers the scenario's comments quote: 52.5 ng/mL at the end of the 100-h infusion.
    let end = try #require(lines.first { $0.hasPrefix("6000,") }).split(separator: ",")
    #expect(abs(Double(end[1])! - 52.52) < 0.01, "\(end)")
    let m = try String(contentsOfFile: metrics, encoding: .utf8)
    let fall = try #require(m.split(separator: "\n").first { $0.hasPrefix("s_ketamine,falls_below_10.5,") })
    #expect(abs(Double(fall.split(separator: ",")[2])! - 6364.5) < 1, "\(fall)")
  }

  @Test func indirectResponseColumn() throws {
    let dir = try CLIRunner.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: dir) }
    let path = try CLIRunner.writeOneCompartmentModel(
      in: dir, name: "ir",
      parameters: """
          V: {value: 10, unit: L, description: volume, provenance: derived}
          CL: {value: 5, unit: L/h, description: clearance, provenance: derived}
          BASE: {value: 7, unit: "1", description: baseline, provenance: derived}
          T12: {value: 2, unit: h, description: turnover half-life, provenance: derived}
          IMAX: {value: 1, unit: "1", description: Imax, provenance: derived}
          IC50: {value: 50, unit: ng/mL, description: IC50, provenance: derived}
        """,
      output: "drug",
      effects: """
          - {name: pain_nrs, unit: NRS, output: drug, form: indirect_response, inhibits: production,
             r0: BASE, half_life: T12, imax: IMAX, ic50: IC50, source: test}

        """)
    let r = try CLIRunner.run([
      "run", "--model", path, "--dose", "5 mg iv", "--until", "12h", "--every", "1h",
    ])
    #expect(r.status == 0, "stderr: \(r.stderr)")
    let rows = r.stdout.split(separator: "\n")
    #expect(rows[0] == "time_h,drug_ng_per_ml,pain_nrs")
    let pain = rows.dropFirst().map { Double($0.split(separator: ",")[2])! }
    #expect(pain[0] == 7 && pain.min()! < 6 && pain.last! < 7)
  }
}
