extension RandomEffect {
  /// How a random effect acts on its parameter.
  public enum Distribution: String, Sendable, Equatable, CaseIterable {
    /// P·exp(η): the parameter is log-normal (clearances, volumes, rate constants). ω is the
    /// standard deviation of log P, about the coefficient of variation for small ω.
    case logNormal = "lognormal"
    /// P + η: normal, in the parameter's unit.
    case normal
    /// logit⁻¹(logit P + η): stays between 0 and 1 (fractions absorbed, bioavailabilities).
    case logit
  }
}
