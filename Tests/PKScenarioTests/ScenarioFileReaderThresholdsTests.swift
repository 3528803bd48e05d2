import Foundation
import PKCore
import Testing

@testable import PKScenario

/// A scenario's `thresholds:` (landmark names or concentrations) and `metrics:` (a file path
/// relative to the scenario), with located errors.
@Suite struct ScenarioFileReaderThresholdsTests {
  static let base = [
    "model: domino-1984", "subject: {weight: 70 kg}", "doses: [2 mg/kg iv]",
    "output: {until: 1 h, every: 1 min}",
  ]

  func parse(_ extra: [String], baseDirectory: String? = nil) throws -> Scenario {
    try ScenarioFileReader.parse(
      yaml: (Self.base + extra).joined(separator: "\n"), file: "s.yaml", library: RepositoryPaths.library,
      baseDirectory: baseDirectory)
  }

  @Test func namesAndConcentrations() throws {
    let s = try parse(
      ["thresholds: [awakening, 100 ng/mL, 0.25 µg/mL]", "metrics: out.csv"], baseDirectory: "/data/runs")
    let awakening = try RepositoryPaths.library.threshold("awakening")
    #expect(s.thresholds == [awakening, .level(100), .level(250)])
    #expect(s.thresholds.flatMap(\.concentrations) == [640, 750, 100, 250])
    #expect(s.metrics == "/data/runs/out.csv")
    #expect(try parse(["metrics: /tmp/m.csv"], baseDirectory: "/data").metrics == "/tmp/m.csv")
    let plain = try parse([])
    #expect(plain.thresholds.isEmpty && plain.metrics == nil)
  }

  /// The teaching scenarios name the landmarks their comments discuss.
  @Test(arguments: [
    ("anaesthesia-induction", ["anaesthesia", "awakening"]),
    ("induction-slow-infusion", ["anaesthesia", "awakening"]),
    ("depression-infusion", ["dissociation"]),
    ("chronic-pain-course", ["analgesia"]),
  ])
  func teachingScenariosNameTheirLandmarks(name: String, landmarks: [String]) throws {
    let path = RepositoryPaths.scenarios.appendingPathComponent(name + ".yaml").path
    let s = try ScenarioFileReader.read(path: path, library: RepositoryPaths.library)
    let names = s.thresholds.compactMap { t -> String? in
      if case .landmark(let l) = t { return l.name }
      return nil
    }
    #expect(names == landmarks)
    #expect(s.metrics == nil, "a ready-made scenario must not write into Models/")
  }

  /// Each error names the line and the field.
  @Test(arguments: [
    (
      "thresholds: [awakening, awake]", "thresholds[2]",
      "unknown landmark 'awake'; known landmarks: anaesthesia, awakening, analgesia, dissociation"
    ),
    ("thresholds: [750]", "thresholds[1]", "expected a concentration with its unit"),
    ("thresholds: [750 mg]", "thresholds[1]", "expected a concentration with its unit"),
    ("thresholds: [1 h]", "thresholds[1]", "found '1 h'"),
    ("thresholds: awakening", "thresholds", "expected a list"),
    ("metrics: ''", "metrics", "is empty"),
    ("metrics: [a.csv]", "metrics", "expected a single value"),
    ("metrics: m.csv\npopulation: {subjects: 10}", "metrics", "single subject's run"),
    ("threshold: [awakening]", "threshold", "not a known key"),
  ])
  func locatedErrors(line: String, field: String, message: String) {
    #expect {
      _ = try parse([line])
    } throws: { error in
      let e = error as! InputError
      return e.source == "s.yaml" && e.line == 5 && e.field == field && e.message.contains(message)
    }
  }
}
