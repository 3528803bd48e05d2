import RealModule

/// An indirect-response (turnover) model: a response R made at rate kin and lost at rate
/// kout·R, the drug inhibiting or stimulating its production or its loss (Dayton/Jusko types
/// I–IV).
///
/// ```
/// I    inhibits production    dR/dt = kin·(1 − H) − kout·R        H = Imax·C^γ/(IC50^γ + C^γ)
/// II   inhibits loss          dR/dt = kin − kout·(1 − H)·R
/// III  stimulates production  dR/dt = kin·(1 + H) − kout·R        H = Emax·C^γ/(EC50^γ + C^γ)
/// IV   stimulates loss        dR/dt = kin − kout·(1 + H)·R
/// R(0) = R0,  kin = kout·R0,  kout = ln 2 / t½ when a turnover half-life is given
/// ```
/// C is an output's concentration (ng/mL; plasma, or an effect site's for a delay); γ is 1
/// (hyperbolic, the published form of the four types) unless given. With C held constant,
/// R(t) = Rss + (R0 − Rss)·e^(−k′t): I Rss = R0(1 − H), k′ = kout; III Rss = R0(1 + H),
/// k′ = kout; II Rss = R0/(1 − H), k′ = kout(1 − H); IV Rss = R0/(1 + H), k′ = kout(1 + H).
///
/// The response is a state the engine integrates with the drug, so its accuracy is the
/// integrator's (`--rtol`, `--atol`), never that of interpolated concentrations: a model
/// file's entry becomes a compartment that holds R − R0 (a quantity in the response's unit,
/// starting at 0, outside the mass balance, taking no doses), changed by a rate expression
/// built from the entry (`CompiledModel`); the model is then nonlinear and integrated
/// adaptively between doses. Dayton NL, Jusko WJ et al., J Pharmacokinet Biopharm
/// 1993;21:457-478.
public struct IndirectResponse: Sendable, Equatable {
  /// Which rate the drug changes, and how (the four types).
  public enum Mechanism: String, Sendable, Equatable, CaseIterable {
    /// Type I: inhibition of production (kin).
    case inhibitsProduction = "inhibits production"
    /// Type II: inhibition of loss (kout).
    case inhibitsLoss = "inhibits loss"
    /// Type III: stimulation of production (kin).
    case stimulatesProduction = "stimulates production"
    /// Type IV: stimulation of loss (kout).
    case stimulatesLoss = "stimulates loss"

    /// Whether the drug inhibits (Imax, IC50) rather than stimulates (Emax, EC50).
    public var inhibits: Bool { self == .inhibitsProduction || self == .inhibitsLoss }
    /// Whether the drug acts on production (kin) rather than loss (kout).
    public var onProduction: Bool { self == .inhibitsProduction || self == .stimulatesProduction }
  }

  /// How the loss rate constant is given.
  public enum Turnover: Sendable, Equatable {
    /// A rate-constant parameter kout (1/time).
    case kout(String)
    /// A time parameter, the turnover half-life t½ = ln 2 / kout.
    case halfLife(String)

    /// The parameter's name.
    public var parameter: String {
      switch self {
      case .kout(let p), .halfLife(let p): return p
      }
    }
  }

  /// The response's name; its CSV column is `<name>`.
  public var name: String
  /// The unit of R (e.g. `NRS`, `%`); a pure-number parameter R0 is in this unit.
  public var unit: String
  /// The output whose concentration drives it.
  public var output: String
  public var mechanism: Mechanism
  /// Parameter names: the baseline R0 (unit `1`), kout or t½, IC50/EC50 (a concentration),
  /// Imax/Emax (unit `1`), γ (unit `1`; nil for 1).
  public var baseline: String
  public var turnover: Turnover
  public var potency: String
  public var maximum: String
  public var gamma: String?
  /// Where the numbers come from.
  public var source: String

  public init(
    name: String, unit: String, output: String, mechanism: Mechanism, baseline: String,
    turnover: Turnover, potency: String, maximum: String, gamma: String? = nil, source: String
  ) {
    self.name = name
    self.unit = unit
    self.output = output
    self.mechanism = mechanism
    self.baseline = baseline
    self.turnover = turnover
    self.potency = potency
    self.maximum = maximum
    self.gamma = gamma
    self.source = source
  }

  /// The name of the compartment holding R − R0: `<name>_change`.
  public var stateName: String { "\(name)_change" }

  /// The drug's effect H at concentration c (ng/mL), IC50 or EC50 in ng/mL.
  ///
  /// ```
  /// H = maximum · c^γ/(potency^γ + c^γ) = maximum / (1 + (potency/c)^γ),   0 for c ≤ 0
  /// ```
  public static func drugEffect(c: Double, maximum: Double, potency: Double, gamma: Double) -> Double {
    c > 0 ? maximum / (1 + Double.pow(potency / c, gamma)) : 0
  }

  /// dR/dt at response r for drug effect h, baseline r0 and loss rate constant kout (the
  /// formulas above, with kin = kout·r0).
  public static func rate(_ mechanism: Mechanism, r: Double, h: Double, r0: Double, kout: Double) -> Double {
    switch mechanism {
    case .inhibitsProduction: return kout * r0 * (1 - h) - kout * r
    case .stimulatesProduction: return kout * r0 * (1 + h) - kout * r
    case .inhibitsLoss: return kout * r0 - kout * (1 - h) * r
    case .stimulatesLoss: return kout * r0 - kout * (1 + h) * r
    }
  }

  /// The response with C held constant: R(t) = Rss + (R0 − Rss)·e^(−k′t), for drug effect h.
  public static func constantConcentration(
    _ mechanism: Mechanism, t: Double, h: Double, r0: Double, kout: Double
  ) -> Double {
    let (steady, k): (Double, Double)
    switch mechanism {
    case .inhibitsProduction: (steady, k) = (r0 * (1 - h), kout)
    case .stimulatesProduction: (steady, k) = (r0 * (1 + h), kout)
    case .inhibitsLoss: (steady, k) = (r0 / (1 - h), kout * (1 - h))
    case .stimulatesLoss: (steady, k) = (r0 / (1 + h), kout * (1 + h))
    }
    return steady + (r0 - steady) * Double.exp(-k * t)
  }
}
