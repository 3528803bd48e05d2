import PKStatistics

/// How the covariate of a generated subject is drawn: a fixed value, a normal distribution
/// truncated to a range, a uniform range, or (for sex) a fraction of women.
///
/// ```
/// normal:    x ~ N(μ, σ²) restricted to [lower, upper] (by redrawing)
/// uniform:   x ~ U(lower, upper)
/// female:    SEX = 1 with probability p, else 0
/// ```
/// Draws come from the subject's own random stream, so a subject's covariates depend only on
/// the seed and its ID.
public enum CovariateDistribution: Sendable, Equatable {
  /// Every subject gets this value.
  case fixed(Double)
  /// Normal with mean and standard deviation, restricted to [lower, upper].
  case normal(mean: Double, sd: Double, lower: Double, upper: Double)
  /// Uniform between lower and upper.
  case uniform(lower: Double, upper: Double)
  /// 1 (female) with probability p, else 0 (male).
  case female(probability: Double)

  /// The most draws of a truncated normal before giving up: a range that keeps less than about
  /// 0.1 % of the distribution is an input mistake, not something to wait for.
  public static let drawLimit = 10_000

  /// Draws a value. Returns nil when a truncated normal found no value in its range within
  /// `drawLimit` draws.
  public func draw(from stream: inout RandomStream) -> Double? {
    switch self {
    case .fixed(let v):
      return v
    case .normal(let mean, let sd, let lower, let upper):
      for _ in 0..<Self.drawLimit {
        let x = mean + sd * stream.normal()
        if x >= lower && x <= upper { return x }
      }
      return nil
    case .uniform(let lower, let upper):
      return lower + (upper - lower) * stream.uniform()
    case .female(let p):
      return stream.uniform() < p ? 1 : 0
    }
  }

  /// In words, for the metadata.
  public var summary: String {
    switch self {
    case .fixed(let v): return "fixed \(v)"
    case .normal(let m, let s, let lo, let hi):
      return "normal(mean \(m), sd \(s)) truncated to [\(lo), \(hi)]"
    case .uniform(let lo, let hi): return "uniform(\(lo), \(hi))"
    case .female(let p): return "female with probability \(p)"
    }
  }
}
