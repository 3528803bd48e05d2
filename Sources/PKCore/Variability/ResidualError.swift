/// The residual error of an output: how a simulated observation scatters around the model's
/// concentration (NONMEM's $ERROR with $SIGMA).
///
/// ```
/// Y = C · (1 + ε_p) + ε_a,   ε_p ~ N(0, σ_p²),  ε_a ~ N(0, σ_a²)  (independent)
/// ```
/// proportional (σ_a = 0), additive (σ_p = 0) or combined; C and Y in ng/mL. Observations are
/// drawn only when asked for (`--observations`); concentrations stay the model's predictions.
/// Beal SL, Sheiner LB et al., NONMEM Users Guides, Part V; Proost JH, J Pharmacokinet
/// Pharmacodyn 2017;44:43-55 (combined error models).
public struct ResidualError: Sendable, Equatable {
  /// The output it belongs to.
  public var output: String
  /// σ_p, the standard deviation of the proportional part (a fraction of C).
  public var proportional: Double
  /// σ_a, the standard deviation of the additive part (ng/mL).
  public var additive: Double
  /// Where the numbers come from.
  public var source: String

  public init(output: String, proportional: Double = 0, additive: Double = 0, source: String) {
    precondition(proportional >= 0 && additive >= 0, "Residual standard deviations are 0 or more.")
    self.output = output
    self.proportional = proportional
    self.additive = additive
    self.source = source
  }

  /// The observation for concentration c (ng/mL) and standard normal draws z_p and z_a.
  public func observation(_ c: Double, _ zp: Double, _ za: Double) -> Double {
    c * (1 + proportional * zp) + additive * za
  }
}
