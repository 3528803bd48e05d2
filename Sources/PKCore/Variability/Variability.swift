/// The between-subject variability of a model: its random effects and their covariance Ω.
///
/// ```
/// η = (η_1, …, η_m) ~ N(0, Ω),   Ω symmetric positive definite (m × m, row-major here)
/// ```
/// Ω is given as variances ω² (NONMEM's $OMEGA); off-diagonal entries are covariances (a
/// $OMEGA BLOCK). Whether Ω is positive definite is checked where η is drawn (its Cholesky
/// factor), with an error that names the model.
public struct Variability: Sendable, Equatable {
  /// The random effects, in the order of Ω's rows.
  public var effects: [RandomEffect]
  /// Ω, row-major, `effects.count²` values.
  public var covariance: [Double]

  public init(effects: [RandomEffect] = [], covariance: [Double] = []) {
    precondition(covariance.count == effects.count * effects.count, "Ω needs m² values for m effects.")
    self.effects = effects
    self.covariance = covariance
  }

  /// No random effects.
  public static let none = Variability()

  /// Whether there is no random effect.
  public var isEmpty: Bool { effects.isEmpty }

  /// Ω[i, j].
  public func covariance(_ i: Int, _ j: Int) -> Double { covariance[i * effects.count + j] }

  /// The random effect on `parameter`, if any.
  public func effect(on parameter: String) -> RandomEffect? { effects.first { $0.parameter == parameter } }

  /// Adds a log-normal random effect with standard deviation ω (of log P) on `parameter`, or
  /// replaces the one it has: the old effect's variance and its covariances with the others
  /// are dropped (the new η is independent of the others).
  public mutating func set(_ effect: RandomEffect, variance: Double) {
    let m = effects.count
    if let k = effects.firstIndex(where: { $0.parameter == effect.parameter }) {
      effects[k] = effect
      for j in 0..<m {
        covariance[k * m + j] = 0
        covariance[j * m + k] = 0
      }
      covariance[k * m + k] = variance
      return
    }
    var grown = [Double](repeating: 0, count: (m + 1) * (m + 1))
    for i in 0..<m { for j in 0..<m { grown[i * (m + 1) + j] = covariance[i * m + j] } }
    grown[m * (m + 1) + m] = variance
    effects.append(effect)
    covariance = grown
  }
}
