import PKCore

extension DataSetRunner {
  /// The model's effect curves (`CompiledModel.effectCurves`) for one subject's result rows,
  /// each row computed with the parameter values that govern it, as its concentration is.
  ///
  /// ```
  /// record row r:            the values of record r's covariates
  /// added row before r:      record r's (NOCB) or record r − 1's (LOCF); after the last: the last's
  /// ```
  /// Parameters come from `CompiledModel.recordParameters`, the table the engine builds (one
  /// row per record whose covariates differ from the record before); each row then costs one
  /// formula per effect. A direct effect E = f(C) then equals `Simulator.run`'s for the same parameters; an
  /// indirect response is R0 + the integrated state R − R0.
  ///
  /// - Throws: `InputError` naming the data set and the line of the record whose parameters
  ///   failed (an EC50 or a Hill coefficient not above 0, a parameter that cannot be evaluated),
  ///   or that governs the row where an effect is not finite.
  func _effects(records: [DataRecord], covariates: [CovariateSource], result: SimulationResult)
    throws(InputError) -> [SimulationResult.EffectCurve]
  {
    let recordCount = max(records.count, 1)
    // Record r's parameters: values[valueRow[r]·slots ..< (valueRow[r] + 1)·slots], as the
    // engine evaluated them for this run.
    let values: [Double]
    let valueRow: [Int]
    do { (values, valueRow) = try model.recordParameters(records: records, covariates: covariates) } catch {
      throw InputError(
        source: file, line: error.line > 0 ? error.line : nil, field: error.field, message: error.message)
    }
    // The record whose covariates govern each row, from the end (an added row looks ahead).
    let rows = result.times.count
    let last = recordCount - 1
    var governing = [Int](repeating: last, count: rows)
    var next = records.count
    for row in stride(from: rows - 1, through: 0, by: -1) {
      let r = result.recordIndices.isEmpty ? row : result.recordIndices[row]
      if r >= 0 {
        governing[row] = r
        next = r
      } else if next < records.count {
        governing[row] = convention == .nocb ? next : max(next - 1, 0)
      }
    }
    return try model.effectCurves(result, values: values, rows: governing.map { valueRow[$0] }) {
      row, error in
      InputError(
        source: file, line: records.isEmpty ? nil : records[governing[row]].line, message: error.description)
    }
  }
}
