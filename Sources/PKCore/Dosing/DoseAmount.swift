/// An amount of drug, absolute (mg) or per kg of body weight (mg/kg).
public struct DoseAmount: Sendable, Equatable {
  /// The amount in mg, or in mg/kg when `perKilogram`.
  public var milligrams: Double
  /// Whether the amount is per kg of total body weight.
  public var perKilogram: Bool

  public init(milligrams: Double, perKilogram: Bool = false) {
    self.milligrams = milligrams
    self.perKilogram = perKilogram
  }

  /// The absolute amount (mg) for a subject.
  /// - Throws: `ModelError.missingCovariate` for a per-kg amount without a weight.
  public func resolved(for subject: Subject) throws(ModelError) -> Double {
    guard perKilogram else { return milligrams }
    guard let weight = subject.weight else {
      throw .missingCovariate(name: "weight", reason: "a dose is given per kg")
    }
    return milligrams * weight
  }
}
