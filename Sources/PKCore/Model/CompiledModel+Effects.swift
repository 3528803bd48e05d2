/// Concentration–effect models evaluated on a simulated result.
extension CompiledModel {
  /// The curve of every `ConcentrationEffect` of the model, then of every `IndirectResponse`,
  /// for one subject's parameter values.
  ///
  /// - Throws: `ModelError.invalidModel` naming the parameter when EC50 is not above 0 or the
  ///   Hill coefficient is not above 0, and naming the effect and the time when a value is not
  ///   finite (parameters so large that the effect overflows), so that no NaN reaches a file.
  public func effectCurves(_ result: SimulationResult, values: [Double]) throws(ModelError)
    -> [SimulationResult.EffectCurve]
  {
    let byName = Dictionary(definition.parameters.map { ($0.name, $0) }, uniquingKeysWith: { a, _ in a })
    func value(_ name: String?) -> Double {
      guard let name, let slot = graph.graph.slots[name], let p = byName[name] else { return 0 }
      return values[slot] * p.factor
    }
    var curves: [SimulationResult.EffectCurve] = []
    for e in definition.effects {
      let o = definition.outputs.firstIndex { $0.name == e.output }!
      let ec50 = value(e.ec50) * 1000  // mg/L → ng/mL
      let gamma = value(e.gamma)
      if e.form.usesEC50 {
        guard ec50 > 0 && ec50.isFinite else {
          throw .invalidModel(
            "the EC50 '\(e.ec50!)' of the effect '\(e.name)' is \(ec50) ng/mL; expected a concentration above 0"
          )
        }
      }
      if e.form.usesGamma {
        guard gamma > 0 && gamma.isFinite else {
          throw .invalidModel(
            "the Hill coefficient '\(e.gamma!)' of the effect '\(e.name)' is \(gamma); expected a number above 0"
          )
        }
      }
      let (e0, emax, slope) = (value(e.e0), value(e.emax), value(e.slope))
      let curve = result.curve(o).map {
        ConcentrationEffect.value(e.form, c: $0, e0: e0, emax: emax, ec50: ec50, gamma: gamma, slope: slope)
      }
      try _checkFinite(curve, effect: e.name, times: result.times)
      curves.append(SimulationResult.EffectCurve(name: e.name, unit: e.unit, values: curve))
    }
    // Indirect responses: R = R0 + the integrated change D held by the response's state.
    for (i, c) in definition.compartments.enumerated() {
      guard let r = c.response else { continue }
      let r0 = value(r.baseline)
      let curve = (0..<result.times.count).map { r0 + result.amount(i, at: $0) }
      try _checkFinite(curve, effect: r.name, times: result.times)
      curves.append(SimulationResult.EffectCurve(name: r.name, unit: r.unit, values: curve))
    }
    return curves
  }

  private func _checkFinite(_ curve: [Double], effect: String, times: [Double]) throws(ModelError) {
    guard let k = curve.firstIndex(where: { !$0.isFinite }) else { return }
    throw .invalidModel(
      "the effect '\(effect)' is \(curve[k]) at \(times[k]) h; expected a finite number (check its E0, Emax, slope or baseline)"
    )
  }
}
