import PKLinearAlgebra

/// Moves a state of a linear system exactly from one stop time to the next, with a constant
/// input in between.
///
/// ```
/// x(t + h) = Φ(h)·x(t) + Γ(h)·u
/// ```
///
/// The stepper keeps the clock: the time the state has reached is `time + lag` exactly, where
/// `lag` carries (by TwoSum) the difference between the steps asked for and the cached steps
/// taken, so rounding never accumulates over many steps. A step within rounding of zero is no
/// step. Propagators are cached by step length (`PropagatorCache`).
public struct ExactLinearStepper: Sendable {
  /// The propagators used, cached by step length.
  public private(set) var cache: PropagatorCache
  /// The time the state has reached (up to the carried rounding).
  public private(set) var time: Double
  private var lag = 0.0
  private var scratch: [Double]
  /// The propagator of the last step, used again without a cache look-up while steps repeat.
  private var current: Propagator?
  private var currentStep = Double.nan
  /// Γ·u of the current propagator for the input `gainInput`, reused while both stay the same.
  private var gain: [Double]
  private var gainInput: [Double]
  private var gainValid = false

  public init(system: LinearSystem, time: Double = 0) {
    self.cache = PropagatorCache(system: system)
    self.time = time
    self.scratch = [Double](repeating: 0, count: system.dimension)
    self.gain = scratch
    self.gainInput = scratch
  }

  /// The system being integrated.
  public var system: LinearSystem { cache.system }

  /// Sets the clock to `time` (for a state that now belongs to this stepper).
  public mutating func setTime(_ time: Double) {
    self.time = time
    self.lag = 0
  }

  /// Advances `x` from the current time to `target` with constant input `u` (nil for none).
  ///
  /// - Throws: `LinearAlgebraError` if a propagator cannot be computed.
  /// - Complexity: O(n²), plus O(n³) for a step length not yet cached. Does not allocate once
  ///   the step length is cached.
  @inline(__always)
  public mutating func advance(
    _ x: inout [Double], to target: Double, input u: [Double]?
  ) throws(LinearAlgebraError) {
    let h = (target - time) - lag
    let tolerance = 16 * Swift.max(target.magnitude.ulp, h.magnitude.ulp)
    if h <= tolerance { return }
    if !(abs(currentStep - h) <= tolerance) {
      current = try cache.propagator(for: h, tolerance: tolerance)
      currentStep = current!.step
      gainValid = false
    }
    if let u {
      if !gainValid || !Self._same(u, gainInput) {
        current!.inputGain.multiply(u, offset: 0, into: &gain, offset: 0)
        gainInput = u
        gainValid = true
      }
      current!.apply(x, gain: gain, into: &scratch)
    } else {
      current!.apply(x, gain: nil, into: &scratch)
    }
    swap(&x, &scratch)
    Self._tick(&time, &lag, by: currentStep)
  }

  /// Moves the clock (t, δ) on by one cached step h: t′ = fl(t + h), and δ gathers by TwoSum
  /// what fl(t + h) lost, so the time reached is t′ + δ exactly.
  @inline(__always)
  static func _tick(_ t: inout Double, _ carried: inout Double, by step: Double) {
    let sum = t + step
    let stepPart = sum - t
    carried += (t - (sum - stepPart)) + (step - stepPart)
    t = sum
  }

  /// The run of targets from `lower` that lie one cached step apart with the clock at
  /// (`time`, `carried`): the first target after the run and the clock after its last one.
  /// Found in `runs` when remembered there, else walked (and remembered): the same doubles
  /// either way.
  @inline(__always)
  static func _regularRun(
    time: Double, carried: Double, step: Double, offset: Double, targets: [Double], lower k: Int, upper: Int,
    runs: RegularRunCache?
  ) -> (last: Int, time: Double, carried: Double) {
    if let run = runs?.run(
      time: time, carried: carried, step: step, offset: offset, targets: targets, lower: k, upper: upper)
    {
      return run
    }
    var (t, c) = (time, carried)
    var last = k
    while last < upper {
      let target = targets[last] + offset
      let h = (target - t) - c
      let tolerance = 16 * _ulp(Swift.max(target.magnitude, h.magnitude))
      guard h > tolerance && abs(step - h) <= tolerance else { break }
      _tick(&t, &c, by: step)
      last += 1
    }
    runs?.remember(
      time: time, carried: carried, step: step, offset: offset, targets: targets, lower: k, upper: upper,
      last: last, endTime: t, endCarried: c)
    return (last, t, c)
  }

  /// Advances `x` through each of `targets[range]` (each plus `offset`) in turn, with constant
  /// input `u`, writing the state after each step into `states` from index `statesStart`
  /// (`dimension` values per target).
  ///
  /// The loop of a regular output grid between two events: the same steps as `advance`, and
  /// while the step length repeats, first the clock alone (how many targets lie one cached step
  /// apart), then one tight loop that applies the cached propagator that many times, with no
  /// call per output: `_RegularSteps`, with the state in registers, for up to six
  /// compartments, else a loop that reads each state from the previous output. With `runs`,
  /// a run of the clock already walked (by any stepper sharing the cache) is looked up instead
  /// of walked again: the same doubles either way.
  public mutating func advance(
    _ x: inout [Double], through targets: [Double], range: Range<Int>, offset: Double,
    input u: [Double]?, states: inout [Double], statesStart: Int, runs: RegularRunCache? = nil
  ) throws(LinearAlgebraError) {
    let n = system.dimension
    precondition(statesStart + range.count * n <= states.count, "states is too short.")
    var out = statesStart
    var k = range.lowerBound
    while k < range.upperBound {
      try advance(&x, to: targets[k] + offset, input: u)
      for i in 0..<n { states[out + i] = x[i] }
      out += n
      k += 1
      // The run's gain must be this input's: a first target within rounding of the clock takes
      // no step, and so computes no gain, leaving the last input's in place.
      guard k < range.upperBound, let p = current, u == nil || (gainValid && Self._same(u!, gainInput)) else {
        continue
      }
      let increment = p.usesIncrement
      let a = increment ? p.transitionMinusIdentity.elements : p.transition.elements
      let g = gain
      let hasGain = u != nil
      let step = currentStep
      // The clock first: how many of the next targets lie one cached step apart.
      let (last, t, carried) = Self._regularRun(
        time: time, carried: lag, step: step, offset: offset, targets: targets, lower: k,
        upper: range.upperBound, runs: runs)
      let count = last - k
      if count > 0 {
        states.withUnsafeMutableBufferPointer { sp in
          a.withUnsafeBufferPointer { ap in
            g.withUnsafeBufferPointer { gp in
              let first = sp.baseAddress! + (out - n)
              let gain = hasGain ? gp.baseAddress! : nil
              if _RegularSteps.run(
                dimension: n, a: ap.baseAddress!, gain: gain, states: first, count: count,
                increment: increment)
              {
                return
              }
              var previous = out - n
              for _ in 0..<count {
                let next = previous + n
                for i in 0..<n {
                  var s = hasGain ? gp[i] : 0
                  for j in 0..<n { s += ap[i &+ j &* n] * sp[previous &+ j] }
                  sp[next &+ i] = increment ? sp[previous &+ i] + s : s
                }
                previous = next
              }
            }
          }
        }
        out += count * n
        k = last
      }
      time = t
      lag = carried
      for i in 0..<n { x[i] = states[out - n + i] }
    }
  }

  /// The ulp of a magnitude m ≥ 0, the same as `m.ulp`: from its exponent bits for normal m
  /// well above the subnormal range, else by `ulp`. `16 · max(|a|.ulp, |b|.ulp)` is
  /// `16 · _ulp(max(|a|, |b|))`, since the ulp does not decrease with the magnitude.
  @inline(__always)
  static func _ulp(_ m: Double) -> Double {
    guard m >= 0x1p-960 && m.isFinite else { return m.ulp }
    return Double(bitPattern: m.bitPattern & 0x7FF0_0000_0000_0000) * 0x1p-52
  }

  /// Whether a and b hold equal values (a NaN equals nothing).
  static func _same(_ a: [Double], _ b: [Double]) -> Bool {
    guard a.count == b.count else { return false }
    for i in a.indices where !(a[i] == b[i]) { return false }
    return true
  }
}
