import RealModule

/// A concentration–effect model: an effect computed from an output's concentration at every
/// output time (a direct, algebraic link; put an effect site between plasma and effect for a
/// delay).
///
/// ```
/// linear                    E = E0 + slope·C
/// emax                      E = E0 + Emax·C/(EC50 + C)
/// sigmoid_emax              E = E0 + Emax·C^γ/(EC50^γ + C^γ)            (Hill)
/// inhibitory_emax           E = E0 − Imax·C/(IC50 + C)
/// inhibitory_sigmoid_emax   E = E0 − Imax·C^γ/(IC50^γ + C^γ)
/// ```
/// C in ng/mL; E0, Emax and the slope in the effect's `unit`. Holford NHG, Sheiner LB, Clin
/// Pharmacokinet 1981;6:429-453; Hill AV, J Physiol 1910;40:iv-vii.
public struct ConcentrationEffect: Sendable, Equatable {
  /// The model's form.
  public enum Form: String, Sendable, Equatable, CaseIterable {
    case linear
    case emax
    case sigmoidEmax = "sigmoid_emax"
    case inhibitoryEmax = "inhibitory_emax"
    case inhibitorySigmoidEmax = "inhibitory_sigmoid_emax"

    /// Whether the form uses EC50 (IC50), Emax (Imax) and, for the sigmoid ones, γ.
    public var usesEC50: Bool { self != .linear }
    public var usesGamma: Bool { self == .sigmoidEmax || self == .inhibitorySigmoidEmax }
  }

  /// The effect's name; its CSV column is `<name>` (its unit is in the model file).
  public var name: String
  /// The unit of E (e.g. `Hz`, `%`, `score`).
  public var unit: String
  /// The output whose concentration drives it.
  public var output: String
  public var form: Form
  /// Parameter names: E0 (baseline), Emax or Imax, EC50 or IC50 (a concentration), γ, slope.
  public var e0: String
  public var emax: String?
  public var ec50: String?
  public var gamma: String?
  public var slope: String?
  /// Where the numbers come from.
  public var source: String

  public init(
    name: String, unit: String, output: String, form: Form, e0: String, emax: String? = nil,
    ec50: String? = nil,
    gamma: String? = nil, slope: String? = nil, source: String
  ) {
    self.name = name
    self.unit = unit
    self.output = output
    self.form = form
    self.e0 = e0
    self.emax = emax
    self.ec50 = ec50
    self.gamma = gamma
    self.slope = slope
    self.source = source
  }

  /// E at concentration c (ng/mL), with EC50 in ng/mL.
  public static func value(
    _ form: Form, c: Double, e0: Double, emax: Double, ec50: Double, gamma: Double, slope: Double
  ) -> Double {
    switch form {
    case .linear: return e0 + slope * c
    case .emax: return e0 + emax * c / (ec50 + c)
    case .inhibitoryEmax: return e0 - emax * c / (ec50 + c)
    case .sigmoidEmax, .inhibitorySigmoidEmax:
      // C^γ/(EC50^γ + C^γ) = 1/(1 + (EC50/C)^γ), which stays finite for large γ.
      let fraction = c > 0 ? 1 / (1 + Double.pow(ec50 / c, gamma)) : 0
      return form == .sigmoidEmax ? e0 + emax * fraction : e0 - emax * fraction
    }
  }
}
