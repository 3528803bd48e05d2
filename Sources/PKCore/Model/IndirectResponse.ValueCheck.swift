extension IndirectResponse {
  /// One range check of an indirect response's parameter value (`IndirectResponse.valueChecks`),
  /// shared by the model-file reader and `CompiledModel` so that both say the same.
  ///
  /// ```
  /// accepts(v) = v finite ∧ predicate(v),   v in the canonical unit of `dimension`
  /// ```
  public struct ValueCheck: Sendable {
    /// The model file's key, e.g. `ic50` or `half_life`.
    public var key: String
    /// The parameter's role, for messages: e.g. `IC50`, `turnover half-life`.
    public var role: String
    /// The parameter's name.
    public var parameter: String
    /// The parameter's dimension; the predicate reads its canonical unit (`Parameter.Dimension`).
    public var dimension: Parameter.Dimension
    /// What the value must be, for messages: e.g. `a concentration above 0`.
    public var expected: String
    /// Whether a finite value (canonical unit) lies in range.
    public var predicate: @Sendable (Double) -> Bool

    public init(
      key: String, role: String, parameter: String, dimension: Parameter.Dimension, expected: String,
      predicate: @escaping @Sendable (Double) -> Bool
    ) {
      self.key = key
      self.role = role
      self.parameter = parameter
      self.dimension = dimension
      self.expected = expected
      self.predicate = predicate
    }

    /// Whether value `v` (canonical unit) passes: finite and in range.
    public func accepts(_ v: Double) -> Bool { v.isFinite && predicate(v) }
  }
}
