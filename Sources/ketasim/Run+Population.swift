import ArgumentParser
import Foundation
import PKCore
import PKScenario

extension Run {
  /// Simulates a population: the scenario's `population` section and the command line's
  /// population options (which win), streaming curves, or writing a summary, plus sidecars.
  func runPopulation(_ scenario: Scenario) throws {
    let spec = scenario.population ?? PopulationSpec()
    let drawn = try picture.selected(scenario.model.outputs, model: scenario.model)
    if metrics != nil {
      throw InputError(
        source: "command line", field: "--metrics",
        message: "--metrics is for a single subject's run; a population's exposure table is --exposure FILE")
    }
    if !threshold.isEmpty && picture.plot == nil {
      throw InputError(
        source: "command line", field: "--threshold",
        message:
          "a population draws --threshold on its --plot FILE.svg; for the fraction of subjects above a concentration use --fraction-above"
      )
    }
    // Parsed before the run, so that a bad threshold writes nothing.
    let thresholds = scenario.thresholds + (try thresholdValues())
    if scenario.metrics != nil {
      throw InputError(
        source: self.scenario ?? "scenario file", field: "metrics",
        message:
          "the scenario's metrics: file is for a single subject's run; a population's exposure table is --exposure FILE"
      )
    }
    // The model with its variability, plus --variability and the scenario's additions.
    var definition = scenario.model
    for (parameter, omega) in spec.variability + (try population.variabilityValues()) {
      definition.variability.set(
        RandomEffect(
          parameter: parameter, source: "added on the command line or in the scenario (ω \(omega))"),
        variance: omega * omega)
    }
    let compiled: CompiledModel
    do { compiled = try CompiledModel(definition) } catch {
      throw InputError(source: "command line", field: "--variability", message: error.description)
    }
    let seed = population.seed ?? spec.seed
    let subjects: PopulationRunner.Subjects
    var covariateText = spec.covariates.map { "\($0.name): \($0.distribution.summary)" }
    if let file = population.subjectsFile {
      subjects = .table(try SubjectTableReader.read(path: file))
      covariateText = ["from \(file)"]
    } else {
      guard let n = population.subjects ?? spec.subjects else {
        throw InputError(
          source: "command line", field: "--subjects",
          message: "a population run needs the number of subjects (--subjects N or population: subjects: N)")
      }
      subjects = .generated(count: n)
    }
    let sampler = try SubjectSampler(
      seed: seed, base: scenario.subject, distributions: spec.covariates.map { ($0.name, $0.distribution) },
      variability: definition.variability, model: definition.name)
    let shard = try population.shardValue()
    let settings: SummarySettings? =
      population.summary
      ? SummarySettings(
        percentiles: try population.percentileValues(), exactLimit: population.exactLimit,
        thresholds: try population.thresholdValues()) : nil
    let writer = PopulationCSVWriter(format: format, includeAmounts: amounts, digits: digits)
    let runner = PopulationRunner(
      compiled: compiled, sampler: sampler, subjects: subjects, doses: scenario.doses, grid: scenario.grid,
      solver: solver, shard: shard)
    if subjects.count > 0 {
      var first = scenario
      first.subject = try runner.subject(at: 0).subject
      first.population = nil
      try ScenarioFileReader.check(first, file: population.subjectsFile ?? "command line")
    }
    let sharded = shard.count > 1 || population.shard != nil
    let outputs = PopulationRunner.Outputs(
      curves: settings == nil ? writer : nil, exposure: population.exposure == nil ? nil : writer,
      summary: settings, sketchAlways: sharded, observations: population.observations)
    if population.observations && runner.observedOutputs.isEmpty {
      throw InputError(
        source: "command line", field: "--observations",
        message:
          "\(definition.name) gives no residual error (a residual_error section), so there is nothing to draw observations from"
      )
    }
    let mainSink = try OutputSink(path: output)
    let exposureSink = try population.exposure.map { p throws(InputError) in try OutputSink(path: p) }
    let stateNames = definition.compartments.map(\.name) + [CompartmentModel.eliminatedName]
    let stateUnits = definition.compartments.map(\.unit) + ["mg"]
    let effectNames = definition.effectColumnNames
    if settings == nil {
      try mainSink.write(
        writer.curveHeader(
          outputs: definition.outputs, effects: effectNames, stateNames: stateNames, stateUnits: stateUnits,
          grid: scenario.grid,
          observed: population.observations ? runner.observedOutputs : []))
    }
    try exposureSink?.write(writer.exposureHeader(outputs: definition.outputs, grid: scenario.grid))
    let report = try runner.run(
      outputs: outputs, curveSink: settings == nil ? mainSink : nil, exposureSink: exposureSink,
      threads: threads ?? ProcessInfo.processInfo.activeProcessorCount)
    if let summary = report.summary, summary.count == 0 {
      for f in report.failures { FileHandle.standardError.write(Data("ketasim: error: \(f)\n".utf8)) }
      throw RunFailure(
        description:
          "every one of the \(report.subjectCount) subjects failed (listed above), so there is no summary; nothing was written"
      )
    }
    var summaryInfo: RunMetadata.SummaryInfo? = nil
    if let settings, let summary = report.summary {
      summaryInfo = RunMetadata.SummaryInfo(
        percentiles: settings.percentiles, thresholdsNgPerMl: settings.thresholds,
        percentileMethod: summary.isSketch
          ? "DDSketch (Masson, Rim & Lee 2019): each percentile within the relative error bound of a value of the population at that rank"
          : "exact: type 7 (linear interpolation between order statistics, as R and numpy)",
        relativeErrorBound: summary.isSketch ? settings.relativeAccuracy : nil,
        exactLimit: settings.exactLimit)
      if sharded {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let data = try encoder.encode(ShardSummary(times: scenario.grid.times, summary: summary))
        try mainSink.write(bytes: Array(data))
      } else {
        try mainSink.write(
          bytes: writer.summary(
            columns: definition.outputs.map(\.columnName), effects: effectNames, settings: settings,
            timeUnit: scenario.grid.unit.symbol,
            times: scenario.grid.times, rows: report.summaryRows!))
      }
    }
    if picture.plot != nil {
      guard let settings, let rows = report.summaryRows, !sharded else {
        throw InputError(
          source: "command line", field: "--plot",
          message:
            "a population is drawn from its summary: add --summary (and leave out --shard; plot the merged file with Scripts/plot.py)"
        )
      }
      var plot = picture.frame(
        title: "\(definition.name): \(report.subjectCount) subjects", grid: scenario.grid,
        doses: scenario.doses)
      let perOutput = 1 + settings.percentiles.count + settings.thresholds.count
      for o in drawn {
        let output = definition.outputs[o]
        func column(_ j: Int) -> [Double] { rows.map { $0[o * perOutput + j] } }
        // Bands between symmetric percentiles, outermost first; the middle one (if any) a line.
        var ranks = Array(settings.percentiles.enumerated()).sorted { $0.element < $1.element }
        while ranks.count >= 2 {
          let (low, high) = (ranks.removeFirst(), ranks.removeLast())
          plot.bands.append(
            SVGPlot.Band(
              name: "\(output.name) p\(CSVWriter().format(low.element))–p\(CSVWriter().format(high.element))",
              lower: column(1 + low.offset), upper: column(1 + high.offset)))
        }
        if let middle = ranks.first {
          plot.series.append(
            SVGPlot.Series(
              name: "\(output.name) p\(CSVWriter().format(middle.element))", values: column(1 + middle.offset)
            ))
        }
        plot.series.append(SVGPlot.Series(name: "\(output.name) mean", values: column(0), dashed: true))
      }
      plot.thresholds = settings.thresholds.map { ($0, "\(CSVWriter().format($0)) ng/mL") }
      plot.draw(thresholds)
      warnAboutAnalytes(thresholds, model: definition)
      try picture.write(plot)
    }
    try mainSink.finish()
    try exposureSink?.finish()
    func metadata(_ kind: String, summary: RunMetadata.SummaryInfo?) -> RunMetadata {
      RunMetadata(
        kind: kind, version: KetaSim.configuration.version, commandLine: CommandLine.arguments,
        model: definition,
        seed: sampler.isRandom ? seed : nil, subjects: subjects.count, shard: shard,
        covariates: covariateText,
        doses: scenario.doses.map(RegimenParser.text), grid: scenario.grid, solver: solver, summary: summary,
        failedSubjects: report.failures.count)
    }
    if let output, !OutputSink.isDevice(output) {
      let kind = settings == nil ? "curves" : sharded ? "summary-shard" : "summary"
      try AtomicFileWriter.write(
        metadata(kind, summary: summaryInfo).json(), to: RunMetadata.sidecar(of: output))
    }
    if let path = population.exposure, !OutputSink.isDevice(path) {
      try AtomicFileWriter.write(metadata("exposure", summary: nil).json(), to: RunMetadata.sidecar(of: path))
    }
    if !report.failures.isEmpty {
      for f in report.failures { FileHandle.standardError.write(Data("ketasim: error: \(f)\n".utf8)) }
      Diagnostics.fail(
        "\(report.failures.count) of \(report.subjectCount) subjects failed (listed above); the others were written",
        code: .runtimeFailure)
    }
  }
}
