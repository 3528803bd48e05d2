/// A transfer of drug out of a compartment, into another or out of the body.
///
/// ```
/// rate (amount/time) = k · A_from,                 k = parameter (rate constant)
///                                                  or k = CL / V_from (clearance)
///                    = Vmax · C / (Km + C),        C = A_from / V_from (Michaelis–Menten)
///                    = expression(A_·, C_·, parameters)   (a general rate, amount/time)
/// ```
/// The first two are linear: a model made only of them is solved exactly. Michaelis–Menten and
/// expression rates make the model nonlinear, integrated adaptively.
public struct Flow: Sendable, Equatable {
  /// How the flow is parameterised.
  public enum Kind: Sendable, Equatable {
    /// A micro-constant k (1/time), e.g. k12.
    case rateConstant
    /// A clearance (volume/time), divided by the volume of `from`.
    case clearance
    /// Saturable: `parameter` is Vmax (amount/time), `km` the parameter giving Km
    /// (concentration), on the concentration of `from`.
    case michaelisMenten(km: String)
    /// A general rate in amount/time: an expression over parameters, covariates and the
    /// amounts `A_<compartment>` (mg) and concentrations `C_<compartment>` (mg/L).
    case expression(Expression, text: String)
  }

  /// The compartment drug leaves.
  public var from: String
  /// The compartment drug enters, or nil for elimination from the body.
  public var to: String?
  /// The parameter giving the rate constant, clearance or Vmax ("" for an expression rate).
  public var parameter: String
  /// How `parameter` is read.
  public var kind: Kind

  public init(from: String, to: String?, parameter: String, kind: Kind) {
    self.from = from
    self.to = to
    self.parameter = parameter
    self.kind = kind
  }

  /// Whether the rate is proportional to the amount in `from` (a linear flow).
  public var isLinear: Bool {
    switch kind {
    case .rateConstant, .clearance: return true
    case .michaelisMenten, .expression: return false
    }
  }

  /// The names a rate expression gives the state: `A_<compartment>` and `C_<compartment>`.
  public static func amountName(_ compartment: String) -> String { "A_\(compartment)" }
  public static func concentrationName(_ compartment: String) -> String { "C_\(compartment)" }
}
