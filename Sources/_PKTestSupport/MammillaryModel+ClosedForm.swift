import RealModule

/// Closed-form polyexponential solutions of a mammillary model (Gibaldi & Perrier).
///
/// For a unit dose into the central compartment,
/// ```
/// C(t) = Σ_i A_i · e^{−λ_i t}
/// A_i = Π_p (kp1 − λ_i) / ( V · Π_{j≠i} (λ_j − λ_i) )
/// ```
/// and a zero-order infusion at rate R (started at 0, stopped at T) integrates each exponential:
/// ```
/// C(t) = R · Σ_i (A_i / λ_i) · (1 − e^{−λ_i t})                        0 ≤ t ≤ T
/// C(t) = R · Σ_i (A_i / λ_i) · (1 − e^{−λ_i T}) · e^{−λ_i (t − T)}     t > T
/// ```
extension MammillaryModel {
  /// The disposition exponents λ_i (1/h), largest first (α, β, γ).
  ///
  /// ```
  /// 1 compartment:  λ = k10
  /// 2 compartments: λ² − (k10 + k12 + k21)·λ + k10·k21 = 0
  /// 3 compartments: λ³ − a2·λ² + a1·λ − a0 = 0,
  ///   a0 = k10·k21·k31
  ///   a1 = k10·k31 + k21·k31 + k21·k13 + k10·k21 + k31·k12
  ///   a2 = k10 + k12 + k13 + k21 + k31
  /// ```
  /// The quadratic's smaller root is taken as k10·k21 / α (the product of the roots), which
  /// avoids the cancellation of (s − √(s² − 4·k10·k21)) / 2.
  public var exponents: [Double] {
    switch peripherals.count {
    case 0:
      return [k10]
    case 1:
      let (k12, k21) = (peripherals[0].fromCentral, peripherals[0].toCentral)
      let s = k10 + k12 + k21
      let alpha = (s + Double.sqrt(s * s - 4 * k10 * k21)) / 2
      return [alpha, k10 * k21 / alpha]
    default:
      let (k12, k21) = (peripherals[0].fromCentral, peripherals[0].toCentral)
      let (k13, k31) = (peripherals[1].fromCentral, peripherals[1].toCentral)
      let a0 = k10 * k21 * k31
      let a1 = k10 * k31 + k21 * k31 + k21 * k13 + k10 * k21 + k31 * k12
      let a2 = k10 + k12 + k13 + k21 + k31
      return _cubicRoots(a2: a2, a1: a1, a0: a0)
    }
  }

  /// The coefficients A_i (1/L, i.e. mg/L per mg dosed) of the unit-bolus response, in the
  /// order of `exponents`.
  public var unitCoefficients: [Double] {
    let lambdas = exponents
    return lambdas.indices.map { i in
      var numerator = 1.0
      for p in peripherals { numerator *= p.toCentral - lambdas[i] }
      var denominator = volume
      for j in lambdas.indices where j != i { denominator *= lambdas[j] - lambdas[i] }
      return numerator / denominator
    }
  }

  /// The central concentration (mg/L) at `t` hours after a unit bolus (1 mg) at time 0.
  public func unitBolusResponse(at t: Double) -> Double {
    precondition(t >= 0, "The response is defined from the dose on.")
    let (a, lambdas) = (unitCoefficients, exponents)
    var c = 0.0
    for i in a.indices { c += a[i] * Double.exp(-lambdas[i] * t) }
    return c
  }

  /// The central concentration (mg/L) at `t` hours after the start of an infusion of 1 mg/h
  /// that lasts `duration` hours; the (1 − e^{−λt}) factors use expm1 to stay accurate near 0.
  public func unitInfusionResponse(at t: Double, duration: Double) -> Double {
    precondition(
      t >= 0 && duration > 0, "The response is defined from the start of the infusion on.")
    let (a, lambdas) = (unitCoefficients, exponents)
    var c = 0.0
    for i in a.indices {
      if t <= duration {
        c += a[i] / lambdas[i] * -Double.expMinusOne(-lambdas[i] * t)
      } else {
        c +=
          a[i] / lambdas[i] * -Double.expMinusOne(-lambdas[i] * duration)
          * Double.exp(-lambdas[i] * (t - duration))
      }
    }
    return c
  }

  /// The area under the unit-bolus curve, Σ A_i / λ_i (mg·h/L per mg), which must equal
  /// 1 / (k10·V) = 1 / CL.
  public var unitArea: Double {
    let (a, lambdas) = (unitCoefficients, exponents)
    var s = 0.0
    for i in a.indices { s += a[i] / lambdas[i] }
    return s
  }
}
