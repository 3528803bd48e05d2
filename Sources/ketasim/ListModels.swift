import ArgumentParser
import PKScenario

/// `ketasim models [list]`: one line per bundled model.
struct ListModels: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "list", abstract: "List the bundled models: name, drug, population, citation.")

  @OptionGroup var library: LibraryOptions

  func run() throws {
    for m in try library.library.all() {
      print(
        "\(m.name)\n  drug: \(m.drug)\n  population: \(m.population)\n  sampling: \(m.samplingSite)\n  citation: \(m.citation)\n"
      )
    }
  }
}
