extension MammillaryModel {
  /// The exchange between the central compartment and one peripheral compartment.
  public struct Peripheral: Sendable, Equatable {
    /// k1p, central → peripheral (1/h).
    public var fromCentral: Double
    /// kp1, peripheral → central (1/h).
    public var toCentral: Double

    public init(fromCentral: Double, toCentral: Double) {
      precondition(fromCentral >= 0 && toCentral > 0, "A peripheral needs k1p ≥ 0 and kp1 > 0.")
      self.fromCentral = fromCentral
      self.toCentral = toCentral
    }
  }
}
