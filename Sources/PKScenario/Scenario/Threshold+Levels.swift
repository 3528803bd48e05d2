extension Threshold {
  /// The concentrations measured (ng/mL): c for a level, low then high for a landmark.
  public var concentrations: [Double] {
    switch self {
    case .level(let c): return [c]
    case .landmark(let l): return [l.low, l.high]
    }
  }

  /// The metric-name stem of each concentration, numbers written by `format`: `750` for a level,
  /// `awakening_low_640` and `awakening_high_750` for a landmark (rows `time_above_<stem>` and
  /// `falls_below_<stem>`).
  public func stems(_ format: (Double) -> String) -> [String] {
    switch self {
    case .level(let c): return [format(c)]
    case .landmark(let l): return ["\(l.name)_low_\(format(l.low))", "\(l.name)_high_\(format(l.high))"]
    }
  }

  /// What each concentration is, for a metric's method column: `750 ng/mL`, or `640 ng/mL (the
  /// low edge of awakening; 640-750 ng/mL)`.
  public func phrases(_ format: (Double) -> String) -> [String] {
    switch self {
    case .level(let c): return ["\(format(c)) ng/mL"]
    case .landmark(let l):
      let band = "\(l.name): \(format(l.low))-\(format(l.high)) ng/mL"
      return [
        "\(format(l.low)) ng/mL (the low edge of \(band))",
        "\(format(l.high)) ng/mL (the high edge of \(band))",
      ]
    }
  }
}
