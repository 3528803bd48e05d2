/// Encodes a sketch compactly: its parameters, the zero count, the exact extremes and, per sign,
/// the counts of the buckets from the lowest to the highest nonzero one.
///
/// ```
/// {"mapping": "cubic", "relativeAccuracy": 0.001, "minimumIndexableValue": 2.2250738585072014e-308,
///  "zeroCount": 0, "minimum": 0.12, "maximum": 9.7,
///  "positive": {"offset": -1060, "counts": [1, 0, 2, …]},
///  "negative": {"offset": 0, "counts": []}}
/// ```
/// Bucket `offset + n` holds `counts[n]`. `minimum` and `maximum` are left out while the sketch
/// is empty (they would be infinite, which JSON cannot hold). Decoding rebuilds a sketch that is
/// `==` to the encoded one, and throws `DecodingError.dataCorrupted` for parameters the
/// initialiser would reject, a mapping other than this version's (sketches written before the
/// cubically interpolated index mapping carry none and count different buckets), counts whose total overflows, or missing or disordered extremes.
extension DDSketch: Codable {
  enum CodingKeys: String, CodingKey {
    case mapping, relativeAccuracy, minimumIndexableValue, zeroCount, minimum, maximum, positive, negative
  }

  enum StoreCodingKeys: String, CodingKey {
    case offset, counts
  }

  public func encode(to encoder: any Encoder) throws {
    var container = encoder.container(keyedBy: CodingKeys.self)
    try container.encode(Self._mappingName, forKey: .mapping)
    try container.encode(relativeAccuracy, forKey: .relativeAccuracy)
    try container.encode(minimumIndexableValue, forKey: .minimumIndexableValue)
    try container.encode(_zeroCount, forKey: .zeroCount)
    if !isEmpty {
      try container.encode(_minimum, forKey: .minimum)
      try container.encode(_maximum, forKey: .maximum)
    }
    for (store, key) in [(_positive, CodingKeys.positive), (_negative, .negative)] {
      var nested = container.nestedContainer(keyedBy: StoreCodingKeys.self, forKey: key)
      if store.isEmpty {
        try nested.encode(0, forKey: .offset)
        try nested.encode([UInt64](), forKey: .counts)
      } else {
        try nested.encode(store.minIndex, forKey: .offset)
        let first = store.minIndex - store.offset
        let last = store.maxIndex - store.offset
        try nested.encode(Array(store.counts[first...last]), forKey: .counts)
      }
    }
  }

  public init(from decoder: any Decoder) throws {
    let container = try decoder.container(keyedBy: CodingKeys.self)
    func corrupted(_ key: CodingKeys, _ reason: String) -> DecodingError {
      DecodingError.dataCorruptedError(forKey: key, in: container, debugDescription: reason)
    }
    let mapping = try container.decodeIfPresent(String.self, forKey: .mapping)
    guard mapping == Self._mappingName else {
      throw corrupted(
        .mapping,
        "The sketch uses the index mapping \(mapping.map { "'\($0)'" } ?? "of an older ketasim (none named)"), not '\(Self._mappingName)'; write it again with this version."
      )
    }
    let alpha = try container.decode(Double.self, forKey: .relativeAccuracy)
    guard alpha > 0 && alpha < 1 && (1 + alpha) / (1 - alpha) > 1 else {
      throw corrupted(.relativeAccuracy, "The relative accuracy must lie in (0, 1), got \(alpha).")
    }
    let floor = try container.decode(Double.self, forKey: .minimumIndexableValue)
    guard floor.isFinite && floor >= .leastNormalMagnitude else {
      throw corrupted(
        .minimumIndexableValue,
        "The minimum indexable value must be finite and at least \(Double.leastNormalMagnitude), got \(floor)."
      )
    }
    self.init(relativeAccuracy: alpha, minimumIndexableValue: floor)
    _zeroCount = try container.decode(UInt64.self, forKey: .zeroCount)
    for key in [CodingKeys.positive, .negative] {
      let nested = try container.nestedContainer(keyedBy: StoreCodingKeys.self, forKey: key)
      let offset = try nested.decode(Int.self, forKey: .offset)
      let counts = try nested.decode([UInt64].self, forKey: .counts)
      var store = Store()
      if !counts.isEmpty {
        guard offset.addingReportingOverflow(counts.count).overflow == false else {
          throw corrupted(key, "Bucket offset \(offset) plus \(counts.count) counts overflows.")
        }
        var total: UInt64 = 0
        for c in counts {
          let (sum, overflow) = total.addingReportingOverflow(c)
          guard !overflow else { throw corrupted(key, "The bucket counts overflow UInt64.") }
          total = sum
        }
        if total > 0 {
          let first = counts.firstIndex { $0 != 0 }!
          let last = counts.lastIndex { $0 != 0 }!
          store.offset = offset
          store.counts = counts
          store.total = total
          store.minIndex = offset + first
          store.maxIndex = offset + last
        }
      }
      if key == .positive { _positive = store } else { _negative = store }
    }
    let (partial, overflow1) = _positive.total.addingReportingOverflow(_negative.total)
    let (total, overflow2) = partial.addingReportingOverflow(_zeroCount)
    guard !overflow1 && !overflow2 && total <= UInt64(Int.max) else {
      throw corrupted(.zeroCount, "The total count overflows.")
    }
    if total > 0 {
      let minimum = try container.decode(Double.self, forKey: .minimum)
      let maximum = try container.decode(Double.self, forKey: .maximum)
      guard minimum.isFinite && maximum.isFinite && minimum <= maximum else {
        throw corrupted(
          .minimum, "The extremes must be finite with minimum ≤ maximum, got \(minimum), \(maximum).")
      }
      _minimum = minimum == 0 ? 0 : minimum
      _maximum = maximum == 0 ? 0 : maximum
    }
  }
}

extension DDSketch {
  /// The name of the index mapping in the encoding: buckets of one mapping mean nothing in
  /// another.
  static let _mappingName = "cubic"
}
