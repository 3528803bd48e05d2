import PKCore

extension DataSetRunner {
  /// The model's effect curves (`CompiledModel.effectCurves`) for one subject's result rows,
  /// each row computed with the parameter values that govern it, as its concentration is.
  ///
  /// ```
  /// record row r:            the values of record r's covariates
  /// added row before r:      record r's (NOCB) or record r − 1's (LOCF); after the last: the last's
  /// ```
  /// Parameters are evaluated once per record whose covariates differ from the record before
  /// (as `RecordSimulator` does), into one flat table; each row then costs one formula per
  /// effect. A direct effect E = f(C) then equals `Simulator.run`'s for the same parameters; an
  /// indirect response is R0 + the integrated state R − R0.
  ///
  /// - Throws: `InputError` naming the data set and the line of the record whose parameters
  ///   failed (an EC50 or a Hill coefficient not above 0, a parameter that cannot be evaluated),
  ///   or that governs the row where an effect is not finite.
  func _effects(records: [DataRecord], covariates: [CovariateSource], result: SimulationResult)
    throws(InputError) -> [SimulationResult.EffectCurve]
  {
    let slots = model.slotCount
    let recordCount = max(records.count, 1)
    // Record r's parameters: values[valueRow[r]·slots ..< (valueRow[r] + 1)·slots], evaluated
    // in `scratch` from the covariates in `current` (the rest NaN, as the engine does).
    var values: [Double] = []
    var valueRow = [Int](repeating: 0, count: recordCount)
    var current = [Double](repeating: .nan, count: slots)
    var scratch = current
    for r in 0..<recordCount {
      var changed = r == 0
      for (i, source) in covariates.enumerated() {
        let x: Double
        switch source {
        case .column(let j): x = records.isEmpty ? .nan : records[r].covariates[j]
        case .constant(let c): x = c
        }
        if !(x == current[i]) {
          current[i] = x
          changed = true
        }
      }
      if !changed {
        valueRow[r] = valueRow[r - 1]
        continue
      }
      for i in 0..<slots { scratch[i] = current[i] }
      do { try model.evaluate(&scratch) } catch {
        throw InputError(
          source: file, line: records.isEmpty ? nil : records[r].line, field: error.definition,
          message: error.description)
      }
      valueRow[r] = values.count / slots
      values.append(contentsOf: scratch)
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
