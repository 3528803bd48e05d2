import PKCore

/// Reads quantities written with their units: `70 kg`, `40 y`, `24h`, `0.5 mg/kg`, `1 mg/kg/h`,
/// `41 µg/kg/min`.
///
/// Units accepted:
/// - time: s, sec, min, minute(s), h, hr, hour(s), d, day(s)
/// - mass: g, mg, µg (also μg, ug, mcg), ng; amounts per kg of body weight: mg/kg, …
/// - rate: mass/time or mass/kg/time (mg/h, mg/kg/h, µg/kg/min)
/// - weight: kg; age: y, yr, year(s), mo, month(s)
public enum QuantityParser {
  /// A dose quantity: an amount or a rate.
  public enum DoseQuantity: Equatable, Sendable {
    case amount(DoseAmount)
    case rate(DoseRate)
  }

  /// Splits "12.5 mg/kg" or "12.5mg/kg" into (12.5, "mg/kg").
  public static func split(_ text: String) throws(QuantityError) -> (value: Double, unit: String) {
    let t = text.trimmingCharactersInWhitespace()
    guard !t.isEmpty else { throw QuantityError("expected a number with a unit, found nothing") }
    var end = t.startIndex
    while end < t.endIndex {
      let c = t[end]
      let isExponent =
        (c == "e" || c == "E") && t.index(after: end) < t.endIndex
        && (t[t.index(after: end)].isNumber || "+-".contains(t[t.index(after: end)]))
        && end > t.startIndex && t[t.index(before: end)].isNumber
      guard c.isASCII && (c.isNumber || c == "." || c == "+" || c == "-" || isExponent) else { break }
      if (c == "+" || c == "-") && end != t.startIndex && !"eE".contains(t[t.index(before: end)]) { break }
      end = t.index(after: end)
    }
    let numberText = t[t.startIndex..<end]
    guard let value = parseNumber(numberText) else {
      throw QuantityError("expected a number with a unit, found '\(t)'")
    }
    let unit = t[end...].trimmingCharactersInWhitespace()
    return (value, unit)
  }

  /// The time unit of a symbol, or nil.
  public static func timeUnit(_ symbol: String) -> TimeUnit? {
    switch symbol.lowercased() {
    case "s", "sec", "secs", "second", "seconds": return .second
    case "min", "mins", "minute", "minutes": return .minute
    case "h", "hr", "hrs", "hour", "hours": return .hour
    case "d", "day", "days": return .day
    default: return nil
    }
  }

  /// The mass unit of a symbol, or nil.
  public static func massUnit(_ symbol: String) -> MassUnit? {
    switch symbol {
    case "g": return .gram
    case "mg": return .milligram
    case "µg", "μg", "ug", "mcg": return .microgram
    case "ng": return .nanogram
    default: return nil
    }
  }

  /// A duration or time point, e.g. `40 min`; returns the value in `unit` and the unit.
  public static func time(_ text: String, what: String = "a time") throws(QuantityError) -> (
    value: Double, unit: TimeUnit
  ) {
    let (value, symbol) = try split(text)
    guard let unit = timeUnit(symbol) else {
      throw QuantityError(
        "expected \(what) with a time unit (h, min, s, d) such as '40 min', found '\(text)'")
    }
    return (value, unit)
  }

  /// A duration in hours that must be above zero.
  public static func positiveDuration(_ text: String, what: String = "a duration") throws(QuantityError)
    -> Double
  {
    let (value, unit) = try time(text, what: what)
    guard value > 0 else { throw QuantityError("expected \(what) above 0, found '\(text)'") }
    return unit.toHours(value)
  }

  /// A dose amount (`2 mg/kg`, `20 mg`) or rate (`1 mg/kg/h`).
  public static func dose(_ text: String) throws(QuantityError) -> DoseQuantity {
    let expected = "an amount such as '20 mg' or '2 mg/kg', or a rate such as '1 mg/kg/h'"
    guard let (value, unit) = try? split(text) else {
      throw QuantityError("expected \(expected), found '\(text)'")
    }
    let parts = unit.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
    guard let first = parts.first, let mass = massUnit(first) else {
      throw QuantityError("expected \(expected), found '\(text)'")
    }
    let mg = value * mass.milligrams
    switch parts.count {
    case 1:
      return .amount(DoseAmount(milligrams: mg))
    case 2 where parts[1] == "kg":
      return .amount(DoseAmount(milligrams: mg, perKilogram: true))
    case 2:
      guard let t = timeUnit(parts[1]) else { throw QuantityError("expected \(expected), found '\(text)'") }
      return .rate(DoseRate(milligramsPerHour: mg / t.hours))
    case 3 where parts[1] == "kg":
      guard let t = timeUnit(parts[2]) else { throw QuantityError("expected \(expected), found '\(text)'") }
      return .rate(DoseRate(milligramsPerHour: mg / t.hours, perKilogram: true))
    default:
      throw QuantityError("expected \(expected), found '\(text)'")
    }
  }

  /// A body weight in kg (`70 kg`), above zero.
  public static func weight(_ text: String) throws(QuantityError) -> Double {
    guard let (value, unit) = try? split(text), unit == "kg" else {
      throw QuantityError("expected a weight in kg such as '70 kg', found '\(text)'")
    }
    guard value > 0 else { throw QuantityError("expected a weight above 0 kg, found '\(text)'") }
    return value
  }

  /// An age in years (`40 y`, `18 mo`), zero or more.
  public static func age(_ text: String) throws(QuantityError) -> Double {
    guard let (value, unit) = try? split(text) else {
      throw QuantityError("expected an age in years such as '40 y', found '\(text)'")
    }
    let years: Double
    switch unit.lowercased() {
    case "y", "yr", "yrs", "year", "years": years = value
    case "mo", "month", "months": years = value / 12
    default: throw QuantityError("expected an age in years such as '40 y', found '\(text)'")
    }
    guard years >= 0 else { throw QuantityError("expected an age of 0 or more, found '\(text)'") }
    return years
  }

  /// A sex, `female` or `male` (also `f`, `m`).
  public static func sex(_ text: String) throws(QuantityError) -> Sex {
    switch text.trimmingCharactersInWhitespace().lowercased() {
    case "female", "f": return .female
    case "male", "m": return .male
    default: throw QuantityError("expected a sex, 'female' or 'male', found '\(text)'")
    }
  }
}
