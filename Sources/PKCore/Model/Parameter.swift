/// A model parameter as published, with its unit, provenance and covariate scaling.
///
/// The typical value for a subject is
/// ```
/// P = value × factor × (WT)          when perKilogram (linear in total body weight)
/// P = value × factor × (WT / WTref)^e when scaled allometrically
/// ```
/// where `factor` converts the published unit to KetaSim's canonical one (L, L/h, 1/h).
public struct Parameter: Sendable, Equatable {
  /// What a parameter measures, and so its canonical unit.
  public enum Dimension: String, Sendable, Equatable {
    /// Volume, canonical unit L.
    case volume
    /// Clearance or inter-compartmental clearance, canonical unit L/h.
    case clearance
    /// First-order rate constant, canonical unit 1/h.
    case rateConstant
    /// A pure number (fraction, exponent).
    case dimensionless

    /// The dimension in words, for messages.
    public var words: String {
      switch self {
      case .volume: return "volume"
      case .clearance: return "clearance"
      case .rateConstant: return "rate constant"
      case .dimensionless: return "pure number"
      }
    }

    /// The canonical unit's symbol.
    public var canonicalUnit: String {
      switch self {
      case .volume: return "L"
      case .clearance: return "L/h"
      case .rateConstant: return "1/h"
      case .dimensionless: return "1"
      }
    }
  }

  /// Where the number comes from (the reference file's provenance marks P, C, D).
  public enum Provenance: String, Sendable, Equatable, CaseIterable {
    /// Printed in the paper's abstract or tables.
    case printed
    /// Transcribed from the paper by a public implementation, not checked against the paper.
    case transcribed
    /// Derived by arithmetic from printed or transcribed values.
    case derived
  }

  /// Allometric scaling by body weight: × (WT / referenceWeight)^exponent.
  public struct WeightScaling: Sendable, Equatable {
    /// The exponent e (1 for linear scaling, 0.75 for clearances by allometry).
    public var exponent: Double
    /// The reference weight WTref (kg), usually 70.
    public var referenceWeight: Double
    public init(exponent: Double, referenceWeight: Double) {
      self.exponent = exponent
      self.referenceWeight = referenceWeight
    }
  }

  /// The name used in the model (NONMEM style: `V1`, `CL`, `k12`).
  public var name: String
  /// The value as published, in `unit`.
  public var value: Double
  /// The unit as published (e.g. `L/kg`, `1/min`, `L/h`).
  public var unit: String
  /// What the parameter means.
  public var description: String
  /// Where the value comes from.
  public var provenance: Provenance
  /// What the parameter measures.
  public var dimension: Dimension
  /// Canonical units per published unit (e.g. 60 for 1/min → 1/h).
  public var factor: Double
  /// Whether the published unit is per kg of total body weight.
  public var perKilogram: Bool
  /// Allometric weight scaling, if any.
  public var weightScaling: WeightScaling?

  public init(
    name: String, value: Double, unit: String, description: String, provenance: Provenance,
    dimension: Dimension, factor: Double, perKilogram: Bool = false, weightScaling: WeightScaling? = nil
  ) {
    self.name = name
    self.value = value
    self.unit = unit
    self.description = description
    self.provenance = provenance
    self.dimension = dimension
    self.factor = factor
    self.perKilogram = perKilogram
    self.weightScaling = weightScaling
  }
}
