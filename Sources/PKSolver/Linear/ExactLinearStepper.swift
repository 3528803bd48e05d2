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
      if !gainValid || !_same(u, gainInput) {
        current!.inputGain.multiply(u, offset: 0, into: &gain, offset: 0)
        gainInput = u
        gainValid = true
      }
      current!.apply(x, gain: gain, into: &scratch)
    } else {
      current!.apply(x, gain: nil, into: &scratch)
    }
    swap(&x, &scratch)
    let sum = time + currentStep
    let stepPart = sum - time
    lag += (time - (sum - stepPart)) + (currentStep - stepPart)
    time = sum
  }

  /// Advances `x` through each of `targets[range]` (each plus `offset`) in turn, with constant
  /// input `u`, writing the state after each step into `states` from index `statesStart`
  /// (`dimension` values per target).
  ///
  /// The loop of a regular output grid between two events: the same steps as `advance`, and
  /// while the step length repeats, one tight loop that reads each state from the previous
  /// output and applies the cached propagator in place, with no call per output.
  public mutating func advance(
    _ x: inout [Double], through targets: [Double], range: Range<Int>, offset: Double,
    input u: [Double]?, states: inout [Double], statesStart: Int
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
      guard k < range.upperBound, let p = current, u == nil || gainValid else { continue }
      let increment = p.usesIncrement
      let a = increment ? p.transitionMinusIdentity.elements : p.transition.elements
      let g = gain
      let hasGain = u != nil
      let step = currentStep
      var t = time
      var carried = lag
      let end = range.upperBound
      states.withUnsafeMutableBufferPointer { sp in
        a.withUnsafeBufferPointer { ap in
          g.withUnsafeBufferPointer { gp in
            while k < end {
              let target = targets[k] + offset
              let h = (target - t) - carried
              let tolerance = 16 * Swift.max(target.magnitude.ulp, h.magnitude.ulp)
              guard h > tolerance && abs(step - h) <= tolerance else { break }
              let previous = out - n
              for i in 0..<n {
                var s = hasGain ? gp[i] : 0
                for j in 0..<n { s += ap[i &+ j &* n] * sp[previous &+ j] }
                sp[out &+ i] = increment ? sp[previous &+ i] + s : s
              }
              let sum = t + step
              let stepPart = sum - t
              carried += (t - (sum - stepPart)) + (step - stepPart)
              t = sum
              out += n
              k += 1
            }
          }
        }
      }
      time = t
      lag = carried
      for i in 0..<n { x[i] = states[out - n + i] }
    }
  }

  private func _same(_ a: [Double], _ b: [Double]) -> Bool {
    guard a.count == b.count else { return false }
    for i in a.indices where !(a[i] == b[i]) { return false }
    return true
  }
}
