import PKLinearAlgebra

/// The exact one-step map of a linear system over a step h with constant input u.
///
/// ```
/// x(t + h) = Φ·x(t) + Γ·u,   Φ = e^{A h},   Γ = ∫₀ʰ e^{A s} ds
/// ```
///
/// Both blocks come from one matrix exponential of the augmented 2n × 2n matrix
/// (Van Loan 1978, "Computing integrals involving the matrix exponential",
/// IEEE Trans. Autom. Control 23(3):395–404):
///
/// ```
/// exp( [A  I] h )  =  [Φ  Γ]
///      [0  0]         [0  I]
/// ```
///
/// which needs no inverse of A, so a singular A (an absorbing compartment) is fine.
///
/// For a short step (‖A‖₁·h ≤ 1) the exponential is evaluated as e^M − I and a step is taken as
/// x + ((Φ − I)·x + Γ·u): the small increment is rounded, not Φ, so reusing one cached
/// propagator for thousands of short steps does not accumulate Φ's rounding. For a long step Φ
/// is computed and applied directly, which keeps its small (strongly decayed) entries accurate.
public struct Propagator: Sendable {
  /// The step length h the propagator was computed for (the system's time unit).
  public let step: Double
  /// Φ = e^{A h}.
  public let transition: Matrix
  /// Φ − I, computed directly (accurate when ‖A h‖ is small).
  public let transitionMinusIdentity: Matrix
  /// Whether steps are taken as x + (Φ − I)·x (short steps) rather than Φ·x.
  public let usesIncrement: Bool
  /// Γ = ∫₀ʰ e^{A s} ds (time).
  public let inputGain: Matrix

  /// Computes Φ and Γ for `system` over `step`.
  ///
  /// - Throws: `LinearAlgebraError` from the matrix exponential.
  public init(system: LinearSystem, step: Double) throws(LinearAlgebraError) {
    let n = system.dimension
    var augmented = Matrix(rows: 2 * n, columns: 2 * n)
    for j in 0..<n {
      for i in 0..<n { augmented[i, j] = system.matrix[i, j] * step }
      augmented[j, n + j] = step
    }
    let short = system.matrix.oneNorm * step <= 1
    let e = short ? try augmented.exponentialMinusIdentity() : try augmented.exponential()
    var phi = Matrix(rows: n, columns: n)
    var gamma = Matrix(rows: n, columns: n)
    for j in 0..<n {
      for i in 0..<n {
        phi[i, j] = e[i, j]
        gamma[i, j] = e[i, n + j]
      }
    }
    var d = phi
    for i in 0..<n {
      if short { phi[i, i] += 1 } else { d[i, i] -= 1 }
    }
    self.usesIncrement = short
    self.step = step
    self.transition = phi
    self.transitionMinusIdentity = d
    self.inputGain = gamma
  }

  /// Writes y = Φ·x + g for a precomputed g = Γ·u (nil for no input) in one pass, without
  /// allocating; for a short step as x + ((Φ − I)·x + g). Γ·u changes only with the input, so
  /// callers compute it once (`inputGain.multiplied(by: u)`) for many steps.
  @inlinable
  public func apply(_ x: [Double], gain g: [Double]?, into y: inout [Double]) {
    if usesIncrement {
      transitionMinusIdentity.multiply(x, adding: g, increment: true, into: &y)
    } else {
      transition.multiply(x, adding: g, increment: false, into: &y)
    }
  }
}
