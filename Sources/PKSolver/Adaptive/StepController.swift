import RealModule

/// Step-size control shared by the adaptive methods: a PI controller and the starting step.
///
/// ```
/// h_new = h · min(facmax, max(facmin, safety · err^(−α) · err_prev^β))
/// ```
/// with q the order of the error estimate plus one. `init(order:)` takes Gustafsson's
/// α = 0.7/q, β = 0.4/q (Gustafsson 1991; Hairer & Wanner, Solving ODEs II, §IV.2, eq.
/// (2.43c)); `init(order:beta:)` takes α = 1/q − 0.75β, the form of Hairer's DOPRI5 code, whose
/// default β = 0.04 the Dormand–Prince 5(4) methods use (Hairer, Nørsett & Wanner, Solving ODEs
/// I, 2nd ed., §II.4, "stabilized step size control"; the same constants as OrdinaryDiffEq.jl's
/// DP5). After a rejected step the step never grows.
public struct StepController: Sendable {
  /// The exponent order q (5 for Dormand–Prince 5(4), 4 for Rosenbrock 4(3)).
  public let order: Int
  /// The exponents α (of this error) and β (of the previous one).
  public let alpha, beta: Double
  public var safety = 0.9
  public var minimumFactor = 0.2
  public var maximumFactor = 10.0
  @usableFromInline
  var previousError = 1e-4
  /// log(previousError), kept so that each accepted step needs one logarithm.
  @usableFromInline
  var previousLog = StepController.initialLog
  /// log(1e-4).
  @usableFromInline
  static let initialLog = Double.log(1e-4)

  /// Gustafsson's exponents α = 0.7/q, β = 0.4/q.
  @inlinable
  public init(order: Int) {
    self.order = order
    alpha = 0.7 / Double(order)
    beta = 0.4 / Double(order)
  }

  /// Hairer's exponents α = 1/q − 0.75β and the given β (0.04 for Dormand–Prince 5(4)).
  @inlinable
  public init(order: Int, beta: Double) {
    self.order = order
    self.alpha = 1 / Double(order) - 0.75 * beta
    self.beta = beta
  }

  /// The controller of the Dormand–Prince 5(4) methods: q = 5, β = 0.04, α = 0.17 (DOPRI5).
  public static var dormandPrince54: StepController { StepController(order: 5, beta: 0.04) }

  /// Resets the memory of the previous error (after a discontinuity).
  @inlinable
  public mutating func reset() {
    previousError = 1e-4
    previousLog = Self.initialLog
  }

  /// The next step after an accepted step (err ≤ 1) or a rejected one.
  @inlinable
  public mutating func next(step h: Double, error err: Double, accepted: Bool) -> Double {
    let q = Double(order)
    let e = Swift.max(err, 1e-10)
    var factor: Double
    if accepted {
      // safety · e^(−0.7/q) · prev^(0.4/q) with one logarithm and one exponential: the
      // logarithm of the previous error is kept from the step before.
      let logE = Double.log(e)
      factor = safety * Double.exp(-alpha * logE + beta * previousLog)
      previousError = Swift.max(e, 1e-4)
      previousLog = e >= 1e-4 ? logE : Self.initialLog
      factor = Swift.min(maximumFactor, Swift.max(minimumFactor, factor))
    } else {
      factor = Swift.min(1, Swift.max(minimumFactor, safety * Self.power(e, -1 / q)))
    }
    return h * factor
  }

  /// x^y, as every controller formula computes it (one place, so batch and single runs agree).
  @inlinable
  public static func power(_ x: Double, _ y: Double) -> Double { Double.pow(x, y) }

  /// The starting step of Hairer, Nørsett & Wanner (Solving ODEs I, §II.4, "starting step
  /// size"): from the scaled sizes of y0, f(y0) and an estimate of the second derivative,
  ///
  /// ```
  /// h0 = 0.01 · ‖y0‖/‖f0‖,   h1 = (0.01 / max(‖f0‖, ‖f1 − f0‖/h0))^(1/(p+1)),   h = min(100 h0, h1)
  /// ```
  /// `scratch` and `scratch2` are n-long work arrays; p is the method's order.
  @inlinable
  public static func initialStep<F: ODEFunction>(
    _ f: F, y0: [Double], f0: [Double], order p: Int, tolerance: Tolerance, maximum: Double,
    scratch: inout [Double], scratch2: inout [Double]
  ) -> Double {
    let n = y0.count
    var d0 = 0.0
    var d1 = 0.0
    for i in 0..<n {
      let sc = tolerance.absolute + tolerance.relative * abs(y0[i])
      d0 += (y0[i] / sc) * (y0[i] / sc)
      d1 += (f0[i] / sc) * (f0[i] / sc)
    }
    d0 = (d0 / Double(n)).squareRoot()
    d1 = (d1 / Double(n)).squareRoot()
    let h0 = trialStep(d0: d0, d1: d1, maximum: maximum)
    for i in 0..<n { scratch[i] = y0[i] + h0 * f0[i] }
    f.evaluate(scratch, into: &scratch2)
    var d2 = 0.0
    for i in 0..<n {
      let sc = tolerance.absolute + tolerance.relative * abs(y0[i])
      let v = (scratch2[i] - f0[i]) / sc
      d2 += v * v
    }
    d2 = (d2 / Double(n)).squareRoot() / h0
    return startingStep(h0: h0, d1: d1, d2: d2, order: p, maximum: maximum)
  }

  /// The trial step h0 = 0.01·‖y0‖/‖f0‖ of `initialStep` (1e-6 when either is tiny), at most
  /// `maximum`; d0 and d1 are the scaled RMS norms of y0 and f0.
  @inlinable
  public static func trialStep(d0: Double, d1: Double, maximum: Double) -> Double {
    Swift.min((d0 < 1e-5 || d1 < 1e-5) ? 1e-6 : 0.01 * d0 / d1, maximum)
  }

  /// The starting step of `initialStep` from the trial step h0 and the scaled norms d1 = ‖f0‖,
  /// d2 = ‖f1 − f0‖/h0: min(100·h0, (0.01 / max(d1, d2))^(1/(p+1)), maximum).
  @inlinable
  public static func startingStep(h0: Double, d1: Double, d2: Double, order p: Int, maximum: Double) -> Double
  {
    let h1: Double =
      Swift.max(d1, d2) <= 1e-15
      ? Swift.max(1e-6, h0 * 1e-3) : power(0.01 / Swift.max(d1, d2), 1 / Double(p + 1))
    let h = Swift.min(100 * h0, h1, maximum)
    return h.isFinite && h > 0 ? h : Swift.min(1e-6, maximum)
  }
}
