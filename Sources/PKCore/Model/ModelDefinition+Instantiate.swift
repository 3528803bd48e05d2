/// Turning a model definition into the numbers of one subject.
extension ModelDefinition {
  /// The input values of `subject` in the model's input order (`inputs`): `WT`, `AGE`, `SEX`
  /// and changed enzyme activities from the subject, others from their defaults.
  ///
  /// - Throws: `ModelError.missingCovariate` for a covariate the subject lacks and that has no
  ///   default; `invalidCovariate` for a weight that is not positive or a negative age.
  public func covariateValues(for subject: Subject) throws(ModelError) -> [Double] {
    try _covariateValues(for: subject, inputs: inputs)
  }

  /// `covariateValues(for:)` over the inputs `inputs` (this model's `inputs`, built once by
  /// `CompiledModel`).
  func _covariateValues(for subject: Subject, inputs: [Covariate]) throws(ModelError) -> [Double] {
    if let w = subject.weight, !(w > 0 && w.isFinite) {
      throw .invalidCovariate(name: "weight", value: w, expected: "a positive number of kg")
    }
    if let a = subject.age, !(a >= 0 && a.isFinite) {
      throw .invalidCovariate(name: "age", value: a, expected: "zero or more years")
    }
    var values: [Double] = []
    values.reserveCapacity(inputs.count)
    for c in inputs {
      guard let v = subject.covariate(c.name) ?? c.defaultValue else {
        throw .missingCovariate(
          name: Subject.covariateWord(c.name) ?? c.name, reason: "\(name) uses \(c.name) (\(c.description))")
      }
      values.append(v)
    }
    return values
  }

  /// Gives `subject` the value of a covariate the model declares (`ASIAN = 1`).
  ///
  /// - Throws: `ModelError.invalidModel` listing the model's covariates when it does not
  ///   declare `name`.
  public func setCovariate(_ name: String, to value: Double, on subject: inout Subject) throws(ModelError) {
    guard covariates.contains(where: { $0.name == name }) else {
      throw .invalidModel(
        "\(self.name) has no covariate '\(name)'; its covariates: "
          + (covariates.isEmpty ? "none" : covariates.map(\.name).joined(separator: ", ")))
    }
    subject.covariates[name] = value
  }

  /// The value of parameter `name` for `subject`, in its canonical unit (L, L/h, 1/h, h, mg/h).
  public func value(of name: String, for subject: Subject) throws(ModelError) -> Double {
    let compiled = try CompiledModel(self)
    guard let slot = compiled.graph.graph.slots[name],
      let p = parameters.first(where: { $0.name == name })
    else { throw .invalidModel("unknown parameter '\(name)'") }
    let values = try compiled._values(covariates: covariateValues(for: subject))
    return values[slot] * p.factor
  }

  /// The compartment model of one subject: volumes (L) and the system matrix (1/h).
  ///
  /// The state is one amount (mg) per compartment, in file order, followed by the amount
  /// eliminated from the body, so that Σ state = Σ doses at every time (mass balance).
  /// A flow from i to j with rate constant k adds −k to A[i,i] and +k to A[j,i].
  ///
  /// - Throws: `ModelError` when the definition is inconsistent (see `validate()`), a covariate
  ///   is missing or impossible, or a parameter cannot be evaluated.
  public func instantiate(for subject: Subject) throws(ModelError) -> CompartmentModel {
    try CompiledModel(self).instantiate(for: subject)
  }
}

extension CompiledModel {
  /// The compartment model of one subject from an already compiled model: what each subject of
  /// a population costs (no validation or compilation again).
  ///
  /// - Throws: `ModelError` when a covariate is missing or impossible, or a parameter cannot be
  ///   evaluated.
  public func instantiate(for subject: Subject) throws(ModelError) -> CompartmentModel {
    let covariates = try definition._covariateValues(for: subject, inputs: inputs)
    let values = try _values(covariates: covariates)
    let (system, volumes) = try system(values)
    return CompartmentModel(
      compiled: self, covariates: covariates, parameterValues: values, system: system, volumes: volumes)
  }

  /// All slot values for covariate values `covariates`, as a model error when evaluation fails.
  func _values(covariates: [Double]) throws(ModelError) -> [Double] {
    var values = [Double](repeating: 0, count: slotCount)
    for (i, c) in covariates.enumerated() { values[i] = c }
    do { try evaluate(&values) } catch { throw .invalidModel(error.description) }
    return values
  }
}
