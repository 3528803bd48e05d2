import ArgumentParser
import Foundation
import PKScenario

/// `ketasim check`: validate a scenario file without running it.
struct Check: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "Validate a scenario file without running it.",
    discussion: "Exits with 0 and prints a one-line summary when the scenario is valid, 2 otherwise.")

  @Argument(help: "The scenario file (YAML).")
  var scenario: String

  @OptionGroup var library: LibraryOptions

  func run() throws {
    let s = try ScenarioFileReader.read(path: scenario, library: library.library)
    for w in s.model.validatedRange.warnings(for: s.subject, model: s.model.name) { Diagnostics.warn(w) }
    print(
      "\(scenario): ok (model \(s.model.name), \(s.doses.count) dose\(s.doses.count == 1 ? "" : "s"), \(s.grid.times.count) output times)"
    )
  }
}
