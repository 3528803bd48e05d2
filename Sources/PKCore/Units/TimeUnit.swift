/// A unit of time. KetaSim computes in hours; every other unit converts at the edges.
public enum TimeUnit: String, Sendable, CaseIterable, Equatable {
  case second = "s"
  case minute = "min"
  case hour = "h"
  case day = "d"

  /// Hours per unit: t[h] = t[unit] × hours.
  public var hours: Double {
    switch self {
    case .second: return 1.0 / 3600.0
    case .minute: return 1.0 / 60.0
    case .hour: return 1.0
    case .day: return 24.0
    }
  }

  /// Converts `value` in this unit to hours. Divides where the factor is a reciprocal, so that
  /// whole numbers of minutes give the correctly rounded number of hours.
  public func toHours(_ value: Double) -> Double {
    switch self {
    case .second: return value / 3600.0
    case .minute: return value / 60.0
    case .hour: return value
    case .day: return value * 24.0
    }
  }

  /// The symbol written in column names and messages (`h`, `min`, `s`, `d`).
  public var symbol: String { rawValue }
}
