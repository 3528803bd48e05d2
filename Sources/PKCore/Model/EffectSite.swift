/// A hypothetical effect compartment (biophase) linked to a plasma compartment: it holds a
/// concentration, not drug, so it takes no mass from the plasma.
///
/// ```
/// dCe/dt = ke0 · (Cp − Ce),   Cp = A_of / V_of  (mg/L),   Ce in mg/L
/// ```
/// After a bolus into a one-compartment model (Cp = D/V·e^(−kt)):
/// Ce(t) = D/V · ke0/(ke0 − k) · (e^(−kt) − e^(−ke0·t)). Linear in the state, so the exact
/// propagator solves it with the rest. ke0 is given directly, as t½ke0 (ke0 = ln 2/t½ke0) or
/// from a time to peak after a bolus. Sheiner LB, Stanski DR, Vozeh S, Miller RD, Ham J,
/// Clin Pharmacol Ther 1979;25(3):358-371.
public struct EffectSite: Sendable, Equatable {
  /// How ke0 is given.
  public enum Rate: Sendable, Equatable {
    /// A parameter giving ke0 (1/time).
    case ke0(String)
    /// A parameter giving the equilibration half-life t½ke0 (time): ke0 = ln 2 / t½ke0.
    case halfLife(String)
    /// A parameter giving the time to peak effect-site concentration after an IV bolus into
    /// `of`: ke0 is solved for it, per subject, as TCI systems do (`EffectSite.ke0(timeToPeak:…)`).
    case timeToPeak(String)

    /// The parameter's name.
    public var parameter: String {
      switch self {
      case .ke0(let p), .halfLife(let p), .timeToPeak(let p): return p
      }
    }
  }

  /// The drug compartment whose concentration drives the effect site.
  public var of: String
  /// ke0, given or from a time to peak.
  public var rate: Rate

  public init(of: String, rate: Rate) {
    self.of = of
    self.rate = rate
  }

  /// The unit of an effect-site state: a concentration.
  public static let unit = "mg/L"
}
