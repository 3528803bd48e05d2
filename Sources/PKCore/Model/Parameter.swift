/// A model parameter: a published value with its unit and provenance, or an expression over
/// other parameters, covariates and data-set columns (NONMEM's $PK block).
///
/// ```
/// CL = 90 L/h                          (value, as published)
/// CLi = CL * (WT / 70) ^ 0.75          (expression, in the unit of `unit`)
/// ```
/// Expressions compute with every value as written in its own unit (as NONMEM does); the
/// parameter's `unit` then says what the result means, and `factor` converts it to KetaSim's
/// canonical units (L, L/h, 1/h, h, mg/h) where the engine uses it.
public struct Parameter: Sendable, Equatable {
  /// What a parameter measures, and so its canonical unit.
  public enum Dimension: String, Sendable, Equatable {
    /// Volume, canonical unit L.
    case volume
    /// Clearance or inter-compartmental clearance, canonical unit L/h.
    case clearance
    /// First-order rate constant, canonical unit 1/h.
    case rateConstant
    /// A time (lag time, infusion duration), canonical unit h.
    case time
    /// An amount per time (a modelled infusion rate, a Vmax), canonical unit mg/h.
    case amountRate
    /// A concentration (a Km), canonical unit mg/L.
    case concentration
    /// A pure number (exponent, bioavailability, which may exceed 1).
    case dimensionless
    /// A fraction between 0 and 1 (a formation fraction, a fraction absorbed); a value outside
    /// [0, 1] is an error naming the parameter.
    case fraction

    /// The dimension in words, for messages.
    public var words: String {
      switch self {
      case .volume: return "volume"
      case .clearance: return "clearance"
      case .rateConstant: return "rate constant"
      case .time: return "time"
      case .amountRate: return "amount per time"
      case .concentration: return "concentration"
      case .dimensionless: return "pure number"
      case .fraction: return "fraction"
      }
    }

    /// The canonical unit's symbol.
    public var canonicalUnit: String {
      switch self {
      case .volume: return "L"
      case .clearance: return "L/h"
      case .rateConstant: return "1/h"
      case .time: return "h"
      case .amountRate: return "mg/h"
      case .concentration: return "mg/L"
      case .dimensionless: return "1"
      case .fraction: return "fraction"
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

  /// How the parameter's value is obtained.
  public enum Definition: Sendable, Equatable {
    /// A constant, as published, in the parameter's unit.
    case value(Double)
    /// An expression, with the text it was parsed from.
    case expression(Expression, text: String)
  }

  /// The name used in the model (NONMEM style: `V1`, `CL`, `k12`, `F2`, `ALAG2`).
  public var name: String
  /// The value or expression.
  public var definition: Definition
  /// The unit of the value (e.g. `L/kg`, `1/min`, `L/h`).
  public var unit: String
  /// What the parameter means.
  public var description: String
  /// Where the value comes from.
  public var provenance: Provenance
  /// What the parameter measures.
  public var dimension: Dimension
  /// Canonical units per unit of the parameter (e.g. 60 for 1/min → 1/h).
  public var factor: Double
  /// Whether the unit is per kg of body weight (such a value enters the model through an
  /// expression such as `V1KG * WT`, never directly as a volume or clearance).
  public var perKilogram: Bool
  /// The enzymes behind this (intrinsic or metabolic) clearance, if the model names them.
  public var pathway: EnzymePathway?

  public init(
    name: String, definition: Definition, unit: String, description: String,
    provenance: Provenance, dimension: Dimension, factor: Double, perKilogram: Bool = false,
    pathway: EnzymePathway? = nil
  ) {
    self.name = name
    self.definition = definition
    self.unit = unit
    self.description = description
    self.provenance = provenance
    self.dimension = dimension
    self.factor = factor
    self.perKilogram = perKilogram
    self.pathway = pathway
  }

  /// A constant parameter.
  public init(
    name: String, value: Double, unit: String, description: String, provenance: Provenance,
    dimension: Dimension, factor: Double, perKilogram: Bool = false
  ) {
    self.init(
      name: name, definition: .value(value), unit: unit, description: description,
      provenance: provenance, dimension: dimension, factor: factor, perKilogram: perKilogram)
  }

  /// The constant value, or nil for an expression.
  public var value: Double? {
    if case .value(let v) = definition { return v }
    return nil
  }

  /// The expression to evaluate: the constant as a number, or the parsed expression, scaled
  /// by the enzyme activities of its pathway when it has one.
  public var expression: Expression {
    let e: Expression
    switch definition {
    case .value(let v): e = .number(v)
    case .expression(let x, _): e = x
    }
    return pathway?.scaling(e) ?? e
  }
}
