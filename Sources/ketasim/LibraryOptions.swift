import ArgumentParser
import PKScenario

/// Where the bundled models are: shared by every subcommand.
struct LibraryOptions: ParsableArguments {
  @Option(
    name: .customLong("models-dir"),
    help: ArgumentHelp(
      "The folder of bundled model files (default: $KETASIM_MODELS, else the repository's Models/).",
      valueName: "dir"))
  var modelsDirectory: String?

  var library: ModelLibrary { ModelLibrary(directory: modelsDirectory) }
}
