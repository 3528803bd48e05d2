import ArgumentParser
import Foundation
import PKCore
import PKScenario

/// `ketasim run`: simulate a scenario file, or a regimen given on the command line, and write CSV.
struct Run: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "Simulate a scenario and write the concentration curve as CSV.",
    discussion: """
      Give a scenario file, or the quick form with --model, --dose, --until and --every.
      Doses use the regimen grammar: "2 mg/kg iv", "0.5 mg/kg iv over 40 min",
      "1 mg/kg/h iv for 60 min", "0.35 mg/kg/h iv for 4 h every 24 h x 3", "20 mg iv at 6 h",
      "56 mg nasal every 3.5 d x 8", "0.5 mg/kg im", "50 mg sublingual every 8 h x 6".
      Routes: iv, im, nasal, oral, sublingual, rectal, as each model declares them
      (`ketasim models show NAME` lists a model's routes). Amounts in g, mg, µg (mcg, ug),
      optionally per kg; rates per h or per min.

      Models that name enzymes take --enzyme CYP3A4=0.2 (80 % inhibited) or --with DRUG (an
      interacting drug from Models/interactions); the change applies to liver and gut-wall
      intrinsic clearance, so first-pass extraction follows.

      The first column is the time in the unit of the output step (time_min for --every 1min).
      At a bolus time the row shows the state just after the dose.

      With --subjects N (or --subjects-file FILE.csv) a population is simulated: random effects
      from the model file's variability (and --variability), covariates from the scenario's
      population section or the subjects file, every draw reproducible from --seed and the
      subject's ID. Output: per-subject curves with an id column, or --summary (mean and
      percentiles per time point); --exposure FILE adds Cmax, Tmax and AUC per subject;
      --shard K/N runs one part for a cluster, and `ketasim merge` combines the parts.
      A metadata file FILE.json is written beside every output file.

      With --model M --data FILE.csv, a NONMEM-style data set is simulated with NONMEM's record
      semantics (EVID, AMT, RATE, CMT, II, ADDL, SS): one row per record, ID and TIME first;
      --every/--until add output rows to every subject (marked ADDED).

      For teaching and research only; not for dosing patients.
      """)

  @Argument(help: "A scenario file (YAML). Leave out to use --model and --dose.")
  var scenario: String?

  @Option(help: ArgumentHelp("A bundled model name, or a model file path.", valueName: "name"))
  var model: String?

  @Option(help: ArgumentHelp("Body weight, e.g. 70kg.", valueName: "weight"))
  var weight: String?

  @Option(help: ArgumentHelp("Age, e.g. 40y.", valueName: "age"))
  var age: String?

  @Option(help: ArgumentHelp("Sex: female or male.", valueName: "sex"))
  var sex: String?

  @Option(help: ArgumentHelp("A dose in the regimen grammar; repeat for several.", valueName: "regimen"))
  var dose: [String] = []

  @Option(
    name: .customLong("covariate"),
    help: ArgumentHelp(
      "Another covariate the model uses, e.g. ASIAN=1; repeat for several.", valueName: "name=value"))
  var covariateValues: [String] = []

  @Option(
    help: ArgumentHelp(
      "Change an enzyme's activity (1 normal): CYP3A4=0.2 is 80 % inhibited, CYP3A4=3 induced three-fold; repeat for several.",
      valueName: "name=activity"))
  var enzyme: [String] = []

  @Option(
    name: .customLong("with"),
    help: ArgumentHelp(
      "An interacting drug from Models/interactions (e.g. clarithromycin); repeat for several.",
      valueName: "drug"))
  var interactions: [String] = []

  @Option(help: ArgumentHelp("End of the output grid, e.g. 24h.", valueName: "time"))
  var until: String?

  @Option(
    help: ArgumentHelp(
      "Step of the output grid, e.g. 1min; its unit is the time column's.", valueName: "step"))
  var every: String?

  @Option(
    name: [.short, .long],
    help: ArgumentHelp("Write the CSV to this file (default: stdout).", valueName: "file"))
  var output: String?

  @Option(help: "wide (one row per time) or long (time,variable,value,unit).")
  var format: CSVFormat = .wide

  @Flag(help: "Add every compartment's amount in mg, and the amount eliminated.")
  var amounts = false

  @Option(
    help: ArgumentHelp(
      "Round numbers to N significant digits (default: shortest exact form).", valueName: "n"))
  var digits: Int?

  @Option(
    help: ArgumentHelp(
      "A NONMEM-style data set (CSV) to simulate with --model: one output row per record.", valueName: "file")
  )
  var data: String?

  @Option(
    name: .customLong("time-unit"),
    help: ArgumentHelp(
      "The unit of TIME, II and RATE in --data: h, min, s or d (default: the model's).", valueName: "unit"))
  var timeUnit: String?

  @Option(
    help: ArgumentHelp(
      "Which record's covariates govern an interval with --data: nocb (NONMEM's default) or locf.",
      valueName: "rule"))
  var covariates: CovariateConvention = .nocb

  @Option(
    help: ArgumentHelp(
      "With --data, data items to write after TIME, e.g. EVID,AMT,CMT.", valueName: "items"))
  var columns: String?

  @Option(
    help: ArgumentHelp(
      "With --data, the most threads to simulate subjects on (default: all cores); the output is the same.",
      valueName: "n"))
  var threads: Int?

  @Option(
    help: ArgumentHelp(
      "The integrator: auto (exact for linear models; otherwise taylor for linear and Michaelis-Menten flows, dp5 with rate expressions, switching to rosenbrock when stiffness is detected), exact, dp5 (Dormand-Prince 5(4)), dop853 (order 8, tight tolerances), rosenbrock (stiff) or taylor (Taylor series; linear and Michaelis-Menten flows only).",
      valueName: "method"))
  var method: SolverOptions.Method = .automatic

  @Option(help: ArgumentHelp("Relative tolerance of adaptive methods (default 1e-8).", valueName: "x"))
  var rtol: Double = 1e-8

  @Option(
    help: ArgumentHelp(
      "Absolute tolerance of adaptive methods, as a fraction of the largest dose (default 1e-12).",
      valueName: "x"))
  var atol: Double = 1e-12

  @OptionGroup var population: PopulationOptions

  @OptionGroup var picture: PlotOptions

  @Option(
    help: ArgumentHelp(
      "Write exposure metrics to this CSV: Cmax, Tmax, trough, AUC to the end and to infinity (grid and exact), terminal half-life, time above each --threshold.",
      valueName: "file"))
  var metrics: String?

  @Option(
    help: ArgumentHelp(
      "A concentration for --metrics and --plot (time above it, time it falls below), e.g. 700ng/mL, or a landmark band from Models/landmarks: anaesthesia, awakening, analgesia, dissociation (both edges); repeat for several.",
      valueName: "concentration|name"))
  var threshold: [String] = []

  @OptionGroup var library: LibraryOptions

  /// The integrator options.
  var solver: SolverOptions {
    SolverOptions(method: method, relativeTolerance: rtol, absoluteTolerance: atol)
  }

  func validate() throws {
    if let threads, threads < 1 { throw ValidationError("--threads must be 1 or more, found \(threads).") }
    if metrics != nil && (data != nil || population.isPopulation) {
      throw ValidationError(
        "--metrics is for a single subject's run; a population's exposure table is --exposure FILE.")
    }
    if !threshold.isEmpty && data != nil {
      throw ValidationError("--threshold goes with --metrics or --plot, which --data runs do not write.")
    }
    // (A scenario file may bring its own metrics: file; run() checks that case.)
    if !threshold.isEmpty && metrics == nil && picture.plot == nil && scenario == nil {
      throw ValidationError(
        population.isPopulation
          ? "--threshold goes with --plot FILE.svg for a population (the fraction above a concentration is --fraction-above)."
          : "--threshold goes with --metrics FILE or --plot FILE.svg.")
    }
    if picture.plot != nil && data != nil {
      throw ValidationError("--plot draws scenarios and populations, not --data runs.")
    }
    if picture.plot != nil && (population.subjects != nil || population.subjectsFile != nil)
      && (!population.summary || population.shard != nil)
    {
      throw ValidationError(
        "--plot draws a population from its summary: add --summary (and leave out --shard; plot the merged file with Scripts/plot.py)."
      )
    }
    try population.validate(hasData: data != nil)
    guard rtol > 0 && rtol < 1 && rtol.isFinite else {
      throw ValidationError("--rtol must lie between 0 and 1, found \(rtol).")
    }
    guard atol > 0 && atol < 1 && atol.isFinite else {
      throw ValidationError(
        "--atol must lie between 0 and 1 (a fraction of the largest dose), found \(atol).")
    }
    if data != nil {
      if scenario != nil { throw ValidationError("Give either a scenario file or --data, not both.") }
      if model == nil { throw ValidationError("--data needs --model, e.g. --model domino-1984.") }
      if !dose.isEmpty { throw ValidationError("--data brings its own doses; leave out --dose.") }
      if format == .long {
        throw ValidationError("--format long is not available with --data; its rows are wide.")
      }
      if (until == nil) != (every == nil) {
        throw ValidationError("With --data, give both --every and --until (added output rows) or neither.")
      }
      return
    }
    if timeUnit != nil || columns != nil {
      throw ValidationError("--time-unit and --columns go with --data.")
    }
    if let digits, !(1...17).contains(digits) {
      throw ValidationError("--digits must be 1 to 17, found \(digits).")
    }
    let quick =
      model != nil || !dose.isEmpty || until != nil || every != nil || weight != nil || age != nil
      || sex != nil
    if scenario != nil && quick {
      throw ValidationError("Give either a scenario file or the quick form (--model, --dose, ...), not both.")
    }
    if scenario == nil {
      if model == nil {
        throw ValidationError("Give a scenario file, or --model with --dose, --until and --every.")
      }
      if dose.isEmpty { throw ValidationError("Missing --dose, e.g. --dose \"0.5 mg/kg iv over 40 min\".") }
      if until == nil { throw ValidationError("Missing --until, e.g. --until 24h.") }
      if every == nil { throw ValidationError("Missing --every, e.g. --every 1min.") }
    }
  }

  func run() throws {
    if let data { return try runDataSet(data) }
    var scenario = try loadScenario()
    if !enzyme.isEmpty || !interactions.isEmpty || !covariateValues.isEmpty {
      try applyOptions(to: &scenario.subject, model: scenario.model)
      try ScenarioFileReader.check(scenario, file: "command line")
    }
    if population.isPopulation || scenario.population != nil { return try runPopulation(scenario) }
    let metricsPath = metrics ?? scenario.metrics
    let thresholds = scenario.thresholds + (try thresholdValues())
    if !threshold.isEmpty && metricsPath == nil && picture.plot == nil {
      throw InputError(
        source: "command line", field: "--threshold",
        message: "--threshold goes with --metrics FILE, --plot FILE.svg or a scenario's metrics: file")
    }
    if metricsPath != nil || picture.plot != nil { warnAboutAnalytes(thresholds, model: scenario.model) }
    let drawn = try picture.selected(scenario.model.outputs, model: scenario.model)
    let model = try scenario.model.instantiate(for: scenario.subject)
    for w in scenario.model.validatedRange.warnings(for: scenario.subject, model: scenario.model.name) {
      Diagnostics.warn(w)
    }
    do { _ = try solver.adaptiveMethod(for: model.compiled) } catch {
      throw InputError(source: "command line", field: "--method", message: error.description)
    }
    var simulator = Simulator(model: model, subject: scenario.subject, solver: solver)
    simulator.reportsAmounts = amounts
    let result = try simulator.run(doses: scenario.doses, outputTimes: scenario.grid.hours)
    let writer = CSVWriter(format: format, includeAmounts: amounts, digits: digits)
    let text = try writer.render(result, grid: scenario.grid)
    if let output {
      try AtomicFileWriter.write(text, to: output)
    } else {
      FileHandle.standardOutput.write(Data(text.utf8))
    }
    if let metricsPath { try writeMetrics(scenario, result: result, thresholds: thresholds, to: metricsPath) }
    if picture.plot != nil {
      var plot = picture.frame(
        title: "\(scenario.model.name): ketamine simulation", grid: scenario.grid, doses: scenario.doses)
      plot.series = drawn.map {
        SVGPlot.Series(name: result.outputs[$0].columnName, values: result.curve($0))
      }
      plot.draw(thresholds)
      try picture.write(plot)
    }
  }

  /// Simulates a NONMEM-style data set, subject by subject, streaming the CSV.
  func runDataSet(_ path: String) throws {
    var definition: ModelDefinition
    do { definition = try library.library.load(model!) } catch {
      throw error.source == "model"
        ? InputError(source: "command line", field: "--model", message: error.message) : error
    }
    for (parameter, omega) in try population.variabilityValues() {
      definition.variability.set(
        RandomEffect(parameter: parameter, source: "added on the command line (ω \(omega))"),
        variance: omega * omega)
    }
    let compiled: CompiledModel
    do { compiled = try CompiledModel(definition) } catch {
      throw InputError(source: "command line", field: "--variability", message: error.description)
    }
    var unit = definition.timeUnit
    if let timeUnit {
      guard let u = QuantityParser.timeUnit(timeUnit) else {
        throw InputError(
          source: "command line", field: "--time-unit",
          message: "expected h, min, s or d, found '\(timeUnit)'")
      }
      unit = u
    }
    var items: [DataSetCSVWriter.Item] = []
    for word in (columns ?? "").split(separator: ",") {
      guard let item = DataSetCSVWriter.Item(rawValue: word.trimmingCharacters(in: .whitespaces).uppercased())
      else {
        throw InputError(
          source: "command line", field: "--columns", message: "expected EVID, AMT or CMT, found '\(word)'")
      }
      items.append(item)
    }
    var subject = try quickSubject()
    try applyOptions(to: &subject, model: definition)
    var added: [Double] = []
    if let until, let every {
      added = try option("--every", every) { _ throws(QuantityError) in
        try OutputGrid(
          until: try QuantityParser.time(until, what: "an end time"),
          every: try QuantityParser.time(every, what: "a step")
        ).hours
      }
    }
    let dataSet = try DataSetReader.read(path: path, timeUnit: unit)
    for w in dataSet.warnings { Diagnostics.warn(w) }
    do { _ = try solver.adaptiveMethod(for: compiled) } catch {
      throw InputError(source: "command line", field: "--method", message: error.description)
    }
    var runner = try DataSetRunner(
      model: compiled, dataSet: dataSet, subject: subject, convention: covariates, addedTimes: added,
      solver: solver)
    // Typical values unless --seed (or --variability) asks for drawn random effects.
    if population.seed != nil || population.variability != nil {
      runner.sampler = try SubjectSampler(
        seed: population.seed, base: Subject(), distributions: [],
        variability: compiled.definition.variability,
        model: compiled.definition.name)
    }
    let writer = DataSetCSVWriter(
      items: items, markAdded: !added.isEmpty, includeAmounts: amounts, timeUnit: unit,
      nameCase: dataSet.nameCase, digits: digits)
    let sink = try OutputSink(path: output)
    try sink.write(writer.header(for: definition))
    let failures = try runner.run(
      dataSet, writer: writer, sink: sink, threads: threads ?? ProcessInfo.processInfo.activeProcessorCount)
    try sink.finish()
    if !failures.isEmpty {
      for f in failures { FileHandle.standardError.write(Data("ketasim: error: \(f)\n".utf8)) }
      Diagnostics.fail(
        "\(failures.count) of \(dataSet.subjects.count) subjects failed (listed above); the others were written",
        code: .runtimeFailure)
    }
  }

  /// The subject of the quick-form options (--weight, --age, --sex).
  func quickSubject() throws(InputError) -> Subject {
    var subject = Subject()
    if let weight {
      subject.weight = try option("--weight", weight) { t throws(QuantityError) in
        try QuantityParser.weight(t)
      }
    }
    if let age {
      subject.age = try option("--age", age) { t throws(QuantityError) in try QuantityParser.age(t) }
    }
    if let sex {
      subject.sex = try option("--sex", sex) { t throws(QuantityError) in try QuantityParser.sex(t) }
    }
    return subject
  }

  /// Applies --covariate, --enzyme and --with to `subject` for `model`.
  func applyOptions(to subject: inout Subject, model: ModelDefinition) throws(InputError) {
    for text in covariateValues {
      let (name, value) = try option("--covariate", text) { t throws(QuantityError) in
        try AssignmentParser.parse(t, example: "ASIAN=1")
      }
      do { try model.setCovariate(name, to: value, on: &subject) } catch {
        throw InputError(source: "command line", field: "--covariate", message: error.description)
      }
    }
    for text in enzyme {
      let change = try option("--enzyme", text) { t throws(QuantityError) in try AssignmentParser.enzyme(t) }
      do { try model.apply(change, to: &subject) } catch {
        throw InputError(source: "command line", field: "--enzyme", message: error.description)
      }
    }
    for name in interactions {
      let interaction: Interaction
      do { interaction = try library.library.interaction(name) } catch {
        throw InputError(source: "command line", field: "--with", message: error.message)
      }
      let skipped: [EnzymeActivity]
      do { skipped = try model.apply(interaction, to: &subject) } catch {
        throw InputError(source: "command line", field: "--with", message: error.description)
      }
      for s in skipped {
        Diagnostics.warn(
          "\(interaction.name) also changes \(s.enzyme), which \(model.name) does not name; that change is left out."
        )
      }
    }
  }

  /// Parses an option's value, locating its error at the option.
  func option<T>(_ name: String, _ text: String, _ parse: (String) throws(QuantityError) -> T)
    throws(InputError) -> T
  {
    do { return try parse(text) } catch {
      throw InputError(source: "command line", field: name, message: error.message)
    }
  }

  /// The scenario from the file, or built from the quick-form options.
  func loadScenario() throws -> Scenario {
    if let scenario { return try ScenarioFileReader.read(path: scenario, library: library.library) }
    let subject = try quickSubject()
    let doses = try dose.map { d throws(InputError) in
      try option("--dose", d) { t throws(QuantityError) in try RegimenParser.parse(t) }
    }
    let untilValue = try option("--until", until!) { t throws(QuantityError) in
      try QuantityParser.time(t, what: "an end time")
    }
    let everyValue = try option("--every", every!) { t throws(QuantityError) in
      try QuantityParser.time(t, what: "a step")
    }
    let grid = try option("--every", every!) { _ throws(QuantityError) in
      try OutputGrid(until: untilValue, every: everyValue)
    }
    let definition: ModelDefinition
    do {
      definition = try library.library.load(model!)
    } catch {
      throw error.source == "model"
        ? InputError(source: "command line", field: "--model", message: error.message) : error
    }
    let scenario = Scenario(model: definition, subject: subject, doses: doses, grid: grid)
    // A subjects file brings the covariates: the population run checks its first subject.
    if population.subjectsFile == nil { try ScenarioFileReader.check(scenario, file: "command line") }
    return scenario
  }
}
