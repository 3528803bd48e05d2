import PKCore

/// Reads the unit of a model parameter and gives its dimension and the factor to KetaSim's
/// canonical units (L, L/h, 1/h).
///
/// Accepted: volumes L, mL (optionally /kg); clearances L/h, L/min, mL/min, mL/h
/// (optionally with /kg before or after the time, e.g. L/h/kg or mL/min/kg); rate constants
/// 1/h, 1/min, 1/s (also written /h, /min, h-1, min-1); times h, min, s (lag times, durations);
/// amount rates mg/h, mg/min, µg/min (modelled infusion rates, Vmax); concentrations mg/L,
/// µg/mL, ng/mL (Km); dimensionless `1`, `fraction`.
public enum ParameterUnitParser {
  /// The parsed unit.
  public struct ParsedUnit: Equatable, Sendable {
    public var dimension: Parameter.Dimension
    public var factor: Double
    public var perKilogram: Bool
  }

  /// Parses `unit`; throws a `QuantityError` listing the accepted units.
  public static func parse(_ unit: String) throws(QuantityError) -> ParsedUnit {
    let u = unit.trimmingCharactersInWhitespace()
    switch u {
    case "1", "-", "": return ParsedUnit(dimension: .dimensionless, factor: 1, perKilogram: false)
    case "fraction": return ParsedUnit(dimension: .fraction, factor: 1, perKilogram: false)
    case "mg/L", "µg/mL", "ug/mL", "mcg/mL":
      return ParsedUnit(dimension: .concentration, factor: 1, perKilogram: false)
    case "ng/mL", "µg/L", "ug/L":
      return ParsedUnit(dimension: .concentration, factor: 1e-3, perKilogram: false)
    default: break
    }
    for prefix in ["1/", "/"] where u.hasPrefix(prefix) {
      if let t = QuantityParser.timeUnit(String(u.dropFirst(prefix.count))) {
        return ParsedUnit(dimension: .rateConstant, factor: 1 / t.hours, perKilogram: false)
      }
    }
    if u.hasSuffix("-1"), let t = QuantityParser.timeUnit(String(u.dropLast(2))) {
      return ParsedUnit(dimension: .rateConstant, factor: 1 / t.hours, perKilogram: false)
    }
    if let t = QuantityParser.timeUnit(u) {
      return ParsedUnit(dimension: .time, factor: t.hours, perKilogram: false)
    }
    let massParts = u.split(separator: "/").map(String.init)
    if massParts.count == 2, let m = QuantityParser.massUnit(massParts[0]),
      let t = QuantityParser.timeUnit(massParts[1])
    {
      return ParsedUnit(dimension: .amountRate, factor: m.milligrams / t.hours, perKilogram: false)
    }
    var parts = u.split(separator: "/").map(String.init)
    var perKg = false
    if let k = parts.firstIndex(of: "kg"), k > 0 {
      perKg = true
      parts.remove(at: k)
    }
    let volume: Double? =
      switch parts.first {
      case "L": 1
      case "mL", "ml": 1e-3
      default: nil
      }
    if let volume {
      if parts.count == 1 { return ParsedUnit(dimension: .volume, factor: volume, perKilogram: perKg) }
      if parts.count == 2, let t = QuantityParser.timeUnit(parts[1]) {
        return ParsedUnit(dimension: .clearance, factor: volume / t.hours, perKilogram: perKg)
      }
    }
    throw QuantityError(
      "expected a parameter unit (L, mL, L/kg; L/h, L/min, mL/min/kg; 1/h, 1/min; h, min; mg/h; 1), found '\(unit)'"
    )
  }
}
