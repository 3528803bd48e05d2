extension QuantityParser {
  /// A concentration in ng/mL, from `750ng/mL`, `0.75 µg/mL`, `0.75 mg/L`, `750 µg/L` or
  /// `3.15 µM` of ketamine (237.73 g/mol: 1 µmol/L = 237.73 ng/mL).
  ///
  /// - Throws: `QuantityError` for a missing or unknown unit, or a value below 0.
  public static func concentration(_ text: String) throws(QuantityError) -> Double {
    let (value, unit) = try split(text)
    let factors: [String: Double] = [
      "ng/ml": 1, "µg/l": 1, "μg/l": 1, "ug/l": 1, "mcg/l": 1,
      "µg/ml": 1000, "μg/ml": 1000, "ug/ml": 1000, "mcg/ml": 1000, "mg/l": 1000,
      "nm": 0.23773, "µm": 237.73, "μm": 237.73, "um": 237.73,
    ]
    guard let factor = factors[unit.lowercased()] else {
      throw QuantityError(
        "expected a concentration with its unit (ng/mL, µg/mL, mg/L, µg/L or µM of ketamine), found '\(text)'"
      )
    }
    guard value >= 0 else { throw QuantityError("expected a concentration of 0 or more, found '\(text)'") }
    return value * factor
  }
}
