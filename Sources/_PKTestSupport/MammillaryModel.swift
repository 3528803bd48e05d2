/// A 1-, 2- or 3-compartment mammillary model in micro-constants, for reference solutions.
///
/// ```
/// dA₁/dt = −(k10 + Σ_p k1p)·A₁ + Σ_p kp1·A_p + u(t)
/// dA_p/dt =  k1p·A₁ − kp1·A_p                     (p = 2, 3)
/// C = A₁ / V
/// ```
///
/// The closed-form solutions (`MammillaryModel+ClosedForm.swift`) are written from the textbook
/// formulas and use neither the engine nor LAPACK, so that they are an independent check of both.
///
/// Reference: M. Gibaldi, D. Perrier, *Pharmacokinetics*, 2nd ed., Marcel Dekker, 1982,
/// chapters 1 (one-compartment), 2 (multicompartment) and 3 (multiple dosing).
public struct MammillaryModel: Sendable, Equatable {
  /// k10, elimination from the central compartment (1/h).
  public var k10: Double
  /// V, the central volume (L).
  public var volume: Double
  /// The peripheral compartments (none, one or two).
  public var peripherals: [Peripheral]

  public init(k10: Double, volume: Double, peripherals: [Peripheral] = []) {
    precondition(k10 > 0 && volume > 0, "A mammillary model needs k10 > 0 and V > 0.")
    precondition(peripherals.count <= 2, "Closed forms exist here for up to 3 compartments.")
    self.k10 = k10
    self.volume = volume
    self.peripherals = peripherals
  }

  /// A 1-compartment model: C = D/V · e^{−k10 t}.
  public static func oneCompartment(k10: Double, volume: Double) -> MammillaryModel {
    MammillaryModel(k10: k10, volume: volume)
  }

  /// A 2-compartment model with micro-constants k10, k12, k21 (1/h) and central volume V (L).
  public static func twoCompartment(
    k10: Double, k12: Double, k21: Double, volume: Double
  ) -> MammillaryModel {
    MammillaryModel(
      k10: k10, volume: volume, peripherals: [.init(fromCentral: k12, toCentral: k21)])
  }

  /// A 3-compartment model with micro-constants k10, k12, k21, k13, k31 (1/h) and central volume V (L).
  public static func threeCompartment(
    k10: Double, k12: Double, k21: Double, k13: Double, k31: Double, volume: Double
  ) -> MammillaryModel {
    MammillaryModel(
      k10: k10, volume: volume,
      peripherals: [
        .init(fromCentral: k12, toCentral: k21), .init(fromCentral: k13, toCentral: k31),
      ])
  }

  /// The number of compartments (1 + peripherals).
  public var compartmentCount: Int { 1 + peripherals.count }
}
