import PKCore

/// The times at which a simulation reports, in the unit they were written in.
///
/// The grid's unit names the CSV's first column (`time_h`, `time_min`): it is the unit of the
/// step (`every`) for a regular grid, or of the listed times.
public struct OutputGrid: Sendable, Equatable {
  /// The times in `unit`, non-decreasing.
  public let times: [Double]
  /// The unit of `times`.
  public let unit: TimeUnit

  /// The largest grid accepted (rows per subject), to stop a typo from filling a disk.
  public static let maximumCount = 10_000_000

  /// Listed times in `unit`.
  public init(times: [Double], unit: TimeUnit) throws(QuantityError) {
    guard !times.isEmpty else { throw QuantityError("expected at least one output time") }
    guard times.allSatisfy({ $0 >= 0 && $0.isFinite }) else {
      throw QuantityError("expected output times of 0 or later")
    }
    guard zip(times, times.dropFirst()).allSatisfy({ $0 <= $1 }) else {
      throw QuantityError("expected output times in increasing order")
    }
    self.times = times
    self.unit = unit
  }

  /// A regular grid 0, every, 2·every, … up to and including `until` (in the step's unit).
  public init(until: (value: Double, unit: TimeUnit), every: (value: Double, unit: TimeUnit))
    throws(QuantityError)
  {
    guard every.value > 0 else { throw QuantityError("expected a step above 0") }
    guard until.value >= 0 else { throw QuantityError("expected an end time of 0 or later") }
    let end = until.value * (until.unit.hours / every.unit.hours)
    let steps = (end / every.value * (1 + 1e-12)).rounded(.down)
    guard steps < Double(Self.maximumCount) else {
      throw QuantityError("the grid would have \(Int(steps) + 1) rows; the most is \(Self.maximumCount)")
    }
    self.times = (0...Int(steps)).map { Double($0) * every.value }
    self.unit = every.unit
  }

  /// The times in hours, the engine's unit.
  public var hours: [Double] { times.map { unit.toHours($0) } }
}
