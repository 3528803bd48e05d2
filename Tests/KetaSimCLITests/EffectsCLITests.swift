import Foundation
import RealModule
import Testing

/// Effects through the binary: `models show` lists effect sites (ke0 with its provenance),
/// concentration–effect models and indirect responses; data-set runs write each effect as a
/// column `<name>`, per subject, identical for any thread count; population runs carry them in
/// the per-subject curves and the summary, the same bytes for any thread count or shard split.
@Suite struct EffectsCLITests {
  /// A one-compartment model (V 10 L, CL `cl` L/h) with an effect site (ke0 3 /h), a sigmoid
  /// Emax on the plasma concentration (E0 = 10·WT/70 %, Emax 80 %, EC50 0.121 mg/L, γ 2) and a
  /// type I indirect response (R0 7 NRS, t½ 2 h, Imax 0.8, IC50 100 ng/mL, γ 1).
  static func writeModel(in dir: URL, cl: Double = 5) throws -> String {
    try CLIRunner.writeModel(
      in: dir, name: "pd",
      body: """
        covariates:
          WT: {unit: kg, description: weight, default: 70}
        parameters:
          V: {value: 10, unit: L, description: volume, provenance: derived}
          CL: {value: \(cl), unit: L/h, description: clearance, provenance: derived}
          KE0: {value: 3, unit: 1/h, description: ke0, provenance: printed}
          E0: {expression: "10 * WT / 70", unit: "1", description: baseline}
          EMAX: {value: 80, unit: "1", description: maximum effect, provenance: printed}
          EC50: {value: 0.121, unit: mg/L, description: EC50, provenance: printed}
          GAMMA: {value: 2, unit: "1", description: Hill coefficient, provenance: transcribed}
          BASE: {value: 7, unit: "1", description: baseline pain, provenance: derived}
          T12: {value: 2, unit: h, description: turnover half-life, provenance: derived}
          IMAX: {value: 0.8, unit: "1", description: Imax, provenance: derived}
          IC50: {value: 100, unit: ng/mL, description: IC50, provenance: derived}
        compartments:
          - {name: central, volume: V}
          - {name: effect, effect_of: central, ke0: KE0}
        flows:
          - {from: central, clearance: CL}
        outputs:
          - {name: drug, compartment: central}
          - {name: drug_effect, compartment: effect}
        routes:
          iv: central
        effects:
          - {name: response_percent, unit: "%", output: drug, form: sigmoid_emax, e0: E0, emax: EMAX,
             ec50: EC50, gamma: GAMMA, source: "test, table 2"}
          - {name: pain_nrs, unit: NRS, output: drug, form: indirect_response, inhibits: production,
             r0: BASE, half_life: T12, imax: IMAX, ic50: IC50, source: test}

        """)
  }

  func write(_ text: String, in dir: URL, name: String = "data.csv") throws -> String {
    let url = dir.appendingPathComponent(name)
    try text.write(to: url, atomically: true, encoding: .utf8)
    return url.path
  }

  /// The CSV as a header and rows of numbers.
  func table(_ text: String) -> (header: [String], rows: [[Double]]) {
    let lines = text.split(separator: "\n")
    return (
      lines[0].split(separator: ",").map(String.init),
      lines.dropFirst().map { $0.split(separator: ",").map { Double($0)! } }
    )
  }

  /// An effect that overflows (a slope of 1e306 per ng/mL) is an error naming the effect and the
  /// time, with no CSV written, never an inf or NaN in the file.
  @Test func anOverflowingEffectIsRefused() throws {
    let dir = try CLIRunner.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: dir) }
    let model = try CLIRunner.writeOneCompartmentModel(
      in: dir, name: "huge",
      parameters: "  V: {value: 10, unit: L, description: volume, provenance: derived}\n"
        + "  CL: {value: 5, unit: L/h, description: clearance, provenance: derived}\n"
        + "  E0: {value: 0, unit: \"1\", description: baseline, provenance: derived}\n"
        + "  SLOPE: {value: 1e306, unit: \"1\", description: slope per ng/mL, provenance: derived}",
      effects:
        "  - {name: score, unit: \"1\", output: ketamine, form: linear, e0: E0, slope: SLOPE, source: t}")
    let csv = dir.appendingPathComponent("out.csv").path
    let r = try CLIRunner.run([
      "run", "--model", model, "--dose", "100 mg iv", "--until", "1h", "--every", "30min", "-o", csv,
    ])
    #expect(r.status != 0)
    #expect(r.stderr.contains("the effect 'score' is inf"), "stderr: \(r.stderr)")
    #expect(!FileManager.default.fileExists(atPath: csv))
  }

  @Test func showListsTheEffectSiteOfDomino() throws {
    let r = try CLIRunner.run(["models", "show", "domino-1984"])
    #expect(r.status == 0, "stderr: \(r.stderr)")
    #expect(r.stdout.contains("\neffect sites (dCe/dt = ke0·(Cp − Ce), a concentration in mg/L):\n"))
    #expect(r.stdout.contains("\n  effect: follows central, ke0 = KE0 = 0.652 1/min [transcribed]\n"))
    #expect(r.stdout.contains("\n  ke0(effect) = 0.652 1/min, t½ke0 = 1.063 min\n"))
    #expect(!r.stdout.contains("concentration–effect models") && !r.stdout.contains("indirect responses"))
  }

  @Test func showListsOlofsensHalfLife() throws {
    let r = try CLIRunner.run(["models", "show", "Models/pharmacodynamics/olofsen-2022.yaml"])
    #expect(r.status == 0, "stderr: \(r.stderr)")
    #expect(
      r.stdout.contains(
        "\n  effect: follows central, ke0 = KE0 = log(2) / T12KE0 (1/min), from T12KE0 = 8.3 min [printed]\n")
    )
    #expect(r.stdout.contains("\n  ke0(effect) = 0.08351 1/min, t½ke0 = 8.3 min\n"))
  }

  @Test func showListsEffectsAndIndirectResponses() throws {
    let dir = try CLIRunner.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: dir) }
    let r = try CLIRunner.run(["models", "show", try Self.writeModel(in: dir)])
    #expect(r.status == 0, "stderr: \(r.stderr)")
    let expected = """

      effect sites (dCe/dt = ke0·(Cp − Ce), a concentration in mg/L):
        effect: follows central, ke0 = KE0 = 3 1/h [printed]

      concentration–effect models (E from the output's concentration C in ng/mL at each output time; CSV column <name>):
        response_percent (%): sigmoid_emax of drug, E = E0 + Emax·C^γ/(EC50^γ + C^γ)
            E0 = 10 * WT / 70; Emax = EMAX = 80 % [printed]; EC50 = 0.121 mg/L (121 ng/mL) [printed]; γ = GAMMA = 2 [transcribed]
            source: test, table 2

      indirect responses (turnover: R made at kin = kout·R0, lost at kout·R; integrated with the drug; CSV column <name>):
        pain_nrs (NRS): type I, inhibits production, by drug: dR/dt = kin·(1 − H) − kout·R, H = Imax·C^γ/(IC50^γ + C^γ)
            R0 = BASE = 7 NRS [derived]; t½ = T12 = 2 h [derived] (kout = 0.3466 1/h); IC50 = 100 ng/mL [derived]; Imax = IMAX = 0.8 [derived]; γ = 1 (not given: hyperbolic)
            source: test

      routes:
      """
    #expect(r.stdout.contains(expected), "\(r.stdout)")
    #expect(r.stdout.contains("\n  ke0(effect) = 0.05 1/min, t½ke0 = 13.86 min\n"))
  }

  /// Two subjects (70 and 84 kg): the effect column is E0 + Emax·C^γ/(EC50^γ + C^γ) of the
  /// concentration column, with each subject's own E0 = 10·WT/70.
  @Test func dataSetWritesTheSigmoidEmaxOfEachSubject() throws {
    let dir = try CLIRunner.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: dir) }
    let model = try Self.writeModel(in: dir)
    let data = try write("ID,TIME,AMT,WT\n1,0,5,70\n1,3,0,70\n2,0,2,84\n2,3,0,84\n", in: dir)
    let r = try CLIRunner.run([
      "run", "--model", model, "--data", data, "--every", "15min", "--until", "6h", "--columns", "AMT",
    ])
    #expect(r.status == 0, "stderr: \(r.stderr)")
    let (header, rows) = table(r.stdout)
    #expect(
      header == [
        "ID", "TIME", "AMT", "ADDED", "drug_ng_per_ml", "drug_effect_ng_per_ml", "response_percent",
        "pain_nrs",
      ])
    #expect(rows.count == 2 * (2 + 25))
    for row in rows {
      let weight = row[0] == 1 ? 70.0 : 84.0
      let c = row[4]
      let expected = 10 * weight / 70 + (c > 0 ? 80 / (1 + Double.pow(121 / c, 2)) : 0)
      #expect(
        row[6].isApproximatelyEqual(to: expected, relativeTolerance: 1e-12),
        "ID \(row[0]), t = \(row[1]) h: \(row[6]) vs \(expected)")
    }
    #expect(rows.contains { $0[6] > 10 + 40 }, "the first subject passes EC50")
    // Without drug the response stays at its baseline, and the first row has no drug effect yet.
    #expect(rows.first!.count == 8 && rows.first![7] == 7)
  }

  /// With CL 0 a bolus holds C at 150 ng/mL (1.5 mg into 10 L): the indirect response follows
  /// R(t) = Rss + (R0 − Rss)·e^(−kout·t), Rss = R0·(1 − H), H = 0.8·150/(100 + 150); a second
  /// subject without a dose keeps R0.
  @Test func dataSetWritesTheIndirectResponse() throws {
    let dir = try CLIRunner.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: dir) }
    let model = try Self.writeModel(in: dir, cl: 0)
    let data = try write("ID,TIME,AMT\n1,0,1.5\n2,0,0\n", in: dir)
    let r = try CLIRunner.run(["run", "--model", model, "--data", data, "--every", "30min", "--until", "8h"])
    #expect(r.status == 0, "stderr: \(r.stderr)")
    let (header, rows) = table(r.stdout)
    #expect(header.last == "pain_nrs" && header.count == 7)
    #expect(rows.count == 2 * (1 + 17))
    let h = 0.8 * 150 / (100 + 150.0)
    let kout = Double.log(2) / 2
    for row in rows {
      let t = row[1]
      let expected = row[0] == 1 ? 7 * (1 - h) + 7 * h * Double.exp(-kout * t) : 7
      #expect(row[6].isApproximatelyEqual(to: expected, relativeTolerance: 1e-6), "ID \(row[0]), t = \(t) h")
    }
  }

  /// More subjects than one batch, with weights that differ: the same bytes on 1 and 2 threads.
  @Test func threadsDoNotChangeTheEffects() throws {
    let dir = try CLIRunner.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: dir) }
    let model = try Self.writeModel(in: dir)
    var csv = "ID,TIME,AMT,WT\n"
    for i in 1...150 { csv += "\(i),0,\(1 + i % 7),\(50 + i % 40)\n" }
    let data = try write(csv, in: dir)
    let common = ["run", "--model", model, "--data", data, "--every", "1h", "--until", "12h"]
    let one = try CLIRunner.run(common + ["--threads", "1"])
    let two = try CLIRunner.run(common + ["--threads", "2"])
    #expect(one.status == 0 && two.status == 0, "stderr: \(one.stderr)\(two.stderr)")
    #expect(one.stdout == two.stdout)
    #expect(one.stdout.split(separator: "\n").count == 1 + 150 * 14)
    #expect(
      one.stdout.hasPrefix("ID,TIME,ADDED,drug_ng_per_ml,drug_effect_ng_per_ml,response_percent,pain_nrs\n"))
  }

  /// A population of the effect model: the curves and the summary carry the effects after the
  /// outputs; --threads 1 and 2 give the same bytes, and 3 shards merged those of 1 shard
  /// merged; the summary's --plot draws the concentrations only.
  @Test func populationCarriesTheEffects() throws {
    let dir = try CLIRunner.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: dir) }
    let model = try Self.writeModel(in: dir)
    func path(_ name: String) -> String { dir.appendingPathComponent(name).path }
    let common = [
      "run", "--model", model, "--dose", "5 mg iv over 30 min", "--until", "6h", "--every", "30min",
      "--subjects", "20", "--seed", "7", "--variability", "CL=0.3,EC50=0.3,T12=0.2",
    ]
    let one = try CLIRunner.run(common + ["--threads", "1"])
    let two = try CLIRunner.run(common + ["--threads", "2"])
    #expect(one.status == 0 && two.status == 0, "stderr: \(one.stderr) \(two.stderr)")
    #expect(one.stdout == two.stdout)
    #expect(
      one.stdout.hasPrefix("id,time_min,drug_ng_per_ml,drug_effect_ng_per_ml,response_percent,pain_nrs\n"))
    #expect(one.stdout.split(separator: "\n").count == 1 + 20 * 13)
    let summaryOne = try CLIRunner.run(
      common + ["--threads", "1", "--summary", "--fraction-above", "200ng/mL", "-o", path("s.csv")])
    let summaryTwo = try CLIRunner.run(
      common + ["--threads", "2", "--summary", "--fraction-above", "200ng/mL", "-o", path("s2.csv")])
    #expect(summaryOne.status == 0 && summaryTwo.status == 0, "stderr: \(summaryOne.stderr)")
    let summary = try String(contentsOfFile: path("s.csv"), encoding: .utf8)
    #expect(summary == (try String(contentsOfFile: path("s2.csv"), encoding: .utf8)))
    #expect(
      summary.hasPrefix(
        "time_min,drug_ng_per_ml_mean,drug_ng_per_ml_p5,drug_ng_per_ml_p25,drug_ng_per_ml_p50,drug_ng_per_ml_p75,drug_ng_per_ml_p95,drug_ng_per_ml_above_200,"
          + "drug_effect_ng_per_ml_mean,drug_effect_ng_per_ml_p5,drug_effect_ng_per_ml_p25,drug_effect_ng_per_ml_p50,drug_effect_ng_per_ml_p75,drug_effect_ng_per_ml_p95,drug_effect_ng_per_ml_above_200,"
          + "response_percent_mean,response_percent_p5,response_percent_p25,response_percent_p50,response_percent_p75,response_percent_p95,"
          + "pain_nrs_mean,pain_nrs_p5,pain_nrs_p25,pain_nrs_p50,pain_nrs_p75,pain_nrs_p95\n"))
    let meta = try String(contentsOfFile: path("s.csv.json"), encoding: .utf8)
    #expect(meta.contains("\"effects\" : [") && meta.contains("\"pain_nrs\""))
    for (k, n) in [(1, 1), (1, 3), (2, 3), (3, 3)] {
      let r = try CLIRunner.run(
        common + [
          "--summary", "--fraction-above", "200ng/mL", "--shard", "\(k)/\(n)", "-o", path("s\(k)of\(n).json"),
        ])
      #expect(r.status == 0, "stderr: \(r.stderr)")
      let c = try CLIRunner.run(common + ["--shard", "\(k)/\(n)", "-o", path("c\(k)of\(n).csv")])
      #expect(c.status == 0, "stderr: \(c.stderr)")
    }
    for (kind, ext) in [("s", "json"), ("c", "csv")] {
      let a = try CLIRunner.run(["merge", "-o", path("\(kind)-one.csv"), path("\(kind)1of1.\(ext)")])
      let b = try CLIRunner.run([
        "merge", "-o", path("\(kind)-three.csv"), path("\(kind)2of3.\(ext)"), path("\(kind)3of3.\(ext)"),
        path("\(kind)1of3.\(ext)"),
      ])
      #expect(a.status == 0 && b.status == 0, "stderr: \(a.stderr) \(b.stderr)")
      let merged = try String(contentsOfFile: path("\(kind)-one.csv"), encoding: .utf8)
      #expect(merged == (try String(contentsOfFile: path("\(kind)-three.csv"), encoding: .utf8)), "\(kind)")
      #expect(merged.split(separator: "\n")[0] == summary.split(separator: "\n")[0] || kind == "c")
    }
    #expect((try String(contentsOfFile: path("c-one.csv"), encoding: .utf8)) == one.stdout)
    // A shard summary of the model written without its effects is refused with a message.
    let shard = path("s1of1.json")
    let json = try String(contentsOfFile: shard, encoding: .utf8)
    let withoutEffects = try JSONSerialization.jsonObject(with: Data(json.utf8)) as! [String: Any]
    var summaryObject = withoutEffects["summary"] as! [String: Any]
    summaryObject["effectCount"] = nil
    let times = (summaryObject["timeCount"] as! Int)
    summaryObject["sums"] = Array((summaryObject["sums"] as! [Any]).prefix(times * 2))
    summaryObject["sketches"] = Array((summaryObject["sketches"] as! [Any]).prefix(times * 2))
    var old = withoutEffects
    old["summary"] = summaryObject
    try JSONSerialization.data(withJSONObject: old).write(to: URL(fileURLWithPath: path("old.json")))
    try FileManager.default.copyItem(atPath: shard + ".json", toPath: path("old.json.json"))
    let refused = try CLIRunner.run(["merge", "-o", path("m.csv"), path("old.json")])
    #expect(
      refused.status == 2 && refused.stderr.contains("run the shard again"), "stderr: \(refused.stderr)")
    #expect(!FileManager.default.fileExists(atPath: path("m.csv")))
    // --plot draws the concentrations of the summary only.
    let plotted = try CLIRunner.run(
      common + ["--summary", "-o", path("p.csv"), "--plot", path("p.svg")])
    #expect(plotted.status == 0, "stderr: \(plotted.stderr)")
    let svg = try String(contentsOfFile: path("p.svg"), encoding: .utf8)
    #expect(svg.contains("drug mean") && !svg.contains("response_percent") && !svg.contains("pain_nrs"))
  }
}
