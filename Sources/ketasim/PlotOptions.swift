import ArgumentParser
import Foundation
import PKCore
import PKScenario

/// `--plot FILE.svg` and its axis: a picture of the run beside the CSV.
struct PlotOptions: ParsableArguments {
  @Option(
    help: ArgumentHelp(
      "Also draw the curves as SVG: every output, dose markers, and for --summary the percentile bands.",
      valueName: "file.svg"))
  var plot: String?

  @Flag(name: .customLong("log-axis"), help: "Draw --plot with a logarithmic concentration axis.")
  var logAxis = false

  @Option(
    name: .customLong("plot-outputs"),
    help: ArgumentHelp(
      "Draw only these outputs on --plot, by name or column name (default: every output).",
      valueName: "name,name"))
  var plotOutputs: String?

  func validate() throws {
    if logAxis && plot == nil { throw ValidationError("--log-axis goes with --plot FILE.svg.") }
    if plotOutputs != nil && plot == nil {
      throw ValidationError("--plot-outputs goes with --plot FILE.svg.")
    }
  }

  /// The indices of the outputs to draw: all of `outputs`, or those --plot-outputs names (by
  /// name or column name, in the model's order).
  ///
  /// - Throws: `InputError` naming --plot-outputs for a name the model has no output for,
  ///   listing the outputs it has (an effect, in its own unit, is not a concentration output).
  func selected(_ outputs: [Output], model: ModelDefinition) throws(InputError) -> [Int] {
    guard let plotOutputs else { return Array(outputs.indices) }
    let names = plotOutputs.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
    var chosen = Set<Int>()
    for name in names {
      guard !name.isEmpty else {
        throw InputError(
          source: "command line", field: "--plot-outputs",
          message: "an empty name in '\(plotOutputs)'; expected output names separated by commas")
      }
      guard let k = outputs.firstIndex(where: { $0.name == name || $0.columnName == name }) else {
        let known = outputs.map(\.name).joined(separator: ", ")
        let isEffect =
          model.effects.contains { $0.name == name } || model.responses.contains { $0.name == name }
        throw InputError(
          source: "command line", field: "--plot-outputs",
          message: isEffect
            ? "'\(name)' is an effect of \(model.name), not a concentration output; --plot draws concentrations (ng/mL): \(known)"
            : "\(model.name) has no output '\(name)'; its outputs are: \(known)")
      }
      chosen.insert(k)
    }
    return chosen.sorted()
  }

  /// The plot's frame: title, times in the grid's unit, axis labels, dose markers.
  func frame(title: String, grid: OutputGrid, doses: [Dose]) -> SVGPlot {
    var p = SVGPlot(
      title: title, times: grid.times, timeLabel: "time (\(grid.unit.symbol))",
      valueLabel: "concentration (ng/mL)")
    p.logarithmic = logAxis
    p.doseTimes = doses.flatMap(\.startTimes).map { $0 / grid.unit.hours }
    return p
  }

  /// Writes `plot` to the --plot file.
  func write(_ plot: SVGPlot) throws {
    guard let path = self.plot else { return }
    try AtomicFileWriter.write(plot.render(), to: path)
  }
}
