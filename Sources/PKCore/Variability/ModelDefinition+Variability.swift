/// Random effects in the parameter graph.
extension ModelDefinition {
  /// The η inputs of the random effects, `ETA(P)`, default 0 (the typical subject).
  var _randomEffectInputs: [Covariate] {
    variability.effects.map { e in
      Covariate(
        name: e.inputName, unit: e.distribution == .normal ? "parameter unit" : "1",
        description: "random effect η of \(e.parameter) (\(e.distribution.rawValue))", defaultValue: 0)
    }
  }

  /// The expression of `parameter` with its random effect, if it has one.
  func _expressionWithVariability(_ parameter: Parameter) -> Expression {
    guard let effect = variability.effect(on: parameter.name) else { return parameter.expression }
    return effect.applied(to: parameter.expression)
  }

  /// Checks the variability: each effect names a parameter, no parameter has two, Ω is
  /// symmetric with variances ≥ 0 and finite covariances, and a logit effect acts on a
  /// fraction.
  func _checkVariability() throws(ModelError) {
    let m = variability.effects.count
    var seen = Set<String>()
    for (k, e) in variability.effects.enumerated() {
      guard let p = parameters.first(where: { $0.name == e.parameter }) else {
        throw .invalidModel(
          "variability: '\(e.parameter)' is not a parameter of \(name); its parameters: "
            + parameters.map(\.name).joined(separator: ", "))
      }
      guard seen.insert(e.parameter).inserted else {
        throw .invalidModel("variability: '\(e.parameter)' has two random effects; give it one")
      }
      if e.distribution == .logit && p.dimension != .fraction {
        throw .invalidModel(
          "variability: a logit random effect keeps a value between 0 and 1, but '\(e.parameter)' is a \(p.dimension.words)"
        )
      }
      let v = variability.covariance(k, k)
      guard v >= 0 && v.isFinite else {
        throw .invalidModel("variability: the variance ω² of '\(e.parameter)' is \(v); expected 0 or more")
      }
      for j in 0..<m where j != k {
        let a = variability.covariance(k, j)
        let b = variability.covariance(j, k)
        guard a.isFinite && a == b else {
          throw .invalidModel(
            "variability: Ω is not symmetric: the covariance of '\(e.parameter)' and '\(variability.effects[j].parameter)' is \(a) one way and \(b) the other"
          )
        }
      }
    }
  }

  /// Checks the residual errors: each names an output, once, with finite standard deviations.
  func _checkResidualErrors() throws(ModelError) {
    var seen = Set<String>()
    for r in residualErrors {
      guard outputs.contains(where: { $0.name == r.output }) else {
        throw .invalidModel(
          "residual_error: '\(r.output)' is not an output of \(name); its outputs: "
            + outputs.map(\.name).joined(separator: ", "))
      }
      guard seen.insert(r.output).inserted else {
        throw .invalidModel("residual_error: '\(r.output)' is given twice")
      }
      guard r.proportional.isFinite && r.additive.isFinite else {
        throw .invalidModel("residual_error: the standard deviations of '\(r.output)' must be finite")
      }
    }
  }
}
