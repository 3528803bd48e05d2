/// A dose for the reference solutions, independent of PKCore's `Dose`: a bolus or a zero-order
/// infusion into the central compartment.
public enum ReferenceDose: Sendable, Equatable {
  /// `amount` mg at `time` h.
  case bolus(time: Double, amount: Double)
  /// `rate` mg/h from `start` h for `duration` h.
  case infusion(start: Double, rate: Double, duration: Double)

  /// When the dose starts (h).
  public var start: Double {
    switch self {
    case .bolus(let time, _): return time
    case .infusion(let start, _, _): return start
    }
  }

  /// The total amount (mg).
  public var amount: Double {
    switch self {
    case .bolus(_, let amount): return amount
    case .infusion(_, let rate, let duration): return rate * duration
    }
  }

  /// The amount given by time `t` (mg): a bolus counts from its own time on (a dose at the same
  /// time as an observation comes first), an infusion in proportion to the time it has run.
  public func administered(by t: Double) -> Double {
    switch self {
    case .bolus(let time, let amount):
      return t >= time ? amount : 0
    case .infusion(let start, let rate, let duration):
      return rate * Swift.min(Swift.max(t - start, 0), duration)
    }
  }

  /// This dose and `count − 1` copies, the k-th starting at start + k·interval (h).
  ///
  /// The start times are computed as `start + Double(k) * interval`, the same expression as a
  /// NONMEM-style expansion of II/ADDL, so that a dose and an output at "the same" time are the
  /// same `Double`.
  public func repeated(every interval: Double, count: Int) -> [ReferenceDose] {
    precondition(count >= 1 && interval > 0, "A repeat needs count ≥ 1 and interval > 0.")
    return (0..<count).map { k in
      let t = start + Double(k) * interval
      switch self {
      case .bolus(_, let amount): return .bolus(time: t, amount: amount)
      case .infusion(_, let rate, let duration):
        return .infusion(start: t, rate: rate, duration: duration)
      }
    }
  }
}
