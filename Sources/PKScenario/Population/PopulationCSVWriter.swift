import PKCore

/// The CSV of a population run: per-subject curves with an `id` column, the per-subject
/// exposure table, and the summary (mean, percentiles, fractions above thresholds per time).
///
/// ```text
/// id,time_min,ketamine_ng_per_ml,<effect>,…          (curves, wide)
/// id,time,variable,value,unit                        (curves, long)
/// id,ketamine_cmax_ng_per_ml,ketamine_tmax_min,ketamine_auc_ng_h_per_ml
/// time_min,ketamine_ng_per_ml_mean,ketamine_ng_per_ml_p5,…,ketamine_ng_per_ml_above_750,<effect>_mean,<effect>_p5,…
/// ```
/// A model's effects (concentration–effect models, then indirect responses) follow the outputs
/// as in a single run's CSV: columns `<name>` of the curves (rows `<name>` with the effect's
/// unit in long format) and, in the summary, `<name>_mean` and the percentiles (no thresholds,
/// which are concentrations).
/// Numbers as `CSVWriter` writes them (shortest exact form, or `digits` significant digits).
public struct PopulationCSVWriter: Sendable {
  public var format: CSVFormat
  public var includeAmounts: Bool
  public var digits: Int?

  /// The time column's text for one grid, made once by `prepared(for:)` (nil: formatted per row).
  private var _times: _TimeTexts?

  public init(format: CSVFormat = .wide, includeAmounts: Bool = false, digits: Int? = nil) {
    self.format = format
    self.includeAmounts = includeAmounts
    self.digits = digits
  }

  /// This writer with the time column of `grid` formatted once, for the many subjects that share
  /// it (the same bytes as formatting each row's time). Other grids are still formatted per row.
  public func prepared(for grid: OutputGrid) -> PopulationCSVWriter {
    var copy = self
    copy._times = _TimeTexts(times: grid.times, digits: digits)
    return copy
  }

  /// The header of the per-subject curves; `effects` are the names of the effect curves
  /// (`SimulationResult.effects`), in order.
  public func curveHeader(
    outputs: [Output], effects: [String] = [], stateNames: [String], stateUnits: [String], grid: OutputGrid,
    observed: [Int] = []
  ) -> String {
    switch format {
    case .wide:
      var names = ["id", "time_\(grid.unit.symbol)"] + outputs.map(\.columnName) + effects
      names += observed.map { "\(outputs[$0].name)_obs_ng_per_ml" }
      if includeAmounts { names += zip(stateNames, stateUnits).map { "\($0)_\($1)" } }
      return names.joined(separator: ",") + "\n"
    case .long:
      return "id,time,variable,value,unit\n"
    }
  }

  /// Appends one subject's curve rows: the outputs, the effect curves (`result.effects`), its
  /// simulated observations when given (for each time point one value per output in
  /// `observations.outputs`, indices) and on request the amounts.
  public func appendCurve(
    id: Int, result: SimulationResult, grid: OutputGrid,
    observations: (outputs: [Int], values: [Double])? = nil, to out: inout [UInt8]
  ) {
    let perTime = observations?.outputs.count ?? 0
    let observedNames = observations?.outputs.map { "\(result.outputs[$0].name)_obs" } ?? []
    let comma = UInt8(ascii: ",")
    let newline = UInt8(ascii: "\n")
    let states = includeAmounts ? result.stateCount : 0
    let number = _CSVNumber.capacity(digits: digits)
    // Each row is put together in one buffer that starts with `id,` and then appended at once.
    var idBytes: [UInt8] = []
    _CSVNumber.append(Int64(id), to: &idBytes)
    idBytes.append(comma)
    switch format {
    case .wide:
      let effects = result.effects
      let columns = 1 + result.outputs.count + effects.count + perTime + states
      // The rows are written into one scratch block with room for the longest possible rows,
      // then appended to `out` at once: one copy, no call per row.
      let rowCapacity = idBytes.count + columns * (number + 1)
      let room = grid.times.count * rowCapacity
      let digits = self.digits
      // `id,` and the times, when short, go in as two 8-byte words (room is left for them).
      let times = _times.flatMap { $0.times == grid.times ? $0 : nil }
      var prefixWords: (UInt64, UInt64) = (0, 0)
      let wordPrefix = idBytes.count <= 16
      if wordPrefix {
        withUnsafeMutableBytes(of: &prefixWords) { words in
          for (i, b) in idBytes.enumerated() { words[i] = b }
        }
      }
      withUnsafeTemporaryAllocation(of: UInt8.self, capacity: room + 16) { buffer in
        let used = idBytes.withUnsafeBufferPointer { (prefix: UnsafeBufferPointer<UInt8>) -> Int in
          let first = buffer.baseAddress!
          var row = first
          for k in 0..<grid.times.count {
            var n = prefix.count
            if wordPrefix {
              let raw = UnsafeMutableRawPointer(row)
              raw.storeBytes(of: prefixWords.0, as: UInt64.self)
              raw.storeBytes(of: prefixWords.1, toByteOffset: 8, as: UInt64.self)
            } else {
              row.update(from: prefix.baseAddress!, count: prefix.count)
            }
            if let times {
              n += times.write(k, to: row + n)
            } else {
              n += _CSVNumber.write(grid.times[k], digits: digits, to: row + n)
            }
            for j in 0..<result.outputs.count {
              row[n] = comma
              n += 1
              n += _CSVNumber.write(result.concentration(j, at: k), digits: digits, to: row + n)
            }
            for e in effects {
              row[n] = comma
              n += 1
              n += _CSVNumber.write(e.values[k], digits: digits, to: row + n)
            }
            for j in 0..<perTime {
              row[n] = comma
              n += 1
              n += _CSVNumber.write(observations!.values[k * perTime + j], digits: digits, to: row + n)
            }
            for i in 0..<states {
              row[n] = comma
              n += 1
              n += _CSVNumber.write(result.amount(i, at: k), digits: digits, to: row + n)
            }
            row[n] = newline
            row += n + 1
          }
          return row - first
        }
        out.append(contentsOf: UnsafeBufferPointer(start: buffer.baseAddress!, count: used))
      }
    case .long:
      // The variables in row order, with their `,name,` and `,unit\n` fields as bytes once.
      typealias Variable = (name: [UInt8], value: (Int) -> Double, unit: [UInt8])
      func variable(_ name: String, _ unit: String, _ value: @escaping (Int) -> Double) -> Variable {
        (Array(",\(name),".utf8), value, Array(",\(unit)\n".utf8))
      }
      let long: [Variable] =
        result.outputs.indices.map { j in
          variable(result.outputs[j].name, Output.unit) { result.concentration(j, at: $0) }
        }
        + result.effects.map { e in variable(e.name, e.unit) { e.values[$0] } }
        + (0..<perTime).map { j in
          variable(observedNames[j], Output.unit) { observations!.values[$0 * perTime + j] }
        }
        + (0..<states).map { i in
          variable(result.stateNames[i], result.stateUnits[i]) { result.amount(i, at: $0) }
        }
      let fields = long.map { $0.name.count + $0.unit.count }.max() ?? 0
      _withRowBuffer(prefix: idBytes, capacity: idBytes.count + 2 * number + fields) { row in
        let digits = self.digits
        for k in 0..<grid.times.count {
          // `id,time` stays at the front of the buffer for every variable of this time.
          let start = idBytes.count + _CSVNumber.write(grid.times[k], digits: digits, to: row + idBytes.count)
          for v in long {
            var n = start
            n += Self._copy(v.name, to: row + n)
            n += _CSVNumber.write(v.value(k), digits: digits, to: row + n)
            n += Self._copy(v.unit, to: row + n)
            out.append(contentsOf: UnsafeBufferPointer(start: row, count: n))
          }
        }
      }
    }
  }

  /// Calls `body` with a buffer of `capacity` bytes that begins with `prefix`.
  private func _withRowBuffer(
    prefix: [UInt8], capacity: Int, _ body: (UnsafeMutablePointer<UInt8>) -> Void
  ) {
    withUnsafeTemporaryAllocation(of: UInt8.self, capacity: capacity) { buffer in
      _ = Self._copy(prefix, to: buffer.baseAddress!)
      body(buffer.baseAddress!)
    }
  }

  /// Copies `bytes` to `p` and returns their count.
  private static func _copy(_ bytes: [UInt8], to p: UnsafeMutablePointer<UInt8>) -> Int {
    bytes.withUnsafeBufferPointer { source in
      if let base = source.baseAddress { p.update(from: base, count: source.count) }
      return source.count
    }
  }

  /// The header of the exposure table.
  public func exposureHeader(outputs: [Output], grid: OutputGrid) -> String {
    var names = ["id"]
    for o in outputs {
      names += [
        "\(o.name)_cmax_ng_per_ml", "\(o.name)_tmax_\(grid.unit.symbol)", "\(o.name)_auc_ng_h_per_ml",
      ]
    }
    return names.joined(separator: ",") + "\n"
  }

  /// Appends one subject's exposure row: per output Cmax and Tmax on the grid (the first time
  /// of the maximum) and the AUC from the first to the last grid time by the linear
  /// trapezoid rule, in ng·h/mL.
  public func appendExposure(id: Int, result: SimulationResult, grid: OutputGrid, to out: inout [UInt8]) {
    _CSVNumber.append(Int64(id), to: &out)
    let hours = grid.hours
    for j in 0..<result.outputs.count {
      var cmax = -Double.infinity
      var tmax = 0
      var auc = 0.0
      for k in 0..<grid.times.count {
        let c = result.concentration(j, at: k)
        if c > cmax {
          cmax = c
          tmax = k
        }
        if k > 0 { auc += 0.5 * (hours[k] - hours[k - 1]) * (c + result.concentration(j, at: k - 1)) }
      }
      for x in [cmax, grid.times[tmax], auc] {
        out.append(UInt8(ascii: ","))
        _CSVNumber.append(x, digits: digits, to: &out)
      }
    }
    out.append(UInt8(ascii: "\n"))
  }

  /// The summary CSV: the header, for output columns such as `ketamine_ng_per_ml` and effects
  /// such as `response_percent`, then one row per time (the time, then per output the mean, the
  /// percentiles and the fractions above each threshold, then per effect the mean and the
  /// percentiles, as `PopulationSummary.row` gives them).
  public func summary(
    columns: [String], effects: [String] = [], settings: SummarySettings, timeUnit: String, times: [Double],
    rows: [[Double]]
  ) -> [UInt8] {
    var names = ["time_\(timeUnit)"]
    for c in columns {
      names.append("\(c)_mean")
      names += settings.percentiles.map { "\(c)_\(SummarySettings.suffix($0))" }
      names += settings.thresholds.map { "\(c)_\(SummarySettings.thresholdSuffix($0))" }
    }
    for e in effects {
      names.append("\(e)_mean")
      names += settings.percentiles.map { "\(e)_\(SummarySettings.suffix($0))" }
    }
    var out = Array((names.joined(separator: ",") + "\n").utf8)
    for (time, values) in zip(times, rows) {
      _CSVNumber.append(time, digits: digits, to: &out)
      for v in values {
        out.append(UInt8(ascii: ","))
        _CSVNumber.append(v, digits: digits, to: &out)
      }
      out.append(UInt8(ascii: "\n"))
    }
    return out
  }
}

/// The text of each time of a grid, made once: up to 16 bytes each, kept in two words so that a
/// row takes it with two stores (longer texts are formatted per row).
struct _TimeTexts: Sendable {
  let times: [Double]
  private let words: [(UInt64, UInt64)]
  private let lengths: [Int]

  init?(times: [Double], digits: Int?) {
    var words: [(UInt64, UInt64)] = []
    var lengths: [Int] = []
    words.reserveCapacity(times.count)
    lengths.reserveCapacity(times.count)
    let capacity = _CSVNumber.capacity(digits: digits)
    for t in times {
      var pair: (UInt64, UInt64) = (0, 0)
      let count = withUnsafeTemporaryAllocation(of: UInt8.self, capacity: capacity) { buffer -> Int in
        let count = _CSVNumber.write(t, digits: digits, to: buffer.baseAddress!)
        if count <= 16 {
          withUnsafeMutableBytes(of: &pair) {
            $0.copyMemory(from: UnsafeRawBufferPointer(UnsafeBufferPointer(rebasing: buffer[..<count])))
          }
        }
        return count
      }
      guard count <= 16 else { return nil }
      words.append(pair)
      lengths.append(count)
    }
    self.times = times
    self.words = words
    self.lengths = lengths
  }

  /// Writes the text of time k at p (16 bytes of room) and returns its length.
  @inline(__always)
  func write(_ k: Int, to p: UnsafeMutablePointer<UInt8>) -> Int {
    let raw = UnsafeMutableRawPointer(p)
    raw.storeBytes(of: words[k].0, as: UInt64.self)
    raw.storeBytes(of: words[k].1, toByteOffset: 8, as: UInt64.self)
    return lengths[k]
  }
}
