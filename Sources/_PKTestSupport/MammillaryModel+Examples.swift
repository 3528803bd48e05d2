/// Mammillary models with distinct, well-separated exponents, used across the test targets.
///
/// The numbers are of the size of ketamine's disposition in an adult (rapid distribution within
/// minutes, a terminal half-life of hours), in 1/h and L; they are test inputs, not a published
/// model.
extension MammillaryModel {
  /// k10 = 0.45/h, V = 150 L (t½ ≈ 1.5 h).
  public static let oneCompartmentExample = MammillaryModel.oneCompartment(k10: 0.45, volume: 150)

  /// k10 = 1.2/h, k12 = 2.3/h, k21 = 0.9/h, V = 20 L.
  public static let twoCompartmentExample = MammillaryModel.twoCompartment(
    k10: 1.2, k12: 2.3, k21: 0.9, volume: 20)

  /// k10 = 1.1/h, k12 = 3.0/h, k21 = 1.6/h, k13 = 0.7/h, k31 = 0.08/h, V = 15 L.
  public static let threeCompartmentExample = MammillaryModel.threeCompartment(
    k10: 1.1, k12: 3.0, k21: 1.6, k13: 0.7, k31: 0.08, volume: 15)

  /// The three examples, smallest first.
  public static let examples: [MammillaryModel] = [
    oneCompartmentExample, twoCompartmentExample, threeCompartmentExample,
  ]
}
