import PKCore

/// Writes the result of a data-set run as CSV, one row per record in input order, like
/// NONMEM's `$TABLE`: `ID,TIME`, then on request `EVID,AMT,CMT`, then `ADDED` (1 for a row
/// added by `--every`/`--until`) when there are added rows, then each output
/// (`<name>_ng_per_ml`) and on request every compartment's amount (`<name>_mg`).
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

  /// The header line.
  public func header(outputs: [Output], stateNames: [String]) -> String {
    var names = [nameCase.apply("ID"), nameCase.apply("TIME")] + items.map { nameCase.apply($0.rawValue) }
    if markAdded { names.append(nameCase.apply("ADDED")) }
    names += outputs.map(\.columnName)
    if includeAmounts { names += stateNames.map { "\($0)_mg" } }
    return names.joined(separator: ",") + "\n"
  }

  /// The rows of one subject.
  ///
  /// - Throws: `SimulationError.nonFinite` if a value is NaN or infinite.
  public func rows(records: [DataRecord], result: SimulationResult) throws(SimulationError) -> String {
    var out = ""
    out.reserveCapacity(records.count * 40)
    let m = result.outputs.count
    for (r, record) in records.enumerated() {
      out += numbers.format(record.id)
      out += ","
      out += numbers.format(timeUnit == .hour ? record.time : record.time / timeUnit.hours)
      for item in items {
        out += ","
        switch item {
        case .evid: out += String(record.evid)
        case .amt: out += numbers.format(record.amount)
        case .cmt: out += String(record.compartment)
        }
      }
      if markAdded { out += record.isAdded ? ",1" : ",0" }
      for j in 0..<m {
        let c = result.concentrations[r * m + j]
        guard c.isFinite else { throw .nonFinite(time: record.time) }
        out += ","
        out += numbers.format(c)
      }
      if includeAmounts {
        for i in 0..<result.stateCount {
          out += ","
          out += numbers.format(result.amount(i, at: r))
        }
      }
      out += "\n"
    }
    return out
  }
}
