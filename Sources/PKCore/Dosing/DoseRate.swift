/// A zero-order infusion rate, absolute (mg/h) or per kg of body weight (mg/kg/h).
public struct DoseRate: Sendable, Equatable {
  /// The rate in mg/h, or in mg/kg/h when `perKilogram`.
  public var milligramsPerHour: Double
  /// Whether the rate is per kg of total body weight.
  public var perKilogram: Bool

  public init(milligramsPerHour: Double, perKilogram: Bool = false) {
    self.milligramsPerHour = milligramsPerHour
    self.perKilogram = perKilogram
  }

  /// The absolute rate (mg/h) for a subject.
  public func resolved(for subject: Subject) throws(ModelError) -> Double {
    guard perKilogram else { return milligramsPerHour }
    guard let weight = subject.weight else {
      throw .missingCovariate(name: "weight", reason: "an infusion rate is given per kg")
    }
    return milligramsPerHour * weight
  }
}
