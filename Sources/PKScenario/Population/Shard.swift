/// One part of a population split for a cluster: shard `index` of `count` (1-based, `3/8`),
/// covering a contiguous range of subjects in ID order.
///
/// ```
/// subjects [⌊(k−1)·N/n⌋, ⌊k·N/n⌋)  of N, for shard k of n
/// ```
/// A Slurm job array (`--shard $SLURM_ARRAY_TASK_ID/$SLURM_ARRAY_TASK_COUNT`) or a Kubernetes
/// indexed Job runs one shard per task; `ketasim merge` puts them back together in shard order.
public struct Shard: Sendable, Equatable, Codable {
  /// k, from 1.
  public var index: Int
  /// n.
  public var count: Int

  public init(index: Int, count: Int) {
    precondition(count >= 1 && (1...count).contains(index), "A shard is k/n with 1 ≤ k ≤ n.")
    self.index = index
    self.count = count
  }

  /// The whole population.
  public static let whole = Shard(index: 1, count: 1)

  /// Reads `K/N`.
  ///
  /// - Throws: `QuantityError` for anything but two whole numbers with 1 ≤ K ≤ N.
  public init(parsing text: String) throws(QuantityError) {
    let parts = text.split(separator: "/", omittingEmptySubsequences: false)
    guard parts.count == 2, let k = Int(parts[0].trimmingCharactersInWhitespace()),
      let n = Int(parts[1].trimmingCharactersInWhitespace())
    else {
      throw QuantityError("expected a shard as K/N, e.g. 3/8, found '\(text)'")
    }
    guard n >= 1 && k >= 1 && k <= n else {
      throw QuantityError(
        "shard \(text) does not exist: K must lie between 1 and N (shards 1/\(max(n, 1)) to \(max(n, 1))/\(max(n, 1)))"
      )
    }
    self.init(index: k, count: n)
  }

  /// The positions (0-based, in ID order) of this shard's subjects among `total`.
  public func range(of total: Int) -> Range<Int> {
    (index - 1) * total / count..<index * total / count
  }

  /// `k/n`.
  public var text: String { "\(index)/\(count)" }
}
