import PKCore

/// Reads `NAME=VALUE` words, as in `--enzyme CYP3A4=0.2` and `--covariate ASIAN=1`.
public enum AssignmentParser {
  /// Parses `text` into a name and a finite number.
  ///
  /// - Throws: `QuantityError` saying what was found and what was expected.
  public static func parse(_ text: String, example: String) throws(QuantityError) -> (
    name: String, value: Double
  ) {
    let parts = text.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
    guard parts.count == 2 else {
      throw QuantityError("expected NAME=VALUE such as '\(example)', found '\(text)'")
    }
    let name = String(parts[0]).trimmingCharactersInWhitespace()
    guard !name.isEmpty else {
      throw QuantityError("expected a name before '=' in '\(text)', e.g. '\(example)'")
    }
    guard let value = parseNumber(String(parts[1]).trimmingCharactersInWhitespace()) else {
      throw QuantityError("expected a number after '=' in '\(text)', e.g. '\(example)'")
    }
    return (name, value)
  }

  /// Parses an enzyme change `NAME=ACTIVITY`, the activity above 0.
  public static func enzyme(_ text: String) throws(QuantityError) -> EnzymeActivity {
    let (name, value) = try parse(text, example: "CYP3A4=0.2")
    guard value > 0 else {
      throw QuantityError(
        "expected an activity above 0 in '\(text)' (1 normal, 0.2 for 80 % inhibition, 3 for three-fold induction)"
      )
    }
    return EnzymeActivity(enzyme: name, activity: value)
  }
}
