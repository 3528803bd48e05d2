import PKLinearAlgebra

/// Moves a state of a linear system exactly from one stop time to the next, with a constant
/// input in between.
///
/// ```
/// x(t + h) = Φ(h)·x(t) + Γ(h)·u
/// ```
///
/// The stepper keeps the clock: the time the state has reached is `time + lag` exactly, where
/// `lag` carries (by TwoSum) the difference between the steps asked for and the cached steps
/// taken, so rounding never accumulates over many steps. A step within rounding of zero is no
/// step. Propagators are cached by step length (`PropagatorCache`).
public struct ExactLinearStepper: Sendable {
  /// The propagators used, cached by step length.
  public private(set) var cache: PropagatorCache
  /// The time the state has reached (up to the carried rounding).
  public private(set) var time: Double
  private var lag = 0.0
  private var scratch: [Double]

  public init(system: LinearSystem, time: Double = 0) {
    self.cache = PropagatorCache(system: system)
    self.time = time
    self.scratch = [Double](repeating: 0, count: system.dimension)
  }

  /// The system being integrated.
  public var system: LinearSystem { cache.system }

  /// Sets the clock to `time` (for a state that now belongs to this stepper).
  public mutating func setTime(_ time: Double) {
    self.time = time
    self.lag = 0
  }

  /// Advances `x` from the current time to `target` with constant input `u` (nil for none).
  ///
  /// - Throws: `LinearAlgebraError` if a propagator cannot be computed.
  /// - Complexity: O(n²), plus O(n³) for a step length not yet cached. Does not allocate once
  ///   the step length is cached.
  public mutating func advance(
    _ x: inout [Double], to target: Double, input u: [Double]?
  ) throws(LinearAlgebraError) {
    let h = (target - time) - lag
    let tolerance = 16 * Swift.max(target.magnitude.ulp, h.magnitude.ulp)
    if h <= tolerance { return }
    let p = try cache.propagator(for: h, tolerance: tolerance)
    p.apply(x, offset: 0, input: u, into: &scratch, offset: 0)
    swap(&x, &scratch)
    let sum = time + p.step
    let stepPart = sum - time
    lag += (time - (sum - stepPart)) + (p.step - stepPart)
    time = sum
  }
}
