/// A unit of drug mass. KetaSim computes amounts in mg.
public enum MassUnit: String, Sendable, CaseIterable, Equatable {
  case gram = "g"
  case milligram = "mg"
  case microgram = "µg"
  case nanogram = "ng"

  /// Milligrams per unit.
  public var milligrams: Double {
    switch self {
    case .gram: return 1000
    case .milligram: return 1
    case .microgram: return 1e-3
    case .nanogram: return 1e-6
    }
  }
}
