import PKLinearAlgebra

/// Moves the states of a batch of linear systems of one dimension (one per lane: a subject
/// each) exactly and together from one stop time to the next, writing their outputs:
/// `ExactLinearStepper` for subjects that share their stop times.
///
/// ```
/// x_l(t + h) = Φ_l(h)·x_l(t) + Γ_l(h)·u_l          l = 0 … L − 1
/// output o of lane l:  x_l[c_o] · f_o,l            (an output state c_o and its factor)
/// ```
/// The lanes share the clock (with its carried rounding, `ExactLinearStepper._tick`), the step
/// lengths of the propagator cache and the runs of regular outputs (`RegularRunCache`); each
/// lane has its own propagators, computed by `Propagator` from its own system. Each lane's
/// numbers are those of an `ExactLinearStepper` of its system asked for the same targets, bit
/// for bit: the same propagators, found in the same cache slots, and the same sums in the same
/// order (`Matrix.multiply` for single steps, `_BatchRegularSteps` for runs, as `_RegularSteps`).
/// Only the order in which the lanes are computed differs: four side by side in each vector
/// instruction, so a run costs about a quarter per subject of one subject's chain of dependent
/// additions.
///
/// Layout: state (and input) i of lane l at i·L + l; output o of lane l at row q of an output
/// block at (q·O + o)·L + l. L is a multiple of 4 (pad a batch with copies of a system).
/// Dimensions up to `Matrix.smallKernelLimit`: the single-step sums of larger systems go
/// through BLAS, whose order is its own.
///
/// A lane whose propagator cannot be computed (a `LinearAlgebraError`) is marked in `failed`
/// and steps with Φ = I, Γ = 0 from then on; its numbers mean nothing.
public struct BatchExactLinearStepper: Sendable {
  /// One cached step length's propagators, one per lane, in the kernels' layout.
  struct _Slot: Sendable {
    var step: Double
    /// Per lane the matrix a step applies (Φ − I in the increment form, else Φ), element (i, j)
    /// of lane l at (i + j·n)·L + l.
    var a: [Double]
    /// Γ, the same layout.
    var gamma: [Double]
    /// Per lane −1 for the increment form, 0 for direct steps.
    var masks: [Int64]
    var form: _BatchRegularSteps.Form
    /// Whether the last state's column is zero in every increment-form lane's D and e_{n−1} in
    /// every direct lane's Φ (a state that never feeds back: a model's eliminated amount).
    var skipLast: Bool
  }

  /// The lanes' systems.
  public let systems: [LinearSystem]
  /// The number of states n of every system.
  public let dimension: Int
  /// The states whose amounts are output, and per output o and lane l the factor at o·L + l.
  public let outputStates: [Int]
  public let outputFactors: [Double]
  /// The time the states have reached (up to the carried rounding).
  public private(set) var time: Double
  /// The lanes whose propagators could not be computed.
  public private(set) var failed: [Bool]
  /// Per lane the sum of 0·output over every output written: NaN once an output of the lane
  /// was not finite, else zero.
  public private(set) var outputProbes: [Double]
  /// The most step lengths cached, as `PropagatorCache.capacity`.
  public let capacity: Int
  private var lag = 0.0
  private var slots: [_Slot] = []
  private var nextVictim = 0
  private var current = -1
  private var currentStep = Double.nan
  private var gain: [Double]
  private var gainInput: [Double]
  private var gainValid = false
  private var scratch: [Double]

  /// - Parameters:
  ///   - systems: one per lane, all of one dimension n ≤ `Matrix.smallKernelLimit`; a multiple
  ///     of 4 of them.
  ///   - outputStates: the states c_o that are output.
  ///   - outputFactors: O × L factors, f_o,l at o·L + l.
  public init(
    systems: [LinearSystem], outputStates: [Int], outputFactors: [Double], time: Double = 0,
    capacity: Int = 64
  ) {
    let n = systems.first?.dimension ?? 0
    precondition(systems.count % 4 == 0, "Lanes come in fours.")
    precondition(systems.allSatisfy { $0.dimension == n }, "One dimension for every lane.")
    precondition(n <= Matrix.smallKernelLimit, "Up to \(Matrix.smallKernelLimit) states.")
    precondition(outputStates.allSatisfy { (0..<n).contains($0) }, "Output states are states.")
    precondition(outputFactors.count == outputStates.count * systems.count, "A factor per output and lane.")
    precondition(capacity > 0, "A cache needs room for one step length.")
    self.systems = systems
    self.dimension = n
    self.outputStates = outputStates
    self.outputFactors = outputFactors
    self.time = time
    self.capacity = capacity
    self.failed = [Bool](repeating: false, count: systems.count)
    self.outputProbes = [Double](repeating: 0, count: systems.count)
    self.scratch = [Double](repeating: 0, count: n * systems.count)
    self.gain = scratch
    self.gainInput = scratch
  }

  /// The number of lanes L.
  public var lanes: Int { systems.count }

  /// Sets the clock to `time` (for states that now belong to this stepper).
  public mutating func setTime(_ time: Double) {
    self.time = time
    self.lag = 0
  }

  /// Advances the states `x` (n × L) from the current time to `target` with constant inputs `u`
  /// (n × L, nil for none): `ExactLinearStepper.advance(_:to:input:)` for every lane.
  public mutating func advance(_ x: inout [Double], to target: Double, inputs u: [Double]?) {
    let h = (target - time) - lag
    let tolerance = 16 * Swift.max(target.magnitude.ulp, h.magnitude.ulp)
    if h <= tolerance { return }
    if !(abs(currentStep - h) <= tolerance) {
      current = _slot(for: h, tolerance: tolerance)
      currentStep = slots[current].step
      gainValid = false
    }
    if let u, !gainValid || !ExactLinearStepper._same(u, gainInput) {
      _computeGain(u)
      gainInput = u
      gainValid = true
    }
    _apply(x, hasGain: u != nil, into: &scratch)
    swap(&x, &scratch)
    ExactLinearStepper._tick(&time, &lag, by: currentStep)
  }

  /// Advances the states `x` through each of `targets[range]` (each plus `offset`) with constant
  /// inputs `u`, writing the outputs after each step as rows of `outputs` from row `firstRow`
  /// (output o of lane l of row q at (q·O + o)·stride + l; `stride` ≥ L):
  /// `ExactLinearStepper.advance(_:through:range:offset:input:states:statesStart:runs:)` for
  /// every lane, the outputs computed from the states as the record engine computes them.
  public mutating func advance(
    _ x: inout [Double], through targets: [Double], range: Range<Int>, offset: Double, inputs u: [Double]?,
    outputs: UnsafeMutablePointer<Double>, stride: Int, firstRow: Int, runs: RegularRunCache? = nil
  ) {
    let n = dimension
    let lanes = self.lanes
    let outputCount = outputStates.count
    var row = firstRow
    var k = range.lowerBound
    while k < range.upperBound {
      advance(&x, to: targets[k] + offset, inputs: u)
      write(x, row: row, into: outputs, stride: stride)
      row += 1
      k += 1
      // As `ExactLinearStepper`: no run on the gain of another input.
      guard k < range.upperBound, current >= 0,
        u == nil || (gainValid && ExactLinearStepper._same(u!, gainInput))
      else { continue }
      let (last, t, carried) = ExactLinearStepper._regularRun(
        time: time, carried: lag, step: currentStep, offset: offset, targets: targets, lower: k,
        upper: range.upperBound, runs: runs)
      let count = last - k
      if count > 0 {
        let slot = slots[current]
        let hasGain = u != nil
        x.withUnsafeMutableBufferPointer { xs in
          slot.a.withUnsafeBufferPointer { a in
            slot.masks.withUnsafeBufferPointer { masks in
              gain.withUnsafeBufferPointer { g in
                outputStates.withUnsafeBufferPointer { states in
                  outputProbes.withUnsafeMutableBufferPointer { probes in
                    outputFactors.withUnsafeBufferPointer { factors in
                      let done = _BatchRegularSteps.run(
                        dimension: n, lanes: lanes, a: a.baseAddress!, gain: hasGain ? g.baseAddress! : nil,
                        masks: masks.baseAddress!, form: slot.form, skipLast: slot.skipLast,
                        states: xs.baseAddress!, count: count, outputStates: states.baseAddress!,
                        factors: factors.baseAddress!, outputCount: outputCount, outputStride: stride,
                        outputs: outputs + row &* outputCount &* stride, probes: probes.baseAddress!)
                      precondition(done, "Up to \(Matrix.smallKernelLimit) states.")
                    }
                  }
                }
              }
            }
          }
        }
        row += count
        k = last
      }
      time = t
      lag = carried
    }
  }

  /// Writes the outputs of states `x` as row `row` of `outputs` (output o of lane l at
  /// (row·O + o)·stride + l), probed (`outputProbes`).
  public mutating func write(_ x: [Double], row: Int, into outputs: UnsafeMutablePointer<Double>, stride: Int)
  {
    let lanes = self.lanes
    let base = outputs + row &* outputStates.count &* stride
    for (o, c) in outputStates.enumerated() {
      for l in 0..<lanes {
        let value = x[c &* lanes &+ l] * outputFactors[o &* lanes &+ l]
        base[o &* stride &+ l] = value
        outputProbes[l] += value * 0
      }
    }
  }

  /// y = x + (A·x + g) or A·x + g per lane, the sums of `Matrix.multiply(_:adding:increment:into:)`.
  func _apply(_ x: [Double], hasGain: Bool, into y: inout [Double]) {
    let n = dimension
    let lanes = self.lanes
    let slot = slots[current]
    slot.a.withUnsafeBufferPointer { a in
      slot.masks.withUnsafeBufferPointer { masks in
        gain.withUnsafeBufferPointer { g in
          x.withUnsafeBufferPointer { xs in
            y.withUnsafeMutableBufferPointer { ys in
              // Row i's sums of all lanes at once in y's row (lanes innermost: the loops run
              // over contiguous lanes), each lane's terms added in the order j = 0, 1, ….
              for i in 0..<n {
                let row = ys.baseAddress! + i &* lanes
                for l in 0..<lanes { row[l] = hasGain ? g[i &* lanes &+ l] : 0.0 }
                for j in 0..<n {
                  let column = a.baseAddress! + (i &+ j &* n) &* lanes
                  let xj = xs.baseAddress! + j &* lanes
                  for l in 0..<lanes { row[l] += column[l] * xj[l] }
                }
                let xi = xs.baseAddress! + i &* lanes
                for l in 0..<lanes { row[l] = masks[l] != 0 ? xi[l] + row[l] : row[l] }
              }
            }
          }
        }
      }
    }
  }

  /// g = Γ·u per lane, the sums of `Matrix.multiply(_:offset:into:offset:)` (from zero, column
  /// by column).
  mutating func _computeGain(_ u: [Double]) {
    let n = dimension
    let lanes = self.lanes
    let gamma = slots[current].gamma
    gamma.withUnsafeBufferPointer { c in
      u.withUnsafeBufferPointer { us in
        gain.withUnsafeMutableBufferPointer { g in
          for i in 0..<(n * lanes) { g[i] = 0 }
          for j in 0..<n {
            for i in 0..<n {
              for l in 0..<lanes {
                g[i &* lanes &+ l] += c[(i &+ j &* n) &* lanes &+ l] * us[j &* lanes &+ l]
              }
            }
          }
        }
      }
    }
  }

  /// The slot of a step within `tolerance` of `step`, computing every lane's propagator when
  /// none is cached: `PropagatorCache.propagator(for:tolerance:)`, slots for entries.
  mutating func _slot(for step: Double, tolerance: Double) -> Int {
    for i in slots.indices where abs(slots[i].step - step) <= tolerance { return i }
    let n = dimension
    let lanes = self.lanes
    var slot = _Slot(
      step: step, a: [Double](repeating: 0, count: n * n * lanes),
      gamma: [Double](repeating: 0, count: n * n * lanes), masks: [Int64](repeating: 0, count: lanes),
      form: .direct, skipLast: true)
    for l in 0..<lanes {
      guard let p = try? Propagator(system: systems[l], step: step) else {
        // Φ = I as a direct step, Γ = 0: the lane's states stay finite and mean nothing.
        failed[l] = true
        for i in 0..<n { slot.a[(i + i * n) * lanes + l] = 1 }
        slot.skipLast = false
        continue
      }
      let a = p.usesIncrement ? p.transitionMinusIdentity : p.transition
      for j in 0..<n {
        for i in 0..<n {
          slot.a[(i + j * n) * lanes + l] = a[i, j]
          slot.gamma[(i + j * n) * lanes + l] = p.inputGain[i, j]
        }
      }
      slot.masks[l] = p.usesIncrement ? -1 : 0
      // The last column: zero in D, or e_{n−1} in Φ (see `_BatchRegularSteps.run`).
      slot.skipLast =
        slot.skipLast && n > 1
        && (0..<n).allSatisfy { a[$0, n - 1] == (p.usesIncrement || $0 < n - 1 ? 0 : 1) }
    }
    let increments = slot.masks.filter { $0 != 0 }.count
    slot.form = increments == lanes ? .increment : increments == 0 ? .direct : .mixed
    if slots.count < capacity {
      slots.append(slot)
      return slots.count - 1
    }
    slots[nextVictim] = slot
    defer { nextVictim = (nextVictim + 1) % capacity }
    return nextVictim
  }
}
