/// The parameter values that govern each record of a subject.
extension CompiledModel {
  /// Each record's parameter values, evaluated for the first record and again only at a record
  /// whose covariates differ from the record before it.
  ///
  /// ```
  /// row[r] = row[r − 1]                 when record r's covariates equal record r − 1's
  /// values[row[r]·slotCount ..< (row[r] + 1)·slotCount]    the slots evaluated from them
  /// ```
  /// Inputs that no covariate source gives stay NaN (they are filled per use, as ETA(P)).
  /// Without records the constant covariates give one row, and `row` has one entry. The engine
  /// (`RecordSimulator`) builds its systems from these rows, and a data-set run computes each
  /// row's effects from them, so both see the same parameters.
  ///
  /// - Returns: the table and `row` (one entry per record, at least one).
  /// - Throws: `RecordError` with the record's line and the parameter, when a parameter of a
  ///   record cannot be evaluated.
  public func recordParameters(records: [DataRecord], covariates: [CovariateSource]) throws(RecordError)
    -> (values: [Double], row: [Int])
  {
    precondition(covariates.count == covariateNames.count, "One source per covariate.")
    let slots = slotCount
    let count = Swift.max(records.count, 1)
    var values: [Double] = []
    var row = [Int](repeating: 0, count: count)
    var inputs = [Double](repeating: .nan, count: slots)
    for r in 0..<count {
      var changed = r == 0
      for (i, source) in covariates.enumerated() {
        let v: Double
        switch source {
        case .column(let j): v = records.isEmpty ? .nan : records[r].covariates[j]
        case .constant(let c): v = c
        }
        if !(v == inputs[i]) {
          inputs[i] = v
          changed = true
        }
      }
      if !changed {
        row[r] = row[r - 1]
        continue
      }
      var v = inputs
      do { try evaluate(&v) } catch {
        throw RecordError(
          line: records.isEmpty ? 0 : records[r].line, field: error.definition, message: error.description)
      }
      row[r] = values.count / slots
      values.append(contentsOf: v)
    }
    return (values, row)
  }
}
