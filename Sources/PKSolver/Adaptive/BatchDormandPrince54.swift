/// Dormand–Prince 5(4) advancing a batch of subjects together: states laid out as an n × S
/// matrix (subject-fastest, so every stage is a loop the compiler vectorises over subjects),
/// the right-hand side evaluated over the batch, and step sizes, error norms and step control
/// per subject.
///
/// ```
/// per subject s:  the stages, error norm, PI control, starting step and dense output of
///                 `DormandPrince54` / `AdaptiveStepper`, operation for operation
/// ```
/// Step sizes are per subject, not per batch: a batch-wide step (the smallest, or the worst
/// error) would make a subject's result depend on the others in its batch. So each subject
/// takes exactly the steps it takes alone, and its results equal those of `AdaptiveStepper`
/// with `.dormandPrince54` bit for bit, in any batch size. A subject that reaches the stop time
/// (or fails) is moved behind the running ones (its lane exchanged with the last running lane,
/// `BatchODEFunction.swapLanes`), so the vectorised work covers running subjects only; every
/// `advance` puts the lanes back in order before it returns. A subject whose stiffness test
/// fires is flagged (`stiffSubjects`) and left at its last state, for the caller to integrate
/// with a stiff method. Hairer, Nørsett & Wanner, Solving ODEs I, §II.4-II.6 and §IV.2.
public struct BatchDormandPrince54<F: BatchODEFunction>: BatchAdaptiveStepper {
  @usableFromInline
  typealias T = DormandPrince54
  public let function: F
  /// Each subject's tolerance (the relative tolerance is usually shared; the absolute one
  /// follows each subject's dose scale).
  public var tolerances: [Tolerance] {
    didSet {
      precondition(tolerances.count == count, "One tolerance per subject.")
      for s in 0..<count { (absolute[s], relative[s]) = (tolerances[s].absolute, tolerances[s].relative) }
    }
  }
  /// The tolerances lane by lane (for the vectorised error norm), and the norm's running sums
  /// and finiteness flags.
  @usableFromInline
  let absolute, relative, normSums, normFlags: UnsafeMutablePointer<Double>
  /// The per-subject bookkeeping, in raw storage (`_BatchLanes`).
  @usableFromInline
  let lanes: _BatchLanes
  @usableFromInline
  let steps, h, errors, taken: UnsafeMutablePointer<Double>
  @usableFromInline
  let started, active, lands: UnsafeMutablePointer<Bool>
  @usableFromInline
  let controllers: UnsafeMutablePointer<StepController>
  @usableFromInline
  let attempts, accepted, stiffChecks, nonStiffChecks, next, out: UnsafeMutablePointer<Int>
  /// The subject in each lane: within `advance`, subjects that have reached the stop time are
  /// moved behind the running ones (lanes exchanged), so that the vectorised work covers only
  /// running subjects; every `advance` puts them back in order before it returns.
  @usableFromInline
  let subjects: UnsafeMutablePointer<Int>
  public var stepLimit = 500_000
  /// The states written at each output, ascending (all n by default): a caller that needs
  /// only some states (a population's output compartments) has only those interpolated, and
  /// `advance` writes `reported.count` values per output, each the double it would be among
  /// all n.
  public var reported: [Int] {
    didSet {
      precondition(
        reported.allSatisfy { $0 >= 0 && $0 < n }
          && zip(reported, reported.dropFirst()).allSatisfy { $0 < $1 },
        "Reported states are distinct state indices in ascending order.")
    }
  }
  /// Each subject's clock.
  public var times: [Double] { Array(UnsafeBufferPointer(start: _times, count: count)) }
  @usableFromInline
  let _times: UnsafeMutablePointer<Double>
  /// Subjects whose stiffness test fired (left where it fired).
  public var stiffSubjects: Set<Int> { _stiffSubjects }
  @usableFromInline
  var _stiffSubjects: Set<Int> = []
  /// Per-subject integration errors (the subject stops; the others go on).
  public var failures: [Int: IntegrationError] { _failures }
  @usableFromInline
  var _failures: [Int: IntegrationError] = [:]

  @usableFromInline
  let n: Int
  @usableFromInline
  let count: Int
  /// The number of subjects S.
  public var batchSize: Int { count }
  /// The stage vectors, each n × S, in one `_VectorBlock` (shared by copies: use one stepper
  /// per thread).
  @usableFromInline
  let workspace: _VectorBlock
  @usableFromInline
  let k1, k2, k3, k4, k5, k6, k7, y0, y1, stage, error, r2, r3, r4, r5: UnsafeMutablePointer<Double>

  @inlinable
  public init(function: F, tolerances: [Tolerance], time: Double = 0) {
    precondition(tolerances.count == function.batchSize, "One tolerance per subject.")
    self.function = function
    self.tolerances = tolerances
    n = function.dimension
    count = function.batchSize
    reported = Array(0..<function.dimension)
    workspace = _VectorBlock(count: 15, length: n * count)
    lanes = _BatchLanes(count: count, controller: .dormandPrince54)
    let l = lanes
    (_times, steps, h, errors, taken) = (l.double(0), l.double(1), l.double(2), l.double(3), l.double(4))
    (absolute, relative, normSums, normFlags) = (l.double(5), l.double(6), l.double(7), l.double(8))
    (attempts, accepted, stiffChecks) = (l.integer(0), l.integer(1), l.integer(2))
    (nonStiffChecks, next, out) = (l.integer(3), l.integer(4), l.integer(5))
    subjects = l.integer(6)
    (started, active, lands) = (l.flag(0), l.flag(1), l.flag(2))
    controllers = l.controllers
    for s in 0..<count {
      (absolute[s], relative[s]) = (tolerances[s].absolute, tolerances[s].relative)
      _times[s] = time
      subjects[s] = s
    }
    let w = workspace
    (k1, k2, k3, k4, k5, k6, k7) = (
      w.vector(0), w.vector(1), w.vector(2), w.vector(3), w.vector(4), w.vector(5), w.vector(6)
    )
    (y0, y1, stage, error) = (w.vector(7), w.vector(8), w.vector(9), w.vector(10))
    (r2, r3, r4, r5) = (w.vector(11), w.vector(12), w.vector(13), w.vector(14))
  }

  /// Forgets every subject's step history (after doses changed the states or inputs).
  @inlinable
  public mutating func restart(at time: Double) {
    for s in 0..<count {
      _times[s] = time
      started[s] = false
      controllers[s].reset()
      stiffChecks[s] = 0
      nonStiffChecks[s] = 0
    }
  }

  /// `advance` writing each subject's outputs into its own block: subject s's outputs from
  /// `blocks[s] + statesStart` (n values per output, `range.count` outputs).
  @inlinable
  public mutating func advance(
    _ y: inout [Double], through outputs: [Double], range: Range<Int>, offset: Double, to target: Double,
    blocks: UnsafePointer<UnsafeMutablePointer<Double>>, statesStart: Int
  ) {
    let S = count
    // The states written per output (all n by default), interpolated two at a time.
    let r = reported.count
    let shown = UnsafeMutablePointer<Int>.allocate(capacity: Swift.max(r, 1))
    defer { shown.deallocate() }
    for q in 0..<r { shown[q] = reported[q] }
    // Each lane's output block (exchanged with the lanes).
    let laneBlocks = UnsafeMutablePointer<UnsafeMutablePointer<Double>>.allocate(capacity: Swift.max(S, 1))
    defer { laneBlocks.deallocate() }
    for s in 0..<S {
      next[s] = range.lowerBound
      out[s] = statesStart
      laneBlocks[s] = blocks[s]
    }
    func flush(_ s: Int) {
      while next[s] < range.upperBound && outputs[next[s]] + offset <= _times[s] {
        for q in 0..<r { laneBlocks[s][out[s] + q] = y[shown[q] * S + s] }
        out[s] += r
        next[s] += 1
      }
    }
    var needStart = false
    for s in 0..<S {
      active[s] = false
      if _failures[s] != nil || _stiffSubjects.contains(s) { continue }
      flush(s)
      if _StepLanding.reached(_times[s], target) {
        _times[s] = Swift.max(_times[s], target)
        flush(s)
        continue
      }
      active[s] = true
      if !started[s] { needStart = true }
    }
    if needStart { _start(y, target: target) }
    // `taken` is 1 where the subject's attempt was accepted, else 0: the state and first stage
    // of those lanes are replaced in one vectorised pass after the per-subject bookkeeping.
    var activeCount = 0
    for s in 0..<S {
      attempts[s] = 0
      lands[s] = false
      taken[s] = 0
      if active[s] { activeCount += 1 }
    }
    let (y0, y1, k1, k7) = (self.y0, self.y1, self.k1, self.k7)
    let (r2, r3, r4, r5) = (self.r2, self.r3, self.r4, self.r5)
    let m = n
    // The θ of up to eight outputs of one step.
    let theta = UnsafeMutablePointer<Double>.allocate(capacity: 8)
    defer { theta.deallocate() }
    // Lanes 0 ..< width hold the running subjects (after each iteration's exchanges).
    var width = S
    while activeCount > 0 {
      for s in 0..<width where active[s] {
        attempts[s] += 1
        let (hs, landing) = _StepLanding.step(steps[s], from: _times[s], to: target)
        lands[s] = landing
        h[s] = hs
        if attempts[s] > stepLimit {
          _failures[subjects[s]] = .stepLimit(time: _times[s], steps: stepLimit)
          active[s] = false
          activeCount -= 1
        } else if hs <= 16 * _times[s].magnitude.ulp {
          _failures[subjects[s]] = .stepTooSmall(time: _times[s], step: hs)
          active[s] = false
          activeCount -= 1
        }
      }
      guard activeCount > 0 else { break }
      _attempt(y, lanes: width)
      // The dense-output coefficients of every subject's attempt, in one vectorised pass (a
      // rejected subject's are never read: its outputs were written when it last accepted).
      _prepareDenseAll(lanes: width)
      var anyTaken = false
      outputs.withUnsafeBufferPointer { ob in
        let times = ob.baseAddress!
        for s in 0..<width {
          taken[s] = 0
          guard active[s] else { continue }
          let err = errors[s]
          if !err.isFinite {
            steps[s] = h[s] * 0.25
            if steps[s] <= 16 * Swift.max(_times[s].magnitude.ulp, 1e-300) {
              _failures[subjects[s]] = .nonFinite(time: _times[s], component: -1)
              active[s] = false
              activeCount -= 1
            }
            continue
          }
          if err > 1 {
            steps[s] = controllers[s].next(step: h[s], error: err, accepted: false)
            continue
          }
          // Accepted: y ← y1 and k1 ← k7 (after this loop, for every taken lane at once).
          taken[s] = 1
          anyTaken = true
          let hs = h[s]
          let start = _times[s]
          let end = lands[s] ? target : start + hs
          let stiff = _stiffnessCheck(s)
          steps[s] = controllers[s].next(step: hs, error: err, accepted: true)
          // Dense output at the outputs this step covers, up to eight at a time, two states
          // per SIMD operation (their coefficients loaded once per step); per value the
          // operations of `DormandPrince54.interpolate`. Outputs at the step's end are y1.
          var o = out[s]
          var k = next[s]
          var last = k
          while last < range.upperBound && times[last] + offset <= end { last &+= 1 }
          while k < last {
            let c = Swift.min(last &- k, 8)
            for w in 0..<c { theta[w] = (times[k &+ w] + offset - start) / hs }
            Self._interpolate(
              lane: s, lanes: S, reported: shown, count: r, theta: theta, values: c, y0: y0, r2: r2, r3: r3,
              r4: r4, r5: r5, into: laneBlocks[s] + o)
            // (Outputs are in order and none is past the end: only the last ones can be at it.)
            var w = c
            while w > 0 && times[k &+ w &- 1] + offset >= end {
              w &-= 1
              let q = laneBlocks[s] + (o &+ w &* r)
              for j in 0..<r { q[j] = y1[shown[j] &* S &+ s] }
            }
            o &+= c &* r
            k &+= c
          }
          out[s] = o
          next[s] = k
          _times[s] = end
          if stiff {
            _stiffSubjects.insert(subjects[s])
            active[s] = false
            activeCount -= 1
          } else if end >= target {
            active[s] = false
            activeCount -= 1
          }
        }
      }
      guard anyTaken else { continue }
      y.withUnsafeMutableBufferPointer { yb in
        for i in 0..<m {
          let o = i &* S
          Self._take(taken, y1 + o, k7 + o, into: yb.baseAddress! + o, k1 + o, count: width)
        }
      }
      // Subjects that stopped go behind the running ones.
      var l = 0
      while l < width {
        if active[l] {
          l += 1
          continue
        }
        width -= 1
        if l != width { _swapLanes(l, width, &y, laneBlocks) }
      }
    }
    // Every subject back in its own lane.
    for l in 0..<S {
      while subjects[l] != l { _swapLanes(l, subjects[l], &y, laneBlocks) }
    }
  }

  /// Exchanges lanes a and b: the state and first stage, the bookkeeping, the output block and
  /// the function's parameters (the other stage vectors are rebuilt by every attempt).
  @inlinable
  mutating func _swapLanes(
    _ a: Int, _ b: Int, _ y: inout [Double], _ laneBlocks: UnsafeMutablePointer<UnsafeMutablePointer<Double>>
  ) {
    let S = count
    y.withUnsafeMutableBufferPointer { yb in
      for i in 0..<n {
        yb.swapAt(i * S + a, i * S + b)
        swap(&k1[i * S + a], &k1[i * S + b])
      }
    }
    func exchange<T>(_ p: UnsafeMutablePointer<T>) { swap(&p[a], &p[b]) }
    exchange(_times)
    exchange(steps)
    exchange(absolute)
    exchange(relative)
    exchange(attempts)
    exchange(accepted)
    exchange(stiffChecks)
    exchange(nonStiffChecks)
    exchange(next)
    exchange(out)
    exchange(subjects)
    exchange(started)
    exchange(active)
    exchange(lands)
    exchange(controllers)
    exchange(laneBlocks)
    function.swapLanes(a, b)
  }

  /// Lane s's dense output of the `count` states at `reported`, at `values` values of θ, into
  /// `out` (`count` values per θ), two states per SIMD operation:
  /// `y0 + θ(r2 + (1 − θ)(r3 + θ(r4 + (1 − θ) r5)))`, per value the operations of
  /// `DormandPrince54.interpolate`. The coefficients are n × S blocks (lane s at i·S + s).
  @inlinable
  static func _interpolate(
    lane s: Int, lanes S: Int, reported: UnsafePointer<Int>, count r: Int, theta: UnsafePointer<Double>,
    values c: Int, y0: UnsafePointer<Double>, r2: UnsafePointer<Double>, r3: UnsafePointer<Double>,
    r4: UnsafePointer<Double>, r5: UnsafePointer<Double>, into out: UnsafeMutablePointer<Double>
  ) {
    typealias V = SIMD2<Double>
    var q = 0
    while q &+ 2 <= r {
      let j = reported[q] &* S &+ s
      let k = reported[q &+ 1] &* S &+ s
      let (a, b, d) = (V(y0[j], y0[k]), V(r2[j], r2[k]), V(r3[j], r3[k]))
      let (e, f) = (V(r4[j], r4[k]), V(r5[j], r5[k]))
      for w in 0..<c {
        let th = V(repeating: theta[w])
        let u = 1 - th
        var v = e + u * f
        v = d + th * v
        v = b + u * v
        v = a + th * v
        UnsafeMutableRawPointer(out + (w &* r &+ q)).storeBytes(of: v, as: V.self)
      }
      q &+= 2
    }
    if q < r {
      let j = reported[q] &* S &+ s
      let (a, b, d, e, f) = (y0[j], r2[j], r3[j], r4[j], r5[j])
      for w in 0..<c {
        let th = theta[w]
        let u = 1 - th
        out[w &* r &+ q] = a + th * (b + u * (d + th * (e + u * f)))
      }
    }
  }

  /// y ← y1 and k1 ← k7 in the lanes where `taken` is not 0, two lanes per SIMD operation.
  @inlinable
  static func _take(
    _ taken: UnsafePointer<Double>, _ y1: UnsafePointer<Double>, _ k7: UnsafePointer<Double>,
    into y: UnsafeMutablePointer<Double>, _ k1: UnsafeMutablePointer<Double>, count: Int
  ) {
    typealias V = SIMD2<Double>
    var s = 0
    while s &+ 2 <= count {
      let mask = UnsafeRawPointer(taken + s).loadUnaligned(as: V.self) .!= 0
      var a = UnsafeRawPointer(y + s).loadUnaligned(as: V.self)
      a.replace(with: UnsafeRawPointer(y1 + s).loadUnaligned(as: V.self), where: mask)
      UnsafeMutableRawPointer(y + s).storeBytes(of: a, as: V.self)
      var b = UnsafeRawPointer(k1 + s).loadUnaligned(as: V.self)
      b.replace(with: UnsafeRawPointer(k7 + s).loadUnaligned(as: V.self), where: mask)
      UnsafeMutableRawPointer(k1 + s).storeBytes(of: b, as: V.self)
      s &+= 2
    }
    while s < count {
      if taken[s] != 0 {
        y[s] = y1[s]
        k1[s] = k7[s]
      }
      s &+= 1
    }
  }

  /// The starting step of `StepController.initialStep`, for the subjects not yet started.
  @inlinable
  mutating func _start(_ y: [Double], target: Double) {
    let S = count
    y.withUnsafeBufferPointer { function.evaluate($0.baseAddress!, into: k1) }  // f0 for everyone (FSAL: k1 = f(y))
    var h0 = [Double](repeating: 0, count: S)
    var d1s = h0
    for s in 0..<S where active[s] && !started[s] {
      var d0 = 0.0
      var d1 = 0.0
      for i in 0..<n {
        let j = i * S + s
        let sc = absolute[s] + relative[s] * abs(y[j])
        d0 += (y[j] / sc) * (y[j] / sc)
        d1 += (k1[j] / sc) * (k1[j] / sc)
      }
      d0 = (d0 / Double(n)).squareRoot()
      d1 = (d1 / Double(n)).squareRoot()
      h0[s] = StepController.trialStep(d0: d0, d1: d1, maximum: target - _times[s])
      d1s[s] = d1
    }
    for i in 0..<n { for s in 0..<S { stage[i * S + s] = y[i * S + s] + h0[s] * k1[i * S + s] } }
    function.evaluate(stage, into: k2)
    for s in 0..<S where active[s] && !started[s] {
      var d2 = 0.0
      for i in 0..<n {
        let j = i * S + s
        let sc = absolute[s] + relative[s] * abs(y[j])
        let v = (k2[j] - k1[j]) / sc
        d2 += v * v
      }
      d2 = (d2 / Double(n)).squareRoot() / h0[s]
      steps[s] = StepController.startingStep(
        h0: h0[s], d1: d1s[s], d2: d2, order: T.order, maximum: target - _times[s])
      started[s] = true
    }
  }

  /// One attempt for every subject with its own h: stages, y1, k7 and the error norms.
  @inlinable
  mutating func _attempt(_ yArray: [Double], lanes W: Int) {
    let S = count
    let m = n
    let (k1, k2, k3, k4, k5, k6, k7) = (self.k1, self.k2, self.k3, self.k4, self.k5, self.k6, self.k7)
    let (y0, y1, stage, error) = (self.y0, self.y1, self.stage, self.error)
    let h = self.h
    yArray.withUnsafeBufferPointer { yb in
      // Each row rebased once (o = i·S), so the lane loops index from 0 without overflow
      // checks and vectorise over subjects; per lane the operations are those of
      // `DormandPrince54.attempt`, in its order.
      for i in 0..<m {
        let o = i &* S
        let (y, y0, stage, k1) = (yb.baseAddress! + o, y0 + o, stage + o, k1 + o)
        for s in 0..<W {
          y0[s] = y[s]
          stage[s] = y[s] + h[s] * T.a21 * k1[s]
        }
      }
      function.evaluate(stage, into: k2, lanes: W)
      for i in 0..<m {
        let o = i &* S
        let (y, stage, k1, k2) = (yb.baseAddress! + o, stage + o, k1 + o, k2 + o)
        for s in 0..<W { stage[s] = y[s] + h[s] * (T.a31 * k1[s] + T.a32 * k2[s]) }
      }
      function.evaluate(stage, into: k3, lanes: W)
      for i in 0..<m {
        let o = i &* S
        let (y, stage, k1, k2, k3) = (yb.baseAddress! + o, stage + o, k1 + o, k2 + o, k3 + o)
        for s in 0..<W { stage[s] = y[s] + h[s] * (T.a41 * k1[s] + T.a42 * k2[s] + T.a43 * k3[s]) }
      }
      function.evaluate(stage, into: k4, lanes: W)
      for i in 0..<m {
        let o = i &* S
        let (y, stage, k1, k2, k3, k4) = (yb.baseAddress! + o, stage + o, k1 + o, k2 + o, k3 + o, k4 + o)
        for s in 0..<W {
          stage[s] = y[s] + h[s] * (T.a51 * k1[s] + T.a52 * k2[s] + T.a53 * k3[s] + T.a54 * k4[s])
        }
      }
      function.evaluate(stage, into: k5, lanes: W)
      for i in 0..<m {
        let o = i &* S
        let (y, stage, k1, k2, k3) = (yb.baseAddress! + o, stage + o, k1 + o, k2 + o, k3 + o)
        let (k4, k5) = (k4 + o, k5 + o)
        for s in 0..<W {
          stage[s] =
            y[s] + h[s] * (T.a61 * k1[s] + T.a62 * k2[s] + T.a63 * k3[s] + T.a64 * k4[s] + T.a65 * k5[s])
        }
      }
      function.evaluate(stage, into: k6, lanes: W)
      for i in 0..<m {
        let o = i &* S
        let (y, y1, k1, k3, k4) = (yb.baseAddress! + o, y1 + o, k1 + o, k3 + o, k4 + o)
        let (k5, k6) = (k5 + o, k6 + o)
        for s in 0..<W {
          y1[s] = y[s] + h[s] * (T.b1 * k1[s] + T.b3 * k3[s] + T.b4 * k4[s] + T.b5 * k5[s] + T.b6 * k6[s])
        }
      }
      function.evaluate(y1, into: k7, lanes: W)
      for i in 0..<m {
        let o = i &* S
        let (error, k1, k3, k4, k5) = (error + o, k1 + o, k3 + o, k4 + o, k5 + o)
        let (k6, k7) = (k6 + o, k7 + o)
        for s in 0..<W {
          error[s] =
            h[s] * (T.e1 * k1[s] + T.e3 * k3[s] + T.e4 * k4[s] + T.e5 * k5[s] + T.e6 * k6[s] + T.e7 * k7[s])
        }
      }
    }
    // The scaled RMS norm of `Tolerance.norm` for every subject at once: per lane the same
    // additions in the same order (rows ascending); `flags` turns NaN where y1 is not finite.
    let (atol, rtol) = (absolute, relative)
    let (sums, flags) = (normSums, normFlags)
    for s in 0..<W {
      sums[s] = 0
      flags[s] = 0
    }
    for i in 0..<m {
      let o = i &* S
      let (y0, y1, error) = (y0 + o, y1 + o, error + o)
      for s in 0..<W {
        let scale = atol[s] + rtol[s] * Swift.max(abs(y0[s]), abs(y1[s]))
        let e = error[s] / scale
        sums[s] += e * e
        flags[s] += y1[s] - y1[s]
      }
    }
    let count = Double(Swift.max(1, m))
    for s in 0..<W {
      let err = (sums[s] / count).squareRoot()
      errors[s] = err.isFinite && flags[s] == 0 ? err : .infinity
    }
  }

  /// The dense-output coefficients of `DormandPrince54` for every subject, from this attempt's
  /// k1 (before it is replaced) and k7.
  @inlinable
  func _prepareDenseAll(lanes W: Int) {
    let S = count
    let (k1, k3, k4, k5, k6, k7) = (self.k1, self.k3, self.k4, self.k5, self.k6, self.k7)
    let (y0, y1, r2, r3, r4, r5) = (self.y0, self.y1, self.r2, self.r3, self.r4, self.r5)
    let h = self.h
    for i in 0..<n {
      let o = i &* S
      let (k1, k3, k4, k5, k6, k7) = (k1 + o, k3 + o, k4 + o, k5 + o, k6 + o, k7 + o)
      let (y0, y1, r2, r3, r4, r5) = (y0 + o, y1 + o, r2 + o, r3 + o, r4 + o, r5 + o)
      for s in 0..<W {
        let hs = h[s]
        let dy = y1[s] - y0[s]
        let bspl = hs * k1[s] - dy
        r2[s] = dy
        r3[s] = bspl
        r4[s] = dy - hs * k7[s] - bspl
        r5[s] =
          hs * (T.d1 * k1[s] + T.d3 * k3[s] + T.d4 * k4[s] + T.d5 * k5[s] + T.d6 * k6[s] + T.d7 * k7[s])
      }
    }
  }

  /// Hairer's stiffness test for subject s, after its accepted step (as `DormandPrince54`).
  @inlinable
  mutating func _stiffnessCheck(_ s: Int) -> Bool {
    let S = count
    accepted[s] += 1
    guard accepted[s] % 15 == 0 || stiffChecks[s] > 0 else { return false }
    var num = 0.0
    var den = 0.0
    for i in 0..<n {
      let j = i * S + s
      num += (k7[j] - k6[j]) * (k7[j] - k6[j])
      den += (y1[j] - stage[j]) * (y1[j] - stage[j])
    }
    return _StiffnessCount.record(
      den > 0 && h[s] * (num / den).squareRoot() > 3.25, positives: &stiffChecks[s],
      negatives: &nonStiffChecks[s])
  }
}
