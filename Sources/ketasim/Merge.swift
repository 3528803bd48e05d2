import ArgumentParser
import PKScenario

/// `ketasim merge`: combine the shard outputs of one population run.
struct Merge: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "Combine the shard outputs of a population run (ketasim run --shard K/N) into one.",
    discussion: """
      Give every shard's output file (each with its FILE.json beside it), in any order.
      Per-subject curves and exposure tables are concatenated in ID order; summaries are
      recombined from the shards' exact sums and sketches, so the result is the same bytes
      whatever the number of shards.

      For teaching and research only; not for dosing patients.
      """)

  @Option(name: [.short, .long], help: ArgumentHelp("The merged file.", valueName: "file"))
  var output: String

  @Argument(help: "The shard files.")
  var shards: [String] = []

  func validate() throws {
    if shards.isEmpty { throw ValidationError("Give the shard files to merge.") }
  }

  func run() throws {
    try ShardMerger.merge(inputs: shards, output: output, commandLine: CommandLine.arguments)
  }
}
