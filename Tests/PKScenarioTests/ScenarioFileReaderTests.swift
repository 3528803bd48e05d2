import Foundation
import PKCore
import RealModule
import Testing

@testable import PKScenario

@Suite struct ScenarioFileReaderTests {
  func parse(_ yaml: String) throws -> Scenario {
    try ScenarioFileReader.parse(yaml: yaml, file: "s.yaml", library: RepositoryPaths.library)
  }

  /// Every file in Models/scenarios/ (listed from the folder, so a new one cannot be missed).
  @Test(arguments: RepositoryPaths.scenarioNames)
  func readyMadeScenariosAreValid(name: String) throws {
    let path = RepositoryPaths.scenarios.appendingPathComponent(name + ".yaml").path
    let s = try ScenarioFileReader.read(path: path, library: RepositoryPaths.library)
    #expect(!s.doses.isEmpty)
    #expect(s.description != nil)
  }

  @Test func depressionScenarioGrid() throws {
    let path = RepositoryPaths.scenarios.appendingPathComponent("depression-infusion.yaml").path
    let s = try ScenarioFileReader.read(path: path, library: RepositoryPaths.library)
    #expect(s.grid.unit == .minute)
    #expect(s.grid.times.count == 1441)
    #expect(s.grid.times.last == 1440)
    #expect(s.subject.weight == 70)
  }

  @Test func structuredDosesMatchTheGrammar() throws {
    let s = try parse(
      """
      model: domino-1984
      subject: {weight: 70 kg, age: 40 y, sex: female}
      doses:
        - {amount: 2 mg/kg, route: iv}
        - {amount: 0.5 mg/kg, duration: 40 min, time: 1 h}
        - {rate: 1 mg/kg/h, duration: 60 min, every: 24 h, count: 3}
      output: {times: [0, 30, 90], unit: min}
      """)
    #expect(s.doses[0] == (try RegimenParser.parse("2 mg/kg iv")))
    #expect(s.doses[1] == (try RegimenParser.parse("0.5 mg/kg iv over 40 min at 1 h")))
    #expect(s.doses[2] == (try RegimenParser.parse("1 mg/kg/h iv for 60 min every 24 h x 3")))
    #expect(s.grid.times == [0, 30, 90])
    #expect(s.subject == Subject(weight: 70, age: 40, sex: .female))
  }

  @Test func timesWithUnits() throws {
    let s = try parse(
      """
      model: domino-1984
      subject: {weight: 70 kg}
      doses: [20 mg iv]
      output: {times: [0 h, 30 min, 2 h]}
      """)
    #expect(s.grid.unit == .hour)
    #expect(s.grid.times == [0, 0.5, 2])
  }

  @Test func modelByRelativePath() throws {
    let s = try ScenarioFileReader.parse(
      yaml:
        "model: ../domino-1984.yaml\nsubject: {weight: 70 kg}\ndoses: [20 mg]\noutput: {until: 1 h, every: 1 min}\n",
      file: "s.yaml", library: ModelLibrary(directory: "/nonexistent"),
      baseDirectory: RepositoryPaths.scenarios.path)
    #expect(s.model.name == "domino-1984")
  }

  /// Each error names the line and the field.
  @Test(arguments: [
    ("model: nope", 1, "model", "unknown model 'nope'"),
    ("subject: {weight: 0 kg}", 2, "subject.weight", "above 0"),
    ("subject: {weight: 70}", 2, "subject.weight", "in kg"),
    ("subject: {weight: 70 kg, age: -1 y}", 2, "subject.age", "0 or more"),
    ("subject: {weight: 70 kg, height: 180 cm}", 2, "subject.height", "not a known key"),
    (
      "subject: {weight: 70 kg, covariates: {ASIAN: 1}}", 2, "subject.covariates.ASIAN",
      "has no covariate 'ASIAN'"
    ),
    ("doses: [5 mg/h iv]", 3, "doses[1]", "needs a duration"),
    ("doses: [2 mg/kg sc]", 3, "doses[1]", "not simulated"),
    ("doses: [1 mg iv, {amount: 2 mg/kg, route: subcutaneous}]", 3, "doses[2].route", "unknown route"),
    ("doses: [{amount: 40 mg, duration: 40 mg}]", 3, "doses[1].duration", "found '40 mg'"),
    ("doses: [{amount: 5 mg/h}]", 3, "doses[1].amount", "found a rate"),
    ("doses: [{rate: 5 mg/h}]", 3, "doses[1]", "needs a 'duration'"),
    ("doses: [{amount: 5 mg, count: 3}]", 3, "doses[1]", "needs 'every'"),
    ("output: {until: 1 h, every: 0 min}", 4, "output", "step above 0"),
    ("output: {until: 1 h}", 4, "output.every", "is missing"),
    ("output: {times: [0, 5]}", 4, "output.times[1]", "needs 'unit'"),
    ("output: {times: [5 min, 1 min]}", 4, "output.times", "increasing"),
  ])
  func locatedErrors(line replacement: String, lineNumber: Int, field: String, message: String) {
    var lines = [
      "model: domino-1984", "subject: {weight: 70 kg}", "doses: [2 mg/kg iv]",
      "output: {until: 1 h, every: 1 min}",
    ]
    let key = replacement.prefix(while: { $0 != ":" })
    let i = lines.firstIndex { $0.hasPrefix(key) }!
    lines[i] = replacement
    #expect {
      _ = try parse(lines.joined(separator: "\n"))
    } throws: { error in
      let e = error as! InputError
      return e.source == "s.yaml" && e.line == lineNumber && e.field == field && e.message.contains(message)
    }
  }

  @Test func perKilogramDoseWithoutWeight() {
    #expect {
      _ = try parse("model: hijazi-2003\ndoses: [2 mg/kg iv]\noutput: {until: 1 h, every: 1 min}")
    } throws: { error in
      (error as! InputError).message.contains("weight")
    }
  }

  @Test func emptyAndMissingFiles() {
    #expect(throws: InputError.self) { try parse("") }
    #expect(throws: InputError.self) { try parse("doses: [") }
    #expect(throws: InputError.self) {
      try ScenarioFileReader.read(path: "/nonexistent.yaml", library: RepositoryPaths.library)
    }
  }
}
