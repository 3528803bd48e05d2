import Foundation
import PKCore

/// Writes a simulation result as CSV that gnuplot, R, pandas or a spreadsheet read directly.
///
/// Wide (default): `time_<unit>,<analyte>_ng_per_ml,…[,<compartment>_mg,…,eliminated_mg]`.
/// Long: `time,variable,value,unit`, time in the grid's unit.
/// Numbers are written in the shortest form that reads back as the same double, or rounded to
/// `digits` significant digits. NaN and infinity are never written: such a result is an error.
public struct CSVWriter: Sendable {
  /// Wide or long.
  public var format: CSVFormat
  /// Whether to add every compartment's amount (mg), and the amount eliminated.
  public var includeAmounts: Bool
  /// Significant digits, or nil for the shortest round-trip form.
  public var digits: Int?

  public init(format: CSVFormat = .wide, includeAmounts: Bool = false, digits: Int? = nil) {
    precondition(digits.map { (1...17).contains($0) } ?? true, "digits must be 1 to 17.")
    self.format = format
    self.includeAmounts = includeAmounts
    self.digits = digits
  }

  /// The CSV text for `result`, whose times are `grid.times` (in `grid.unit`).
  ///
  /// - Throws: `SimulationError.nonFinite` if any value is NaN or infinite.
  public func render(_ result: SimulationResult, grid: OutputGrid) throws(SimulationError) -> String {
    precondition(result.times.count == grid.times.count, "The grid and the result must match.")
    for (k, c) in result.concentrations.enumerated() where !c.isFinite {
      throw .nonFinite(time: result.times[k / max(1, result.outputs.count)])
    }
    let states = includeAmounts ? Array(0..<result.stateCount) : []
    var out = ""
    out.reserveCapacity(grid.times.count * 24 * (1 + result.outputs.count + states.count))
    switch format {
    case .wide:
      var header =
        ["time_\(grid.unit.symbol)"] + result.outputs.map(\.columnName) + result.effects.map(\.name)
      header += states.map { "\(result.stateNames[$0])_\(result.stateUnits[$0])" }
      out += header.joined(separator: ",") + "\n"
      for k in 0..<grid.times.count {
        out += format(grid.times[k])
        for j in 0..<result.outputs.count {
          out += ","
          out += format(result.concentration(j, at: k))
        }
        for e in result.effects {
          out += ","
          out += format(e.values[k])
        }
        for i in states {
          out += ","
          out += format(result.amount(i, at: k))
        }
        out += "\n"
      }
    case .long:
      out += "time,variable,value,unit\n"
      for k in 0..<grid.times.count {
        let t = format(grid.times[k])
        for j in 0..<result.outputs.count {
          out += "\(t),\(result.outputs[j].name),\(format(result.concentration(j, at: k))),\(Output.unit)\n"
        }
        for e in result.effects { out += "\(t),\(e.name),\(format(e.values[k])),\(e.unit)\n" }
        for i in states {
          out += "\(t),\(result.stateNames[i]),\(format(result.amount(i, at: k))),\(result.stateUnits[i])\n"
        }
      }
    }
    return out
  }

  /// One number: shortest round-trip form (whole numbers without ".0"), or `digits`
  /// significant digits; negative zero is written as 0.
  public func format(_ x: Double) -> String {
    if x == 0 { return "0" }
    if let digits { return String(format: "%.\(digits)g", x) }
    if x == x.rounded(), abs(x) < 1e15 { return String(Int64(x)) }
    return x.description
  }
}
