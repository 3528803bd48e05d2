import PKCore

/// Reads a dosing regimen written in words, the grammar shared by `--dose` and scenario files
/// (in the spirit of mrgsolve's `ev_rx`):
///
/// ```
/// regimen  := dose [route] clause*
/// dose     := NUMBER UNIT                    amount (mg, mg/kg, µg …) or rate (mg/h, mg/kg/h …)
/// clause   := "over" DURATION                 an amount infused over DURATION
///           | "for" DURATION                  a rate kept for DURATION
///           | "at" TIME                       start time (default 0)
///           | "every" INTERVAL "x" COUNT      repeat COUNT times in all
/// route    := "iv" | "im" | "nasal" | "oral" | "sublingual" | "rectal"      (default iv)
///             (also "intravenous", "intramuscular", "intranasal", "po", "sl", "pr")
/// ```
///
/// Examples: `2 mg/kg iv`, `0.5 mg/kg iv over 40 min`, `1 mg/kg/h iv for 60 min`,
/// `0.35 mg/kg/h iv for 4 h every 24 h x 3`, `20 mg iv at 6 h`, `56 mg nasal`,
/// `0.5 mg/kg im`, `50 mg sublingual every 8 h x 6`.
public enum RegimenParser {
  /// Parses one regimen.
  ///
  /// - Throws: `QuantityError` saying which word was found and what was expected.
  public static func parse(_ text: String) throws(QuantityError) -> Dose {
    var tokens = _tokens(text)
    guard !tokens.isEmpty else { throw QuantityError("expected a dose such as '2 mg/kg iv', found nothing") }
    var i = 0
    let doseText = _quantityText(&tokens, &i)
    let quantity = try QuantityParser.dose(doseText)
    var route: Route?
    var over: Double?
    var forDuration: Double?
    var at: Double?
    var every: Double?
    var count: Int?
    func once<T>(_ value: T?, _ word: String) throws(QuantityError) {
      if value != nil { throw QuantityError("'\(word)' appears twice in '\(text)'") }
    }
    while i < tokens.count {
      let word = tokens[i].lowercased()
      i += 1
      func next(_ what: String) throws(QuantityError) -> String {
        guard i < tokens.count else {
          throw QuantityError("expected \(what) after '\(word)', found the end of '\(text)'")
        }
        return _quantityText(&tokens, &i)
      }
      switch word {
      case "over":
        try once(over, word)
        over = try QuantityParser.positiveDuration(try next("a duration"), what: "a duration after 'over'")
      case "for":
        try once(forDuration, word)
        forDuration = try QuantityParser.positiveDuration(
          try next("a duration"), what: "a duration after 'for'")
      case "at":
        try once(at, word)
        let (v, u) = try QuantityParser.time(try next("a time"), what: "a time after 'at'")
        guard v >= 0 else {
          throw QuantityError("expected a time of 0 or later after 'at', found '\(v) \(u.symbol)'")
        }
        at = u.toHours(v)
      case "every":
        try once(every, word)
        every = try QuantityParser.positiveDuration(
          try next("an interval"), what: "an interval after 'every'")
      case "x", "×", "times":
        try once(count, word)
        let c = try next("a count")
        guard let n = Int(c), n >= 1 else {
          throw QuantityError("expected a whole number of doses (1 or more) after '\(word)', found '\(c)'")
        }
        count = n
      default:
        if word.hasPrefix("x") || word.hasPrefix("×"), let n = Int(word.dropFirst()) {
          try once(count, "x")
          guard n >= 1 else {
            throw QuantityError("expected a whole number of doses (1 or more) after 'x', found '\(n)'")
          }
          count = n
        } else if _otherRoutes.contains(word) {
          throw QuantityError(
            "route '\(word)' is not simulated by KetaSim; routes: "
              + Route.allCases.map(\.rawValue).joined(separator: ", "))
        } else if let r = Route(word: word) {
          try once(route, "route")
          route = r
        } else {
          throw QuantityError(
            "unknown word '\(tokens[i - 1])' in '\(text)'; expected a route ("
              + Route.allCases.map(\.rawValue).joined(separator: ", ")
              + ") or one of: over DURATION, for DURATION, at TIME, every INTERVAL x COUNT")
        }
      }
    }
    if every != nil && count == nil {
      throw QuantityError("'every' needs a count of doses, e.g. 'every 24 h x 3'")
    }
    if count != nil && every == nil && count! > 1 {
      throw QuantityError("a count of \(count!) doses needs an interval, e.g. 'every 24 h x \(count!)'")
    }
    let delivery: Dose.Delivery
    switch quantity {
    case .amount(let amount):
      guard amount.milligrams > 0 else { throw QuantityError("expected a dose above 0, found '\(doseText)'") }
      if forDuration != nil {
        throw QuantityError(
          "'for' goes with a rate such as '1 mg/kg/h'; an amount such as '\(doseText)' is infused 'over' a duration"
        )
      }
      delivery = over.map { .infusion(amount, hours: $0) } ?? .bolus(amount)
    case .rate(let rate):
      guard rate.milligramsPerHour > 0 else {
        throw QuantityError("expected a rate above 0, found '\(doseText)'")
      }
      if over != nil {
        throw QuantityError(
          "'over' goes with an amount such as '20 mg'; a rate such as '\(doseText)' is kept 'for' a duration")
      }
      guard let d = forDuration else {
        throw QuantityError(
          "a rate such as '\(doseText)' needs a duration, e.g. '\(doseText) for 60 min'; a bolus needs an amount such as '20 mg'"
        )
      }
      delivery = .infusionAtRate(rate, hours: d)
    }
    return Dose(time: at ?? 0, route: route ?? .iv, delivery: delivery, interval: every, count: count ?? 1)
  }

  /// Route names of the field that KetaSim does not simulate.
  static let _otherRoutes: Set<String> = ["sc", "subcutaneous", "buccal", "transdermal", "epidural"]

  /// Whitespace-separated words.
  static func _tokens(_ text: String) -> [String] {
    text.split(whereSeparator: { $0.isWhitespace || $0 == "," }).map(String.init)
  }

  /// Reads a quantity that may be written as one word (`40min`) or two (`40 min`).
  static func _quantityText(_ tokens: inout [String], _ i: inout Int) -> String {
    let t = tokens[i]
    i += 1
    if parseNumber(t) != nil, i < tokens.count, parseNumber(tokens[i]) == nil,
      !["over", "for", "at", "every", "x", "×", "times"].contains(tokens[i].lowercased()),
      Route(word: tokens[i]) == nil
    {
      i += 1
      return t + " " + tokens[i - 1]
    }
    return t
  }
}
