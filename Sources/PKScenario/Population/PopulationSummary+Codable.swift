import PKStatistics

/// Encodes a summary as a shard file holds it: the settings, the shape, the count, the exact
/// sums, the threshold counts and the sketches.
///
/// ```
/// {"settings": {…}, "timeCount": T, "outputCount": O, "effectCount": E, "count": N,
///  "sums": [T·(O+E)], "above": [T·O·H], "sketches": [T·(O+E)]}
/// ```
/// `effectCount` is left out when it is 0, so a summary without effects is encoded as before
/// effects were summarised, and a shard file written then (which has no `effectCount`) reads
/// as a summary without effects. An exact summary (no `sketches`) has empty `sums` and `above`:
/// its rows come from the values kept beside it. Decoding throws `DecodingError.dataCorrupted` when the arrays
/// do not have the lengths the shape gives.
extension PopulationSummary: Codable {
  enum CodingKeys: String, CodingKey {
    case settings, timeCount, outputCount, effectCount, count, sums, above, sketches
  }

  public func encode(to encoder: any Encoder) throws {
    var container = encoder.container(keyedBy: CodingKeys.self)
    try container.encode(settings, forKey: .settings)
    try container.encode(timeCount, forKey: .timeCount)
    try container.encode(outputCount, forKey: .outputCount)
    if effectCount != 0 { try container.encode(effectCount, forKey: .effectCount) }
    try container.encode(count, forKey: .count)
    try container.encode(sums, forKey: .sums)
    try container.encode(above, forKey: .above)
    try container.encodeIfPresent(sketches, forKey: .sketches)
  }

  public init(from decoder: any Decoder) throws {
    let container = try decoder.container(keyedBy: CodingKeys.self)
    settings = try container.decode(SummarySettings.self, forKey: .settings)
    timeCount = try container.decode(Int.self, forKey: .timeCount)
    outputCount = try container.decode(Int.self, forKey: .outputCount)
    effectCount = try container.decodeIfPresent(Int.self, forKey: .effectCount) ?? 0
    count = try container.decode(Int.self, forKey: .count)
    sums = try container.decode([ExactSum].self, forKey: .sums)
    above = try container.decode([Int].self, forKey: .above)
    sketches = try container.decodeIfPresent([DDSketch].self, forKey: .sketches)
    func corrupted(_ key: CodingKeys, _ reason: String) -> DecodingError {
      DecodingError.dataCorruptedError(forKey: key, in: container, debugDescription: reason)
    }
    guard timeCount >= 0, outputCount >= 0, effectCount >= 0, count >= 0 else {
      throw corrupted(.timeCount, "The counts must not be negative.")
    }
    // T·(O + E) and T·O·H, nil on overflow.
    func product(_ a: Int, _ b: Int) -> Int? {
      let (p, overflow) = a.multipliedReportingOverflow(by: b)
      return overflow ? nil : p
    }
    let width = outputCount.addingReportingOverflow(effectCount)
    let cells = width.overflow ? nil : product(timeCount, width.partialValue)
    // Sums and counts are kept in sketch mode only (`PopulationSummary.sums`).
    let kept = sketches != nil
    guard let cells, sums.count == (kept ? cells : 0) else {
      throw corrupted(.sums, "Expected one sum per time and column, got \(sums.count).")
    }
    guard let counts = product(timeCount, outputCount).flatMap({ product($0, settings.thresholds.count) }),
      above.count == (kept ? counts : 0)
    else {
      throw corrupted(.above, "Expected one count per time, output and threshold, got \(above.count).")
    }
    if let sketches, sketches.count != cells {
      throw corrupted(.sketches, "Expected \(cells) sketches, got \(sketches.count).")
    }
  }
}
