import PKCore

extension ModelFileReader {
  /// Reads a model file's `residual_error` section:
  ///
  /// ```yaml
  /// residual_error:
  ///   source: "Otto 2021 (C): proportional, variances σ²"
  ///   outputs:
  ///     s_ketamine: {proportional_variance: 0.056}
  ///     s_norketamine: {proportional: 14%, additive: 0.5 ng/mL}
  /// ```
  /// `proportional` is σ_p (a fraction or a percentage), `additive` σ_a (a concentration);
  /// `_variance` forms give σ² (additive in (ng/mL)², as a number).
  static func _residualErrors(_ node: LocatedNode) throws(InputError) -> [ResidualError] {
    try node.checkKeys(["source", "outputs"])
    let source = try node.required("source", "where the residual errors come from (citation and table)")
      .string()
    var errors: [ResidualError] = []
    for (output, e) in try node.required("outputs", "a mapping of output names to residual errors").mapping()
    {
      try e.checkKeys(["proportional", "proportional_variance", "additive", "additive_variance"])
      var proportional = 0.0
      var additive = 0.0
      if let p = try e.optional("proportional") { proportional = try _percentOrNumber(p) }
      if let p = try e.optional("proportional_variance") { proportional = try p.number().squareRoot() }
      if let a = try e.optional("additive") {
        let text = try a.string()
        do { additive = try QuantityParser.concentration(text) } catch { throw a.error(error.message) }
      }
      if let a = try e.optional("additive_variance") { additive = try a.number().squareRoot() }
      guard proportional >= 0 && additive >= 0 && proportional.isFinite && additive.isFinite else {
        throw e.error("expected standard deviations or variances of 0 or more")
      }
      guard proportional > 0 || additive > 0 else {
        throw e.error("expected proportional and/or additive (a standard deviation above 0)")
      }
      let hasProportional = try e.optional("proportional") != nil
      let hasProportionalVariance = try e.optional("proportional_variance") != nil
      let hasAdditive = try e.optional("additive") != nil
      let hasAdditiveVariance = try e.optional("additive_variance") != nil
      if hasProportional && hasProportionalVariance {
        throw e.error("give proportional or proportional_variance, not both")
      }
      if hasAdditive && hasAdditiveVariance {
        throw e.error("give additive or additive_variance, not both")
      }
      errors.append(
        ResidualError(output: output, proportional: proportional, additive: additive, source: source))
    }
    return errors
  }
}
