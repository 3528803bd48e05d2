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
  }

  /// How the loss rate constant is given.
  public enum Turnover: Sendable, Equatable {
    /// A rate-constant parameter kout (1/time).
    case kout(String)
    /// A time parameter, the turnover half-life t½ = ln 2 / kout.
    case halfLife(String)
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

  /// The range each parameter's value must lie in, in its canonical unit: checked where the
  /// model file gives a constant (at its key) and for each subject's values (`CompiledModel`).
  ///
  /// ```
  /// IC50, EC50 > 0 (mg/L)   Imax in (0, 1]   Emax > 0   γ > 0   kout > 0 (1/h)   t½ > 0 (h)   R0 ≥ 0
  /// ```
  public var valueChecks: [ValueCheck] {
    let inhibits = mechanism.inhibits
    var checks = [
      ValueCheck(
        key: inhibits ? "ic50" : "ec50", role: inhibits ? "IC50" : "EC50", parameter: potency,
        dimension: .concentration, expected: "a concentration above 0", predicate: { $0 > 0 }),
      inhibits
        ? ValueCheck(
          key: "imax", role: "Imax", parameter: maximum, dimension: .dimensionless,
          expected: "a fraction above 0 and at most 1", predicate: { $0 > 0 && $0 <= 1 })
        : ValueCheck(
          key: "emax", role: "Emax", parameter: maximum, dimension: .dimensionless,
          expected: "a number above 0", predicate: { $0 > 0 }),
    ]
    if let gamma {
      checks.append(
        ValueCheck(
          key: "gamma", role: "Hill coefficient", parameter: gamma, dimension: .dimensionless,
          expected: "a Hill coefficient above 0", predicate: { $0 > 0 }))
    }
    switch turnover {
    case .kout(let k):
      checks.append(
        ValueCheck(
          key: "kout", role: "kout", parameter: k, dimension: .rateConstant,
          expected: "a rate constant above 0", predicate: { $0 > 0 }))
    case .halfLife(let t):
      checks.append(
        ValueCheck(
          key: "half_life", role: "turnover half-life", parameter: t, dimension: .time,
          expected: "a half-life above 0", predicate: { $0 > 0 }))
    }
    checks.append(
      ValueCheck(
        key: "r0", role: "baseline R0", parameter: baseline, dimension: .dimensionless,
        expected: "a baseline of 0 or more", predicate: { $0 >= 0 }))
    return checks
  }
}
