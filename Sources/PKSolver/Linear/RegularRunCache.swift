import Synchronization

#if canImport(Glibc)
  import Glibc
#elseif canImport(Musl)
  import Musl
#else
  import Darwin
#endif

/// Where runs of equally spaced output times end, remembered across the `ExactLinearStepper`s
/// that share one output grid, so that the clock of a run is walked once for all of them.
///
/// ```
/// (t, δ, h, offset, targets[k..<K]) ↦ (last, t′, δ′)
/// t, δ: the clock and its carried rounding;  h: the cached step;  last: the first target that
/// does not lie one step h after the one before;  t′, δ′: the clock after target last − 1
/// ```
/// Walking the clock (one TwoSum and two comparisons per output) costs as much as the
/// propagation itself on a small model, and it depends only on the grid and the step length,
/// never on the system or the state: the subjects of a population on one grid take the same
/// steps. The map is a pure function of its inputs, so a remembered run is the same doubles as
/// a walked one, bit for bit; an entry matches only when every input is the same bit pattern
/// (the targets compared whole, or found to be the very array the entry was made from: the
/// entry holds that array, whose storage cannot change while it is shared, so the same storage
/// means the same values, with no comparison of the 1,441 values of a day's 1-min grid).
///
/// Keeps up to `capacity` runs; a new run takes the place of the one used least recently (a
/// regimen has one run between two of its dose events). A look-up only stamps the entry it
/// finds: entries never move, so finding one copies none (moving them to the front had
/// retained and released their arrays on every look-up). Safe to share between threads (a
/// lock per look-up), though each worker of a population keeps its own so that they never wait
/// on one another.
public final class RegularRunCache: Sendable {
  /// One remembered run.
  struct Entry {
    var time, carried, step, offset: Double
    var lower, upper: Int
    /// The targets the run was walked over, the caller's array itself (no copy).
    var targets: [Double]
    var last: Int
    var endTime, endCarried: Double
    /// When the entry was last found or made (the look-up count then).
    var used: Int
  }

  /// The most runs kept.
  public let capacity: Int
  /// The entries, the number of look-ups that found one, and a counter that stamps each use.
  private let state = Mutex<(entries: [Entry], hits: Int, clock: Int)>(([], 0, 0))

  /// An empty cache keeping up to `capacity` runs (at least 1).
  public init(capacity: Int = 8) {
    self.capacity = Swift.max(1, capacity)
  }

  /// How many look-ups found their run (for tests and benchmarks).
  public var hits: Int { state.withLock { $0.hits } }

  /// The run starting at `targets[lower]` with the clock at (time, carried), if remembered.
  func run(
    time: Double, carried: Double, step: Double, offset: Double, targets: [Double], lower: Int, upper: Int
  ) -> (last: Int, time: Double, carried: Double)? {
    state.withLock { s in
      guard
        let i = s.entries.firstIndex(where: {
          $0.lower == lower && $0.upper == upper && $0.time.bitPattern == time.bitPattern
            && $0.carried.bitPattern == carried.bitPattern && $0.step.bitPattern == step.bitPattern
            && $0.offset.bitPattern == offset.bitPattern && Self._same($0.targets, targets, lower..<upper)
        })
      else { return nil }
      s.hits += 1
      s.clock += 1
      s.entries[i].used = s.clock
      return (s.entries[i].last, s.entries[i].endTime, s.entries[i].endCarried)
    }
  }

  /// Remembers a walked run, in place of the least recently used one when the cache is full.
  func remember(
    time: Double, carried: Double, step: Double, offset: Double, targets: [Double], lower: Int, upper: Int,
    last: Int, endTime: Double, endCarried: Double
  ) {
    state.withLock { s in
      s.clock += 1
      let entry = Entry(
        time: time, carried: carried, step: step, offset: offset, lower: lower, upper: upper,
        targets: targets, last: last, endTime: endTime, endCarried: endCarried, used: s.clock)
      if s.entries.count < capacity {
        s.entries.append(entry)
      } else {
        let oldest = s.entries.indices.min { s.entries[$0].used < s.entries[$1].used }!
        s.entries[oldest] = entry
      }
    }
  }

  /// Whether `kept[range]` and `targets[range]` are the same values, bit for bit: at once when
  /// both are one storage, else compared.
  static func _same(_ kept: [Double], _ targets: [Double], _ range: Range<Int>) -> Bool {
    guard range.upperBound <= kept.count && range.upperBound <= targets.count else { return false }
    return kept.withUnsafeBytes { a in
      targets.withUnsafeBytes { b in
        let stride = MemoryLayout<Double>.stride
        return range.isEmpty || a.baseAddress == b.baseAddress
          || memcmp(
            a.baseAddress! + range.lowerBound * stride, b.baseAddress! + range.lowerBound * stride,
            range.count * stride) == 0
      }
    }
  }
}
