import ArgumentParser
import PKScenario

/// The options of a population run (`ketasim run --subjects N …`).
struct PopulationOptions: ParsableArguments {
  @Option(help: ArgumentHelp("Simulate N subjects (random effects and drawn covariates).", valueName: "n"))
  var subjects: Int?

  @Option(
    name: .customLong("subjects-file"),
    help: ArgumentHelp("A CSV of subjects: ID, then WT, AGE, SEX or other covariates.", valueName: "file"))
  var subjectsFile: String?

  @Option(
    help: ArgumentHelp("The seed of every random draw (required when anything is random).", valueName: "n"))
  var seed: UInt64?

  @Option(
    help: ArgumentHelp(
      "Add or replace log-normal variability: ω (SD of log P) per parameter, e.g. \"CL=0.3,V1=0.3\".",
      valueName: "list"))
  var variability: String?

  @Flag(help: "Write the mean and percentiles per time point instead of every subject's curve.")
  var summary = false

  @Option(help: ArgumentHelp("The percentiles of --summary (default 5,25,50,75,95).", valueName: "list"))
  var percentiles: String?

  @Option(
    name: .customLong("exact-limit"),
    help: ArgumentHelp(
      "Exact percentiles up to N subjects (default 100000); above, a DDSketch within 0.1 %.", valueName: "n"))
  var exactLimit: Int = SummarySettings.defaultExactLimit

  @Option(
    name: .customLong("fraction-above"),
    help: ArgumentHelp(
      "With --summary, the fraction of subjects above a concentration per time point, e.g. 750ng/mL; repeat for several.",
      valueName: "concentration"))
  var fractionAbove: [String] = []

  @Flag(
    help:
      "Add simulated observations (<output>_obs_ng_per_ml: the concentration with the model's residual error) to every subject's curve."
  )
  var observations = false

  @Option(
    help: ArgumentHelp("Also write Cmax, Tmax and AUC of every subject to this CSV.", valueName: "file"))
  var exposure: String?

  @Option(
    help: ArgumentHelp(
      "Simulate only shard K of N (by subject ID), for a job array; combine with `ketasim merge`.",
      valueName: "K/N"))
  var shard: String?

  @Option(
    name: .customLong("subject-limit"),
    help: ArgumentHelp("Refuse more subjects than this (default 1000000).", valueName: "n"))
  var subjectLimit: Int = PopulationSpec.defaultSubjectLimit

  /// Whether a population option was given.
  var isPopulation: Bool { setsSubjectsOrOutputs || variability != nil }

  /// Whether an option about the subjects or the population's outputs was given (all but
  /// --seed and --variability, which also serve data sets).
  var setsSubjectsOrOutputs: Bool {
    subjects != nil || subjectsFile != nil || summary || exposure != nil || shard != nil
      || !fractionAbove.isEmpty || percentiles != nil || observations
  }

  func validate(hasData: Bool) throws {
    if hasData && setsSubjectsOrOutputs {
      throw ValidationError(
        "--data brings its own subjects; leave out --subjects and the other population options (--seed and --variability draw each data-set subject's random effects)."
      )
    }
    if let subjects {
      guard subjects >= 1 else { throw ValidationError("--subjects must be 1 or more, found \(subjects).") }
      guard subjects <= subjectLimit else {
        throw ValidationError(
          "--subjects \(subjects) is above the limit of \(subjectLimit); raise it with --subject-limit \(subjects) if you mean it."
        )
      }
    }
    if subjects != nil && subjectsFile != nil {
      throw ValidationError("Give either --subjects or --subjects-file, not both.")
    }
    if observations && summary {
      throw ValidationError("--observations go with per-subject curves; leave out --summary.")
    }
    if exactLimit < 0 { throw ValidationError("--exact-limit must be 0 or more, found \(exactLimit).") }
    if (percentiles != nil || !fractionAbove.isEmpty) && !summary {
      throw ValidationError("--percentiles and --fraction-above go with --summary.")
    }
    _ = try percentileValues()
    _ = try shardValue()
    _ = try thresholdValues()
  }

  /// The percentiles asked for.
  func percentileValues() throws -> [Double] {
    guard let percentiles else { return SummarySettings.defaultPercentiles }
    var values: [Double] = []
    for word in percentiles.split(separator: ",") {
      guard let p = Double(word.trimmingCharacters(in: .whitespaces)), p > 0 && p < 100 else {
        throw ValidationError(
          "--percentiles takes numbers between 0 and 100 (exclusive), e.g. 5,50,95; found '\(word)'.")
      }
      values.append(p)
    }
    guard !values.isEmpty else { throw ValidationError("--percentiles is empty; e.g. 5,50,95.") }
    return values
  }

  /// The shard asked for.
  func shardValue() throws -> Shard {
    guard let shard else { return .whole }
    do { return try Shard(parsing: shard) } catch { throw ValidationError("--shard: \(error.message).") }
  }

  /// The thresholds (ng/mL).
  func thresholdValues() throws -> [Double] {
    var values: [Double] = []
    for text in fractionAbove {
      do { values.append(try QuantityParser.concentration(text)) } catch {
        throw ValidationError("--fraction-above: \(error.message).")
      }
    }
    return values
  }

  /// The --variability list: (parameter, ω).
  func variabilityValues() throws -> [(parameter: String, omega: Double)] {
    guard let variability else { return [] }
    var values: [(String, Double)] = []
    for item in variability.split(separator: ",") {
      let (name, omega): (String, Double)
      do { (name, omega) = try AssignmentParser.parse(String(item), example: "CL=0.3") } catch {
        throw ValidationError("--variability: \(error.message).")
      }
      guard omega >= 0 && omega.isFinite else {
        throw ValidationError(
          "--variability: ω of \(name) must be 0 or more (the SD of log \(name)), found \(omega).")
      }
      values.append((name, omega))
    }
    return values
  }
}
