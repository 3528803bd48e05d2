extension AdaptiveStepper {
  /// The Taylor method's steps from the current time to `target`, writing the output times
  /// `outputs[next..<range.upperBound]` (each plus `offset`) that the steps pass from row `out`
  /// of `states` on.
  ///
  /// ```
  /// h = TaylorSeries.prepare (never rejected),   y ← Σ y_[k]·h^k,   y(t_j) = Σ y_[k]·(t_j − t)^k
  /// ```
  /// The loop of `_integrate` for this method alone: it has no rejected steps and no step
  /// controller, and it runs on raw pointers to the state, the rows and the output times taken
  /// once for the segment, with the series and the function as constants. Through `self` and
  /// the arrays, each step retained and released them around every call (atomic operations:
  /// 8 % of a solve on the solver issue's scenario).
  ///
  /// For the automatic method, a stiffness test after the manner of Hairer's for
  /// Dormand–Prince (Hairer & Wanner, Solving ODEs II, §IV.2): a step is a positive check when
  ///
  /// ```
  /// h·λ̂ > 0.85 · x_p,   λ̂ = p·max|y_[p]|/max|y_[p−1]|   (`TaylorSeries.prepare`)
  /// ```
  /// with x_p the method's real stability interval (`TaylorSeries.realStabilityInterval`: a
  /// step held at the edge of stability by a decayed fast mode); when the count fires
  /// (`_StiffnessCount`: 15 positive checks, six negative ones resetting it) the method switches
  /// to Rosenbrock (`isStiff`) after the step, and the loop returns before `target`, with the
  /// last step as Rosenbrock's first.
  @inlinable
  mutating func _taylorSteps(
    _ y: inout [Double], to target: Double, outputs: [Double], range: Range<Int>, offset: Double,
    next: inout Int, states: inout [Double], out: inout Int
  ) throws(IntegrationError) {
    let taylor = series!
    let f = function
    let tolerance = tolerance
    let stepLimit = stepLimit
    let projection = outputProjection
    let detectsStiffness = method == .automatic
    let stiffnessBound = 0.85 * TaylorSeries.realStabilityInterval[taylor.order]
    var stiffChecks = _taylorStiffChecks
    var nonStiffChecks = _taylorNonStiffChecks
    var switches = false
    var lastStep = 0.0
    let n = y.count
    let width = projection?.states.count ?? n
    let last = range.upperBound
    var time = _time
    var accepted = 0
    var nextOutput = next
    var row = out
    defer {
      _time = time
      _acceptedSteps += accepted
      next = nextOutput
      out = row
      _taylorStiffChecks = stiffChecks
      _taylorNonStiffChecks = nonStiffChecks
      if switches {
        _isStiff = true
        step = lastStep
        stiff.restart()
        stiffController.reset()
      }
    }
    try y.withUnsafeMutableBufferPointer { (yb) throws(IntegrationError) in
      try states.withUnsafeMutableBufferPointer { (sb) throws(IntegrationError) in
        try outputs.withUnsafeBufferPointer { (times) throws(IntegrationError) in
          try (projection?.states ?? []).withUnsafeBufferPointer { (listed) throws(IntegrationError) in
            try (projection?.factors ?? []).withUnsafeBufferPointer { (factors) throws(IntegrationError) in
              let yp = yb.baseAddress!
              var steps = 0
              while time < target {
                steps += 1
                if steps > stepLimit { throw .stepLimit(time: time, steps: stepLimit) }
                let (proposed, rate) = try taylor.prepare(
                  f, from: UnsafePointer(yp), tolerance: tolerance, time: time)
                let (h, lands) = try Self._step(proposed, from: time, to: target)
                if detectsStiffness {
                  switches = _StiffnessCount.record(
                    h * rate > stiffnessBound, positives: &stiffChecks, negatives: &nonStiffChecks)
                }
                taylor._evaluate(at: h, into: yp)
                accepted += 1
                let start = time
                let end = lands ? target : time + h
                // Up to eight times inside the step at once (s = t − start).
                while nextOutput < last && times[nextOutput] + offset < end {
                  var s = SIMD8<Double>()
                  var count = 0
                  while count < 8 && nextOutput + count < last && times[nextOutput + count] + offset < end {
                    s[count] = times[nextOutput + count] + offset - start
                    count += 1
                  }
                  precondition(row + count * width <= sb.count, "The output block is too short.")
                  if projection == nil {
                    taylor.interpolate(at: s, count: count, into: sb.baseAddress! + row)
                  } else {
                    taylor.interpolate(
                      at: s, count: count, states: listed, factors: factors, into: sb.baseAddress! + row)
                  }
                  row += count * width
                  nextOutput += count
                }
                // Times at the step's end (within rounding) are its end state.
                while nextOutput < last && times[nextOutput] + offset <= end {
                  precondition(row + width <= sb.count, "The output block is too short.")
                  if let projection {
                    projection._project(yp, into: sb.baseAddress! + row)
                  } else {
                    (sb.baseAddress! + row).update(from: yp, count: n)
                  }
                  row += width
                  nextOutput += 1
                }
                time = end
                if switches {
                  lastStep = h
                  break
                }
              }
            }
          }
        }
      }
    }
  }
}
