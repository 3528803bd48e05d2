import ArgumentParser

/// `ketasim models`: list the bundled models, or show one.
struct ModelsCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "models",
    abstract: "List the bundled models, or show one's parameters and derived quantities.",
    subcommands: [ListModels.self, ShowModel.self],
    defaultSubcommand: ListModels.self)
}
