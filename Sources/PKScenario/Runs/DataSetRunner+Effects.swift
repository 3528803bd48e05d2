import PKCore

extension DataSetRunner {
  /// The model's effect curves (`CompiledModel.effectCurves`) for one subject's result rows,
  /// each row computed with the parameter values that govern it, as its concentration is.
  ///
  /// ```
  /// record row r:            the values of record r's covariates
  /// added row before r:      record r's (NOCB) or record r − 1's (LOCF); after the last: the last's
  /// ```
  /// Rows governed by the same covariates are evaluated together, so a subject whose covariates
  /// never change costs one evaluation. A direct effect E = f(C) then equals `Simulator.run`'s
  /// for the same parameters; an indirect response is R0 + the integrated state R − R0.
  ///
  /// - Throws: `InputError` naming the data set and the line of the record whose parameters
  ///   failed (an EC50 or a Hill coefficient not above 0, a parameter that cannot be evaluated).
  func _effects(records: [DataRecord], covariates: [CovariateSource], result: SimulationResult)
    throws(InputError) -> [SimulationResult.EffectCurve]
  {
    let rows = result.times.count
    let last = max(records.count - 1, 0)
    // The record whose covariates govern each row, from the end (an added row looks ahead).
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
    func inputs(_ r: Int) -> [Double] {
      covariates.map { source in
        switch source {
        case .column(let j): return records.isEmpty ? .nan : records[r].covariates[j]
        case .constant(let c): return c
        }
      }
    }
    func same(_ a: [Double], _ b: [Double]) -> Bool {
      zip(a, b).allSatisfy { $0 == $1 || ($0.isNaN && $1.isNaN) }
    }
    // Blocks of consecutive rows with the same covariates: (first row, end row, record).
    var blocks: [(start: Int, end: Int, record: Int)] = []
    var current: [Double] = []
    for row in 0..<rows {
      let x = inputs(governing[row])
      if blocks.isEmpty || !same(x, current) {
        blocks.append((row, row + 1, governing[row]))
        current = x
      } else {
        blocks[blocks.count - 1].end = row + 1
      }
    }
    var curves: [SimulationResult.EffectCurve] = []
    for block in blocks {
      let line = records.isEmpty ? nil : records[block.record].line
      var values = [Double](repeating: .nan, count: model.slotCount)
      for (i, x) in inputs(block.record).enumerated() { values[i] = x }
      do { try model.evaluate(&values) } catch {
        throw InputError(source: file, line: line, field: error.definition, message: error.description)
      }
      let part =
        blocks.count == 1 ? result : Self._rows(result, block.start..<block.end)
      let computed: [SimulationResult.EffectCurve]
      do { computed = try model.effectCurves(part, values: values) } catch {
        throw InputError(source: file, line: line, message: error.description)
      }
      if curves.isEmpty {
        curves = computed
      } else {
        for k in curves.indices { curves[k].values += computed[k].values }
      }
    }
    return curves
  }

  /// The rows `range` of `result`, as a result of their own.
  static func _rows(_ result: SimulationResult, _ range: Range<Int>) -> SimulationResult {
    let width = result.stateCount
    let m = result.outputs.count
    return SimulationResult(
      times: Array(result.times[range]), stateNames: result.stateNames, outputs: result.outputs,
      amounts: Array(result.amounts[(range.lowerBound * width)..<(range.upperBound * width)]),
      concentrations: Array(result.concentrations[(range.lowerBound * m)..<(range.upperBound * m)]),
      totalDose: result.totalDose,
      recordIndices: result.recordIndices.isEmpty ? [] : Array(result.recordIndices[range]),
      stateUnits: result.stateUnits)
  }
}
