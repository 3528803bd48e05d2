/// Concentration–effect models evaluated on a simulated result.
extension CompiledModel {
  /// The curve of every `ConcentrationEffect` of the model, then of every `IndirectResponse`,
  /// for one subject's parameter values (`slotCount` of them, every row alike).
  ///
  /// ```
  /// direct effect   E_k = f(C_k; E0, Emax, EC50, γ, slope)   (`ConcentrationEffect.value`)
  /// response        R_k = R0 + D_k                          (D the response's state, R − R0)
  /// ```
  ///
  /// - Throws: `ModelError.invalidModel` naming the parameter when EC50 is not above 0 or the
  ///   Hill coefficient is not above 0, and naming the effect and the time when a value is not
  ///   finite (parameters so large that the effect overflows), so that no NaN reaches a file.
  public func effectCurves(_ result: SimulationResult, values: [Double]) throws(ModelError)
    -> [SimulationResult.EffectCurve]
  {
    try _effectCurves(result, values: values, rows: nil) { _, error in error }
  }

  /// The curves of `effectCurves(_:values:)` for a result whose rows have parameter values of
  /// their own (a data set's records): row k is computed with parameter row `rows[k]`.
  ///
  /// ```
  /// parameters of row k = values[rows[k]·slotCount ..< (rows[k] + 1)·slotCount]
  /// ```
  /// Each parameter row is checked once, at the first result row that uses it; the per-row cost
  /// is one formula per effect.
  ///
  /// - Throws: `error(k, e)` for the first failure: the first row k whose parameters fail, else
  ///   the first effect (in model order) with a value that is not finite, at row k.
  public func effectCurves<E: Error>(
    _ result: SimulationResult, values: [Double], rows: [Int], error: (_ row: Int, ModelError) -> E
  ) throws(E) -> [SimulationResult.EffectCurve] {
    precondition(rows.count == result.times.count, "One parameter row per result row.")
    return try _effectCurves(result, values: values, rows: rows, error: error)
  }

  /// The curves, row k read from parameter row `rows?[k] ?? 0` of `values`.
  private func _effectCurves<E: Error>(
    _ result: SimulationResult, values: [Double], rows: [Int]?, error: (_ row: Int, ModelError) -> E
  ) throws(E) -> [SimulationResult.EffectCurve] {
    let n = result.times.count
    let width = slotCount
    // The offset of row k's parameters in `values`.
    func base(_ k: Int) -> Int { rows.map { $0[k] * width } ?? 0 }
    func value(_ slot: Slot?, _ base: Int) -> Double {
      guard let slot else { return 0 }
      return values[base + slot.index] * slot.factor
    }
    if !effectSlots.isEmpty {
      if let rows {
        var checked = [Bool](repeating: false, count: values.count / max(width, 1))
        for k in 0..<n where !checked[rows[k]] {
          checked[rows[k]] = true
          do { try _checkEffectParameters(values, base: rows[k] * width) } catch let e { throw error(k, e) }
        }
      } else {
        do { try _checkEffectParameters(values, base: 0) } catch let e { throw error(0, e) }
      }
    }
    var curves: [SimulationResult.EffectCurve] = []
    curves.reserveCapacity(effectSlots.count + responseSlots.count)
    for (j, e) in effectSlots.enumerated() {
      var curve = [Double](repeating: 0, count: n)
      var last = -1
      var (e0, emax, ec50, gamma, slope) = (0.0, 0.0, 0.0, 0.0, 0.0)
      for k in 0..<n {
        let b = base(k)
        if b != last {
          last = b
          (e0, emax, gamma, slope) = (value(e.e0, b), value(e.emax, b), value(e.gamma, b), value(e.slope, b))
          ec50 = value(e.ec50, b) * 1000  // mg/L → ng/mL
        }
        curve[k] = ConcentrationEffect.value(
          e.form, c: result.concentration(e.output, at: k), e0: e0, emax: emax, ec50: ec50, gamma: gamma,
          slope: slope)
      }
      let name = definition.effects[j].name
      if let k = curve.firstIndex(where: { !$0.isFinite }) {
        throw error(k, _notFinite(name, curve[k], at: result.times[k]))
      }
      curves.append(SimulationResult.EffectCurve(name: name, unit: definition.effects[j].unit, values: curve))
    }
    // Indirect responses: R = R0 + the integrated change D held by the response's state.
    for s in responseSlots {
      let r = definition.compartments[s.state].response!
      var curve = [Double](repeating: 0, count: n)
      for k in 0..<n { curve[k] = value(s.baseline, base(k)) + result.amount(s.state, at: k) }
      if let k = curve.firstIndex(where: { !$0.isFinite }) {
        throw error(k, _notFinite(r.name, curve[k], at: result.times[k]))
      }
      curves.append(SimulationResult.EffectCurve(name: r.name, unit: r.unit, values: curve))
    }
    return curves
  }

  /// Checks EC50 and the Hill coefficient of every direct effect, for the parameters at
  /// `values[base...]`.
  private func _checkEffectParameters(_ values: [Double], base: Int) throws(ModelError) {
    for (e, s) in zip(definition.effects, effectSlots) {
      if e.form.usesEC50 {
        let ec50 = (s.ec50.map { values[base + $0.index] * $0.factor } ?? 0) * 1000  // mg/L → ng/mL
        guard ec50 > 0 && ec50.isFinite else {
          throw .invalidModel(
            "the EC50 '\(e.ec50!)' of the effect '\(e.name)' is \(ec50) ng/mL; expected a concentration above 0"
          )
        }
      }
      if e.form.usesGamma {
        let gamma = s.gamma.map { values[base + $0.index] * $0.factor } ?? 0
        guard gamma > 0 && gamma.isFinite else {
          throw .invalidModel(
            "the Hill coefficient '\(e.gamma!)' of the effect '\(e.name)' is \(gamma); expected a number above 0"
          )
        }
      }
    }
  }

  private func _notFinite(_ effect: String, _ value: Double, at time: Double) -> ModelError {
    .invalidModel(
      "the effect '\(effect)' is \(value) at \(time) h; expected a finite number (check its E0, Emax, slope or baseline)"
    )
  }
}
