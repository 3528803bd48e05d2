/// A compartment of a model: a named amount of drug, with a volume where it is observed; or a
/// non-drug state (`quantity`), such as the fraction of an enzyme inactivated.
///
/// A quantity starts at 0 (and returns to 0 at a reset), takes no doses, never exchanges with
/// drug compartments and is not part of the mass balance: what leaves it without a `to` goes
/// nowhere (not to the amount eliminated). Its rates are flows with rate expressions, which
/// may be negative (an inflow), e.g. enzyme turnover with mechanism-based inactivation:
/// ```
/// dX/dt = kinact·C/(KI + C)·(1 − X) − kdeg·X      X: fraction inactivated
/// ```
public struct Compartment: Sendable, Equatable {
  /// The name (`central`, `peripheral1`, ...); used in CSV columns as `<name>_<unit>`.
  public var name: String
  /// The name of the parameter giving its volume, if the compartment has one.
  public var volume: String?
  /// The unit of a non-drug state (`fraction`), or nil for an amount of drug in mg.
  public var quantity: String?
  /// The plasma compartment and ke0 of an effect site (a quantity in mg/L), if this is one.
  public var effect: EffectSite?
  /// The compartment whose concentration this state integrates over time (the exact area
  /// under the curve, mg·h/L: dI/dt = A_of/V_of), if this is such a state.
  public var areaOf: String?
  /// The indirect response whose change from baseline, R − R0, this state holds (a quantity
  /// in the response's unit), if this is such a state.
  public var response: IndirectResponse?

  /// The unit of an area state.
  public static let areaUnit = "mg*h/L"

  public init(
    name: String, volume: String? = nil, quantity: String? = nil, effect: EffectSite? = nil,
    areaOf: String? = nil, response: IndirectResponse? = nil
  ) {
    self.name = name
    self.volume = volume
    self.quantity =
      effect != nil ? EffectSite.unit : areaOf != nil ? Self.areaUnit : response?.unit ?? quantity
    self.effect = effect
    self.areaOf = areaOf
    self.response = response
  }

  /// The unit of the state: `mg`, or the quantity's unit.
  public var unit: String { quantity ?? "mg" }
}
