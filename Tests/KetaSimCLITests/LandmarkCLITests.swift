import Foundation
import Testing

#if canImport(FoundationXML)
  import FoundationXML
#endif

/// Named concentration landmarks end to end: `--threshold awakening`, a scenario's `thresholds:`
/// and `metrics:`, the shaded band of `--plot`, and the messages for bad names and units.
@Suite struct LandmarkCLITests {
  /// The metric rows of a metrics CSV, for output `ketamine`.
  static func rows(_ path: String) throws -> [String: String] {
    var rows: [String: String] = [:]
    for line in try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n").dropFirst() {
      let f = line.split(separator: ",", omittingEmptySubsequences: false)
      if f[0] == "ketamine" { rows[String(f[1])] = String(f[2]) }
    }
    return rows
  }

  /// A 100 mg bolus into V 10 L, CL 5 L/h: C = 10,000·e^(−0.5 t) ng/mL, so the curve stays above
  /// c for ln(10,000/c)/0.5 h: 329.86 min above 640 ng/mL (awakening's low edge), 310.83 min
  /// above 750 ng/mL (its high edge), and falls below each then.
  @Test func thresholdByName() throws {
    let dir = try CLIRunner.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: dir) }
    let model = try CLIRunner.writeOneCompartmentModel(in: dir, name: "one")
    let metrics = dir.appendingPathComponent("m.csv").path
    let r = try CLIRunner.run([
      "run", "--model", model, "--dose", "100 mg iv", "--until", "24h", "--every", "1min", "-o",
      dir.appendingPathComponent("c.csv").path, "--metrics", metrics, "--threshold", "awakening",
      "--threshold", "1000ng/mL",
    ])
    #expect(r.status == 0, "stderr: \(r.stderr)")
    let rows = try Self.rows(metrics)
    for (stem, level) in [("awakening_low_640", 640.0), ("awakening_high_750", 750), ("1000", 1000)] {
      let minutes = log(10_000 / level) / 0.5 * 60
      for metric in ["time_above_", "falls_below_"] {
        let value = try #require(rows[metric + stem].flatMap(Double.init), "\(metric + stem) missing")
        #expect(abs(value - minutes) < 0.01, "\(metric + stem): \(value) min, expected \(minutes)")
      }
    }
    // The test model's drug is "test", not racemic ketamine: a warning, not an error.
    #expect(r.stderr.contains("warning: the landmark awakening is a racemic ketamine concentration"))
  }

  /// Bad --threshold values: exit 2, a message naming --threshold, no metrics file.
  @Test(arguments: [
    (
      "awake",
      "--threshold: unknown landmark 'awake'; known landmarks: anaesthesia, awakening, analgesia, dissociation"
    ),
    ("750", "--threshold: expected a concentration with its unit (ng/mL"),
    ("750 mg", "--threshold: expected a concentration with its unit (ng/mL"),
  ])
  func badThreshold(text: String, message: String) throws {
    let dir = try CLIRunner.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: dir) }
    let metrics = dir.appendingPathComponent("m.csv").path
    let r = try CLIRunner.run([
      "run", "--model", "domino-1984", "--weight", "70kg", "--dose", "2 mg/kg iv", "--until", "1h", "--every",
      "1min", "--metrics", metrics, "--threshold", text,
    ])
    #expect(r.status == 2, "exit \(r.status), stderr: \(r.stderr)")
    #expect(r.stderr.contains(message), "stderr: \(r.stderr)")
    #expect(r.stdout.isEmpty)
    #expect(!FileManager.default.fileExists(atPath: metrics))
  }

  /// A scenario's `thresholds:` and `metrics:` write the metrics beside the scenario; a
  /// --threshold adds to the list and --metrics replaces the file.
  @Test func scenarioWritesItsMetrics() throws {
    let dir = try CLIRunner.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: dir) }
    _ = try CLIRunner.writeOneCompartmentModel(in: dir, name: "one")
    let scenario = dir.appendingPathComponent("s.yaml").path
    try """
    model: one.yaml
    doses: [100 mg iv]
    output: {until: 24 h, every: 1 min}
    thresholds: [awakening, 1000 ng/mL]
    metrics: m.csv
    """.write(toFile: scenario, atomically: true, encoding: .utf8)
    let r = try CLIRunner.run(["run", scenario, "-o", dir.appendingPathComponent("c.csv").path])
    #expect(r.status == 0, "stderr: \(r.stderr)")
    let rows = try Self.rows(dir.appendingPathComponent("m.csv").path)
    let thresholdRows = rows.keys.filter { $0.hasPrefix("time_above") || $0.hasPrefix("falls_below") }
      .sorted()
    #expect(
      thresholdRows == [
        "falls_below_1000", "falls_below_awakening_high_750", "falls_below_awakening_low_640",
        "time_above_1000",
        "time_above_awakening_high_750", "time_above_awakening_low_640",
      ])
    #expect(abs(Double(rows["time_above_awakening_low_640"]!)! - log(10_000 / 640) / 0.5 * 60) < 0.01)
    #expect(rows["cmax"] == "10000")
    // --metrics replaces the scenario's file; --threshold adds a landmark.
    let other = dir.appendingPathComponent("other.csv").path
    try FileManager.default.removeItem(atPath: dir.appendingPathComponent("m.csv").path)
    let more = try CLIRunner.run([
      "run", scenario, "-o", dir.appendingPathComponent("c.csv").path, "--metrics", other, "--threshold",
      "anaesthesia",
    ])
    #expect(more.status == 0, "stderr: \(more.stderr)")
    #expect(!FileManager.default.fileExists(atPath: dir.appendingPathComponent("m.csv").path))
    let moreRows = try Self.rows(other)
    #expect(
      moreRows["time_above_awakening_low_640"] != nil && moreRows["time_above_anaesthesia_high_2400"] != nil)
    // A population run refuses the scenario's metrics file.
    let population = try CLIRunner.run([
      "run", scenario, "--subjects", "3", "-o", dir.appendingPathComponent("p.csv").path,
    ])
    #expect(
      population.status == 2 && population.stderr.contains("metrics: file is for a single subject's run"))
    // A bad name in the scenario names the file, line and field.
    try """
    model: one.yaml
    doses: [100 mg iv]
    output: {until: 24 h, every: 1 min}
    thresholds: [awakening, wakening]
    """.write(toFile: scenario, atomically: true, encoding: .utf8)
    let bad = try CLIRunner.run(["check", scenario])
    #expect(bad.status == 2)
    #expect(
      bad.stderr.contains(
        "s.yaml:4: thresholds[2]: unknown landmark 'wakening'; known landmarks: anaesthesia"))
  }

  /// --plot with a landmark draws the band, shaded and labelled with its name; a plain
  /// concentration stays a dashed line. --threshold needs no --metrics when --plot is given.
  @Test func plotShadesTheBand() throws {
    let dir = try CLIRunner.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: dir) }
    let svg = dir.appendingPathComponent("a.svg").path
    let r = try CLIRunner.run([
      "run", "Models/scenarios/anaesthesia-induction.yaml", "-o", dir.appendingPathComponent("a.csv").path,
      "--plot", svg, "--log-axis", "--threshold", "100ng/mL",
    ])
    #expect(r.status == 0, "stderr: \(r.stderr)")
    #expect(!r.stderr.contains("warning"), "stderr: \(r.stderr)")
    let reader = try #require(try PlotSVGTests.Reader.read(svg), "not well-formed XML")
    #expect(reader.count("g", class: "landmark") == 2)
    #expect(reader.count("g", class: "threshold") == 1)
    #expect(reader.texts.contains("anaesthesia 1200–2400 ng/mL"))
    #expect(reader.texts.contains("awakening 640–750 ng/mL"))
    #expect(reader.texts.contains("100 ng/mL"))
    // Without --metrics or --plot (and without a scenario), --threshold is refused.
    let refused = try CLIRunner.run([
      "run", "--model", "domino-1984", "--weight", "70kg", "--dose", "2 mg/kg iv", "--until", "1h", "--every",
      "1min", "--threshold", "awakening",
    ])
    #expect(
      refused.status == 2
        && refused.stderr.contains("--threshold goes with --metrics FILE or --plot FILE.svg"))
  }

  /// Racemic-ketamine landmarks on an S-ketamine model: the run goes on, with a warning.
  @Test func otherDrugWarns() throws {
    let dir = try CLIRunner.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: dir) }
    let r = try CLIRunner.run([
      "run", "--model", "fanta-otto-2021", "--weight", "70kg", "--dose", "10 mg iv over 30 min", "--until",
      "2h",
      "--every", "10min", "-o", dir.appendingPathComponent("c.csv").path, "--metrics",
      dir.appendingPathComponent("m.csv").path, "--threshold", "analgesia",
    ])
    #expect(r.status == 0, "stderr: \(r.stderr)")
    #expect(r.stderr.contains("warning: the landmark analgesia is a racemic ketamine concentration"))
    #expect(r.stderr.contains("fanta-otto-2021 predicts S-ketamine (esketamine)"))
  }
}
