import PKCore

/// Writes the result of a data-set run as CSV, one row per record in input order, like
/// NONMEM's `$TABLE`: `ID,TIME`, then on request `EVID,AMT,CMT`, then `ADDED` (1 for a row
/// added by `--every`/`--until`) when there are added rows, then each output
/// (`<name>_ng_per_ml`), each concentration–effect model and indirect response of the model
/// (`<name>`, as in a single run's CSV) and on request every compartment's amount (`<name>_mg`).
///
/// TIME is in the data set's time unit; reserved names follow the data set's case.
public struct DataSetCSVWriter: Sendable {
  /// The data items added after TIME.
  public enum Item: String, Sendable, CaseIterable {
    case evid = "EVID"
    case amt = "AMT"
    case cmt = "CMT"
  }

  /// Items written after TIME.
  public var items: [Item]
  /// Whether to write the `ADDED` column.
  public var markAdded: Bool
  /// Whether to add the amounts.
  public var includeAmounts: Bool
  /// The unit TIME is written in.
  public var timeUnit: TimeUnit
  /// The case of reserved names.
  public var nameCase: DataSet.NameCase
  /// The number formatter (shortest round trip, or rounded).
  public var numbers: CSVWriter

  public init(
    items: [Item] = [], markAdded: Bool = false, includeAmounts: Bool = false, timeUnit: TimeUnit = .hour,
    nameCase: DataSet.NameCase = .upper, digits: Int? = nil
  ) {
    self.items = items
    self.markAdded = markAdded
    self.includeAmounts = includeAmounts
    self.timeUnit = timeUnit
    self.nameCase = nameCase
    self.numbers = CSVWriter(digits: digits)
  }

  /// The header line for a run of `model`: its outputs, effects and states.
  public func header(for model: ModelDefinition) -> String {
    header(
      outputs: model.outputs, effects: model.effectColumnNames,
      stateNames: model.compartments.map(\.name) + [CompartmentModel.eliminatedName],
      stateUnits: model.compartments.map(\.unit) + ["mg"])
  }

  /// The header line; `effects` are the names of the effect curves (`SimulationResult.effects`),
  /// in order.
  public func header(
    outputs: [Output], effects: [String] = [], stateNames: [String], stateUnits: [String]? = nil
  ) -> String {
    var names = [nameCase.apply("ID"), nameCase.apply("TIME")] + items.map { nameCase.apply($0.rawValue) }
    if markAdded { names.append(nameCase.apply("ADDED")) }
    names += outputs.map(\.columnName)
    names += effects
    if includeAmounts {
      let units = stateUnits ?? [String](repeating: "mg", count: stateNames.count)
      names += zip(stateNames, units).map { "\($0)_\($1)" }
    }
    return names.joined(separator: ",") + "\n"
  }

  /// The rows of one subject (`records` and the result of running them, added rows included,
  /// with its effect curves), appended to `out` as UTF-8.
  ///
  /// - Throws: `SimulationError.nonFinite` if a concentration or an effect is NaN or infinite.
  public func appendRows(
    records: [DataRecord], result: SimulationResult, to out: inout [UInt8]
  ) throws(SimulationError) {
    let digits = numbers.digits
    let m = result.outputs.count
    let width = result.stateCount
    let comma = UInt8(ascii: ",")
    let toUnit = timeUnit == .hour ? nil : timeUnit.hours
    out.reserveCapacity(
      out.count + records.count * (24 + 20 * (m + result.effects.count) + (includeAmounts ? 20 * width : 0)))
    let id = records.first?.id ?? 0
    for r in result.times.indices {
      let index = result.recordIndices.isEmpty ? r : result.recordIndices[r]
      _CSVNumber.append(id, digits: nil, to: &out)
      out.append(comma)
      let t = result.times[r]
      _CSVNumber.append(toUnit.map { t / $0 } ?? t, digits: digits, to: &out)
      for item in items {
        out.append(comma)
        switch item {
        case .evid: _CSVNumber.append(Int64(index < 0 ? 0 : records[index].evid), to: &out)
        case .amt: _CSVNumber.append(index < 0 ? 0 : records[index].amount, digits: digits, to: &out)
        case .cmt: _CSVNumber.append(Int64(index < 0 ? 0 : records[index].compartment), to: &out)
        }
      }
      if markAdded {
        out.append(comma)
        out.append(index < 0 ? UInt8(ascii: "1") : UInt8(ascii: "0"))
      }
      for j in 0..<m {
        let c = result.concentrations[r * m + j]
        guard c.isFinite else { throw .nonFinite(time: t) }
        out.append(comma)
        _CSVNumber.append(c, digits: digits, to: &out)
      }
      for e in result.effects {
        let v = e.values[r]
        guard v.isFinite else { throw .nonFinite(time: t) }
        out.append(comma)
        _CSVNumber.append(v, digits: digits, to: &out)
      }
      if includeAmounts {
        for i in 0..<width {
          out.append(comma)
          _CSVNumber.append(result.amounts[r * width + i], digits: digits, to: &out)
        }
      }
      out.append(UInt8(ascii: "\n"))
    }
  }
}
