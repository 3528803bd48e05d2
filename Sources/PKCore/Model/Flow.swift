/// A first-order transfer of drug out of a compartment, into another or out of the body.
///
/// ```
/// rate (amount/time) = k · A_from,   with k = parameter (rate constant)
///                                    or   k = CL / V_from (clearance)
/// ```
public struct Flow: Sendable, Equatable {
  /// How the flow is parameterised.
  public enum Kind: Sendable, Equatable {
    /// A micro-constant k (1/time), e.g. k12.
    case rateConstant
    /// A clearance (volume/time), divided by the volume of `from`.
    case clearance
  }

  /// The compartment drug leaves.
  public var from: String
  /// The compartment drug enters, or nil for elimination from the body.
  public var to: String?
  /// The parameter giving the rate constant or clearance.
  public var parameter: String
  /// How `parameter` is read.
  public var kind: Kind

  public init(from: String, to: String?, parameter: String, kind: Kind) {
    self.from = from
    self.to = to
    self.parameter = parameter
    self.kind = kind
  }
}
