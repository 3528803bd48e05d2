/// What a population summary reports and how: the percentiles, whether they are exact or from
/// a quantile sketch, and the thresholds whose exceedance is counted.
public struct SummarySettings: Sendable, Equatable, Codable {
  /// The percentiles, each in (0, 100), in the order of the columns.
  public var percentiles: [Double]
  /// Up to this many subjects the percentiles are exact (every value kept and sorted); above
  /// it, and always for shards, a DDSketch with relative accuracy `relativeAccuracy`.
  public var exactLimit: Int
  /// The sketch's relative accuracy α (0.001: every percentile within 0.1 % of a value of
  /// the population at that rank).
  public var relativeAccuracy: Double
  /// Concentrations (ng/mL) whose exceedance fraction is reported per time point.
  public var thresholds: [Double]

  /// The default percentiles: 5, 25, 50, 75, 95.
  public static let defaultPercentiles: [Double] = [5, 25, 50, 75, 95]
  /// The default exact limit: 100,000 subjects.
  public static let defaultExactLimit = 100_000
  /// The default relative accuracy of the sketch: 0.1 %.
  public static let defaultRelativeAccuracy = 0.001

  public init(
    percentiles: [Double] = SummarySettings.defaultPercentiles,
    exactLimit: Int = SummarySettings.defaultExactLimit,
    relativeAccuracy: Double = SummarySettings.defaultRelativeAccuracy, thresholds: [Double] = []
  ) {
    precondition(percentiles.allSatisfy { $0 > 0 && $0 < 100 }, "Percentiles lie in (0, 100).")
    self.percentiles = percentiles
    self.exactLimit = exactLimit
    self.relativeAccuracy = relativeAccuracy
    self.thresholds = thresholds
  }

  /// The column suffix of percentile p: `p5`, `p97.5`.
  public static func suffix(_ p: Double) -> String {
    p == p.rounded() ? "p\(Int(p))" : "p\(p)"
  }

  /// The column suffix of threshold c (ng/mL): `above_750`.
  public static func thresholdSuffix(_ c: Double) -> String {
    c == c.rounded() && abs(c) < 1e15 ? "above_\(Int64(c))" : "above_\(c)"
  }
}
