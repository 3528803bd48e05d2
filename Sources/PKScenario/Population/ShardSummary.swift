/// The summary of one shard, as `ketasim run --summary --shard K/N` writes it (JSON): the
/// output times and the mergeable summary (exact sums, counts, sketches).
public struct ShardSummary: Codable, Sendable, Equatable {
  /// The output times, in the metadata's time unit.
  public var times: [Double]
  /// The shard's summary.
  public var summary: PopulationSummary

  public init(times: [Double], summary: PopulationSummary) {
    self.times = times
    self.summary = summary
  }
}
