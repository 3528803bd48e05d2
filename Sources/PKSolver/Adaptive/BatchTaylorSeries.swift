import RealModule

/// The Taylor series method (`TaylorSeries`) advancing a batch of subjects together: the
/// coefficients of every subject in one pass over the batch (`BatchODEFunction
/// .taylorCoefficients`, loops the compiler vectorises over subjects), then each subject's own
/// step, dense output and new state.
///
/// ```
/// per pass:     Y_[0] = Y,  Y_[k+1] = F_[k]/(k + 1)          (n × S rows, k = 0 … p − 1)
/// per subject:  h_s = TaylorSeries.prepare's step,  y_s ← Σ y_[k],s·h_s^k,  outputs Σ y_[k],s·(t − t_s)^k
/// ```
/// Alone, a subject's coefficients are one chain of latencies, order after order (each needs
/// the last); across a batch the chains are independent and the pass runs at the processor's
/// throughput instead. Steps are per subject, so each subject takes exactly the steps it takes
/// alone, and its results equal those of `AdaptiveStepper` with `.taylor` bit for bit, in any
/// batch size. A subject that has reached the stop time (or failed) keeps its lane: its
/// coefficients are computed with the others' and not used (the pass is a small part of a
/// step's work, and lanes are never exchanged). With `detectsStiffness` (the automatic method)
/// each subject runs the single stepper's stiffness test, and a subject it flags
/// (`stiffSubjects`) stops there, for the caller to integrate with a stiff method. Jorba & Zou,
/// Exp. Math. 2005;14(1):99–117.
public struct BatchTaylorSeries<F: BatchODEFunction>: BatchAdaptiveStepper {
  public let function: F
  /// Each subject's tolerance; the relative one is shared (the order follows it), the absolute
  /// one usually follows each subject's dose scale.
  public let tolerances: [Tolerance]
  /// The order p (`TaylorSeries.order(for:)` of the shared relative tolerance).
  public let order: Int
  public var stepLimit = 500_000
  /// The states written at each output, ascending (all n by default).
  public var reported: [Int] {
    didSet {
      precondition(
        reported.allSatisfy { $0 >= 0 && $0 < n }
          && zip(reported, reported.dropFirst()).allSatisfy { $0 < $1 },
        "Reported states are distinct state indices in ascending order.")
    }
  }
  /// Per-subject integration errors (the subject stops; the others go on).
  public var failures: [Int: IntegrationError] { _failures }
  @usableFromInline
  var _failures: [Int: IntegrationError] = [:]
  /// Whether each subject runs the automatic method's stiffness test (`AdaptiveStepper
  /// ._taylorSteps`); false by default, as for `--method taylor`.
  public var detectsStiffness = false
  /// Subjects whose stiffness test fired, each left at the end of the step that fired it (for
  /// the caller to integrate with a stiff method).
  public var stiffSubjects: Set<Int> { _stiffSubjects }
  @usableFromInline
  var _stiffSubjects: Set<Int> = []
  /// Each subject's clock.
  public var times: [Double] { Array(UnsafeBufferPointer(start: _times, count: count)) }
  /// The number of subjects S.
  public var batchSize: Int { count }

  @usableFromInline
  let n: Int
  @usableFromInline
  let count: Int
  /// Rows 0…p of the coefficients, n × S each (shared by copies: use one stepper per thread).
  @usableFromInline
  let coefficients: _VectorBlock
  /// The per-subject bookkeeping, in raw storage (`_BatchLanes`).
  @usableFromInline
  let lanes: _BatchLanes
  @usableFromInline
  let _times, absolute: UnsafeMutablePointer<Double>
  @usableFromInline
  let next, out, stiffChecks, nonStiffChecks: UnsafeMutablePointer<Int>
  @usableFromInline
  let active: UnsafeMutablePointer<Bool>

  /// - Precondition: one tolerance per subject, all with the same relative tolerance.
  @inlinable
  public init(function: F, tolerances: [Tolerance], time: Double = 0) {
    precondition(tolerances.count == function.batchSize, "One tolerance per subject.")
    precondition(
      tolerances.allSatisfy { $0.relative == tolerances[0].relative },
      "One relative tolerance for the batch (the Taylor order follows it).")
    self.function = function
    self.tolerances = tolerances
    n = function.dimension
    count = function.batchSize
    order = tolerances.isEmpty ? 4 : TaylorSeries.order(for: tolerances[0])
    reported = Array(0..<function.dimension)
    coefficients = _VectorBlock(count: order + 1, length: n * count)
    lanes = _BatchLanes(count: count, controller: .dormandPrince54)
    (_times, absolute) = (lanes.double(0), lanes.double(1))
    (next, out) = (lanes.integer(0), lanes.integer(1))
    (stiffChecks, nonStiffChecks) = (lanes.integer(3), lanes.integer(4))
    active = lanes.flag(0)
    for s in 0..<count {
      _times[s] = time
      absolute[s] = tolerances[s].absolute
    }
  }

  /// Sets every subject's clock and forgets its stiffness checks (the method keeps no other
  /// step history).
  @inlinable
  public mutating func restart(at time: Double) {
    for s in 0..<count {
      _times[s] = time
      stiffChecks[s] = 0
      nonStiffChecks[s] = 0
    }
  }

  /// Advances every subject to `target`, writing the `reported` states at each of
  /// `outputs[range]` (+ `offset`) from `blocks[s] + statesStart` for subject s. Per subject
  /// the steps, outputs and errors of `AdaptiveStepper`'s Taylor loop: outputs at or before the
  /// subject's clock are its state; a step never rejected; the outputs inside a step from its
  /// series, eight at a time; those at its end (within rounding) its end state.
  @inlinable
  public mutating func advance(
    _ y: inout [Double], through outputs: [Double], range: Range<Int>, offset: Double, to target: Double,
    blocks: UnsafePointer<UnsafeMutablePointer<Double>>, statesStart: Int
  ) {
    let S = count
    let n = n
    let p = order
    let relative = tolerances.first?.relative ?? 0
    let f = function
    let c = coefficients.base
    let r = reported.count
    let shown = UnsafeMutablePointer<Int>.allocate(capacity: Swift.max(r, 1))
    defer { shown.deallocate() }
    for q in 0..<r { shown[q] = reported[q] }
    let steps = lanes.integer(2)
    // The bookkeeping as constants of the loops (raw storage, no access to `self`).
    let (next, out, clock, active, absolute) = (self.next, self.out, _times, self.active, self.absolute)
    let stepLimit = stepLimit
    let (stiffChecks, nonStiffChecks) = (self.stiffChecks, self.nonStiffChecks)
    let detectsStiffness = detectsStiffness
    let stiffnessBound = 0.85 * TaylorSeries.realStabilityInterval[p]
    y.withUnsafeMutableBufferPointer { yb in
      outputs.withUnsafeBufferPointer { ob in
        let yp = yb.baseAddress!
        let times = ob.baseAddress!
        let last = range.upperBound
        // Outputs at or before the subject's clock (within rounding) are its state.
        func flush(_ s: Int) {
          while next[s] < last && times[next[s]] + offset <= clock[s] {
            let row = blocks[s] + out[s]
            for q in 0..<r { row[q] = yp[shown[q] &* S &+ s] }
            out[s] += r
            next[s] += 1
          }
        }
        var width = 0
        for s in 0..<S {
          next[s] = range.lowerBound
          out[s] = statesStart
          steps[s] = 0
          active[s] = false
          if _failures[s] != nil || _stiffSubjects.contains(s) { continue }
          flush(s)
          if _StepLanding.reached(clock[s], target) {
            clock[s] = Swift.max(clock[s], target)
            flush(s)
            continue
          }
          active[s] = true
          width = s + 1
        }
        while width > 0 {
          let supported = f.taylorCoefficients(UnsafePointer(yp), order: p, into: c, lanes: width)
          precondition(supported, "This right-hand side gives no Taylor coefficients.")
          var lastActive = 0
          for s in 0..<width where active[s] {
            let time = clock[s]
            steps[s] += 1
            if steps[s] > stepLimit {
              _fail(s, .stepLimit(time: time, steps: stepLimit))
              continue
            }
            // TaylorSeries.prepare, for lane s.
            var last1 = 0.0
            var lastP = 0.0
            var finite = true
            for i in 0..<n {
              let scale = absolute[s] + relative * abs(yp[i &* S &+ s])
              let a = abs(c[((p &- 1) &* n &+ i) &* S &+ s])
              let b = abs(c[(p &* n &+ i) &* S &+ s])
              finite = finite && a.isFinite && b.isFinite
              last1 = Swift.max(last1, a / scale)
              lastP = Swift.max(lastP, b / scale)
            }
            if !finite {
              let bad =
                (0..<n).first { i in (0...p).contains { !c[($0 &* n &+ i) &* S &+ s].isFinite } } ?? -1
              _fail(s, .nonFinite(time: time, component: bad))
              continue
            }
            let e1 = Double.log(last1) / Double(p - 1)
            let e2 = Double.log(lastP) / Double(p)
            let proposed = Double.exp(-Swift.max(e1, e2))
            let (h, lands) = _StepLanding.step(proposed, from: time, to: target)
            if h <= 16 * time.magnitude.ulp {
              _fail(s, .stepTooSmall(time: time, step: h))
              continue
            }
            var switches = false
            if detectsStiffness {
              let rate = last1 > 0 ? Double(p) * lastP / last1 : 0
              switches = _StiffnessCount.record(
                h * rate > stiffnessBound, positives: &stiffChecks[s], negatives: &nonStiffChecks[s])
            }
            // The new state: each state's series at h (Horner, as `TaylorSeries._evaluate`).
            for i in 0..<n {
              var row = c + ((p &* n &+ i) &* S &+ s)
              var v = row.pointee
              for _ in 0..<p {
                row -= n &* S
                v = row.pointee + h * v
              }
              yp[i &* S &+ s] = v
            }
            let end = lands ? target : time + h
            // Up to eight outputs inside the step at once (s = t − start).
            while next[s] < last && times[next[s]] + offset < end {
              var at = SIMD8<Double>()
              var k = 0
              while k < 8 && next[s] + k < last && times[next[s] + k] + offset < end {
                at[k] = times[next[s] + k] + offset - time
                k += 1
              }
              let block = blocks[s] + out[s]
              for q in 0..<r {
                let v = _series(lane: s, state: shown[q], at: at)
                for l in 0..<k { block[l &* r &+ q] = v[l] }
              }
              out[s] += k * r
              next[s] += k
            }
            clock[s] = end
            // Outputs at the step's end (within rounding) are its end state.
            flush(s)
            if switches {
              _stiffSubjects.insert(s)
              active[s] = false
            } else if end < target {
              lastActive = s + 1
            } else {
              active[s] = false
            }
          }
          width = lastActive
        }
      }
    }
  }

  /// Stops subject s with `error`.
  @inlinable
  mutating func _fail(_ s: Int, _ error: IntegrationError) {
    _failures[s] = error
    active[s] = false
  }

  /// Lane s's series for state i at eight times (as `TaylorSeries._series`): down its column,
  /// from y_[p] to y_[0].
  @inlinable @inline(__always)
  func _series(lane s: Int, state i: Int, at t: SIMD8<Double>) -> SIMD8<Double> {
    let stride = n &* count
    var row = coefficients.base + ((order &* n &+ i) &* count &+ s)
    var v = SIMD8<Double>(repeating: row.pointee)
    for _ in 0..<order {
      row -= stride
      v = SIMD8<Double>(repeating: row.pointee) + t * v
    }
    return v
  }
}
