import PKCore
import RealModule

/// The four indirect-response types written out independently of the engine, for tests: the
/// drug effect, the rate of change and the response with the concentration held constant.
///
/// ```
/// H = maximum·c^γ/(potency^γ + c^γ)
/// I   dR/dt = kin·(1 − H) − kout·R          II  dR/dt = kin − kout·(1 − H)·R
/// III dR/dt = kin·(1 + H) − kout·R          IV  dR/dt = kin − kout·(1 + H)·R,    kin = kout·R0
/// ```
/// Dayton NL, Jusko WJ et al., J Pharmacokinet Biopharm 1993;21:457-478.
extension IndirectResponse {
  /// The drug's effect H at concentration c (ng/mL), IC50 or EC50 in ng/mL.
  ///
  /// ```
  /// H = maximum · c^γ/(potency^γ + c^γ) = maximum / (1 + (potency/c)^γ),   0 for c ≤ 0
  /// ```
  public static func drugEffect(c: Double, maximum: Double, potency: Double, gamma: Double) -> Double {
    c > 0 ? maximum / (1 + Double.pow(potency / c, gamma)) : 0
  }

  /// dR/dt at response r for drug effect h, baseline r0 and loss rate constant kout (1/h).
  public static func rate(_ mechanism: Mechanism, r: Double, h: Double, r0: Double, kout: Double) -> Double {
    switch mechanism {
    case .inhibitsProduction: return kout * r0 * (1 - h) - kout * r
    case .stimulatesProduction: return kout * r0 * (1 + h) - kout * r
    case .inhibitsLoss: return kout * r0 - kout * (1 - h) * r
    case .stimulatesLoss: return kout * r0 - kout * (1 + h) * r
    }
  }

  /// The response at time t (h) with the concentration held constant, for drug effect h.
  ///
  /// ```
  /// R(t) = Rss + (R0 − Rss)·e^(−k′t)
  /// I    Rss = R0(1 − H),  k′ = kout          III  Rss = R0(1 + H),  k′ = kout
  /// II   Rss = R0/(1 − H), k′ = kout(1 − H)   IV   Rss = R0/(1 + H), k′ = kout(1 + H)
  /// II at H = 1: no loss, so R(t) = R0·(1 + kout·t), growing without bound (Rss infinite)
  /// ```
  public static func constantConcentration(
    _ mechanism: Mechanism, t: Double, h: Double, r0: Double, kout: Double
  ) -> Double {
    let (steady, k): (Double, Double)
    switch mechanism {
    case .inhibitsProduction: (steady, k) = (r0 * (1 - h), kout)
    case .stimulatesProduction: (steady, k) = (r0 * (1 + h), kout)
    case .inhibitsLoss:
      // dR/dt = kin: the limit of the general form as H → 1 (which would give ∞ − ∞).
      if h == 1 { return r0 * (1 + kout * t) }
      (steady, k) = (r0 / (1 - h), kout * (1 - h))
    case .stimulatesLoss: (steady, k) = (r0 / (1 + h), kout * (1 + h))
    }
    return steady + (r0 - steady) * Double.exp(-k * t)
  }
}
