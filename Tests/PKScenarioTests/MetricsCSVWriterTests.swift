import Foundation
import PKCore
import RealModule
import Testing
import _PKTestSupport

@testable import PKScenario

/// Metric rows of thresholds and landmark bands, on curves whose times above a level are known
/// in closed form.
@Suite struct MetricsCSVWriterTests {
  /// The value of each metric row of `csv` for the first output.
  func rows(_ csv: String) -> [String: String] {
    var result: [String: String] = [:]
    for line in csv.split(separator: "\n").dropFirst() {
      let f = line.split(separator: ",", omittingEmptySubsequences: false)
      if result[String(f[1])] == nil { result[String(f[1])] = String(f[2]) }
    }
    return result
  }

  func awakening() throws -> Threshold { try RepositoryPaths.library.threshold("awakening") }

  /// A triangle, 0 → 1000 ng/mL over 1 h and back to 0 at 3 h: linear interpolation is exact,
  /// so time above c = (1 − c/1000)·3 h, and the curve falls below c at 3 − 2c/1000 h.
  /// Awakening (640–750 ng/mL): above 640 for 1.08 h, falls below it at 1.72 h; above 750 for
  /// 0.75 h, falls below it at 1.5 h.
  @Test func triangleAgainstHandComputedTimes() throws {
    let grid = try OutputGrid(times: [0, 60, 180], unit: .minute)
    let c = [0.0, 1000, 0]
    let thresholds = [try awakening(), .level(500)]
    let m = ExposureMetrics(
      times: grid.hours, concentrations: c, lastDose: 0, thresholds: thresholds.flatMap(\.concentrations))
    let csv = MetricsCSVWriter().render(
      outputs: [Output(name: "ketamine", compartment: "central")], metrics: [m], exactAUC: [nil], grid: grid,
      thresholds: thresholds)
    let r = rows(csv)
    let expected: [(String, Double)] = [
      ("time_above_awakening_low_640", 1.08 * 60), ("falls_below_awakening_low_640", 1.72 * 60),
      ("time_above_awakening_high_750", 0.75 * 60), ("falls_below_awakening_high_750", 1.5 * 60),
      ("time_above_500", 1.5 * 60), ("falls_below_500", 2 * 60),
    ]
    for (metric, minutes) in expected {
      let value = try #require(r[metric].flatMap(Double.init), "\(metric) missing from\n\(csv)")
      expectClose(value, minutes, relativeTolerance: 1e-12)
    }
    #expect(csv.contains("time above 640 ng/mL (the low edge of awakening: 640-750 ng/mL)"))
    // The rows come in threshold order, low edge before high edge.
    let names = csv.split(separator: "\n").map { $0.split(separator: ",")[1] }.filter {
      $0.hasPrefix("time_above")
    }
    #expect(names == ["time_above_awakening_low_640", "time_above_awakening_high_750", "time_above_500"])
  }

  /// A bolus, C = 10,000·e^(−0.5 t) ng/mL (t in h), every 0.6 min for 24 h: time above c =
  /// ln(10,000/c)/0.5 h, e.g. 5.4977 h above 640 ng/mL and 5.1805 h above 750 ng/mL.
  @Test func exponentialAgainstClosedForm() throws {
    let grid = try OutputGrid(until: (24, .hour), every: (0.01, .hour))
    let c = grid.hours.map { 10_000 * Double.exp(-0.5 * $0) }
    let thresholds = [try awakening()]
    let m = ExposureMetrics(
      times: grid.hours, concentrations: c, lastDose: 0, thresholds: thresholds.flatMap(\.concentrations))
    let r = rows(
      MetricsCSVWriter().render(
        outputs: [Output(name: "ketamine", compartment: "central")], metrics: [m], exactAUC: [nil],
        grid: grid, thresholds: thresholds))
    for level in [640.0, 750] {
      let edge = level == 640 ? "low_640" : "high_750"
      let hours = Double.log(10_000 / level) / 0.5
      expectClose(Double(r["time_above_awakening_\(edge)"]!)!, hours, relativeTolerance: 1e-5)
      expectClose(Double(r["falls_below_awakening_\(edge)"]!)!, hours, relativeTolerance: 1e-5)
    }
  }

  /// Without names, the rows keep their plain concentration names.
  @Test func plainLevelsKeepTheirNames() throws {
    let grid = try OutputGrid(times: [0, 60, 180], unit: .minute)
    let m = ExposureMetrics(
      times: grid.hours, concentrations: [0, 1000, 0], lastDose: 0, thresholds: [500, 2000])
    let csv = MetricsCSVWriter().render(
      outputs: [Output(name: "ketamine", compartment: "central")], metrics: [m], exactAUC: [nil], grid: grid)
    #expect(
      csv.contains("ketamine,time_above_500,90,min,time above 500 ng/mL; crossings interpolated linearly"))
    #expect(csv.contains("ketamine,falls_below_2000,NA,min,never above 2000 ng/mL"))
  }
}
