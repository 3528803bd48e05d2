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

  func validate() throws {
    if logAxis && plot == nil { throw ValidationError("--log-axis goes with --plot FILE.svg.") }
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
