import PKLinearAlgebra

/// Moves the state of a nonlinear system from one stop time to the next with adaptive steps,
/// reporting the state at output times in between by dense output.
///
/// ```
/// y(t_k) for each output time t_k in (t, target],   no step crosses `target` (a stop time)
/// ```
/// The method (`AdaptiveMethod`), the step control (`StepController`) and the output
/// (each method's `interpolate`) are kept apart. After the state or the function's input is
/// changed from outside (a dose), call `restart()`: the next step starts afresh with the
/// starting-step heuristic. Results depend only on the state, the function and the stop and
/// output times, never on what else runs beside it.
public struct AdaptiveStepper<F: ODEFunction> {
  /// The right-hand side.
  public let function: F
  /// The accuracy asked for.
  public var tolerance: Tolerance
  /// The method asked for.
  public let method: AdaptiveMethod
  /// The most steps between two stop times.
  public var stepLimit = 500_000
  /// The states the caller reads at output times (ascending, each below the dimension), or nil
  /// (the default) for all. The Taylor method interpolates only these: its dense output costs
  /// p multiply-adds per state and output time. The other methods' dense output costs a few
  /// and writes every state. A state not listed may be left unwritten in the output rows.
  public var outputStates: [Int]? = nil {
    didSet {
      if let s = outputStates {
        precondition(
          s.allSatisfy { $0 >= 0 && $0 < function.dimension } && zip(s, s.dropFirst()).allSatisfy { $0 < $1 },
          "Output states must be ascending states of the system.")
      }
    }
  }
  /// The time the state has reached.
  public var time: Double { _time }
  @usableFromInline
  var _time: Double
  /// Counters, for tests and benchmarks.
  public var acceptedSteps: Int { _acceptedSteps }
  public var rejectedSteps: Int { _rejectedSteps }
  @usableFromInline
  var _acceptedSteps = 0
  @usableFromInline
  var _rejectedSteps = 0
  /// Whether the automatic method has switched to the stiff method.
  public var isStiff: Bool { _isStiff }
  @usableFromInline
  var _isStiff: Bool

  @usableFromInline
  var explicit: DormandPrince54
  @usableFromInline
  var stiff: Rosenbrock43
  @usableFromInline
  var high: DormandPrince853
  /// The Taylor series method's coefficients (nil for the other methods).
  @usableFromInline
  var series: TaylorSeries?
  @usableFromInline
  var highController = StepController(order: DormandPrince853.order)
  @usableFromInline
  var explicitController = StepController.dormandPrince54
  @usableFromInline
  var stiffController = StepController(order: Rosenbrock43.order)
  @usableFromInline
  var step = 0.0
  @usableFromInline
  var started = false
  @usableFromInline
  var f0: [Double]
  @usableFromInline
  var scratch: [Double]
  @usableFromInline
  var scratch2: [Double]

  @inlinable
  public init(function: F, method: AdaptiveMethod, tolerance: Tolerance, time: Double = 0) {
    self.function = function
    self.method = method
    self.tolerance = tolerance
    self._time = time
    let n = function.dimension
    // Each method's cache only where the method can run (the automatic method may switch from
    // Dormand–Prince to Rosenbrock); the others are empty.
    let explicitRuns = method == .automatic || method == .dormandPrince54
    explicit = DormandPrince54(dimension: explicitRuns ? n : 0)
    stiff = Rosenbrock43(dimension: method == .automatic || method == .rosenbrock43 ? n : 0)
    high = DormandPrince853(dimension: method == .dormandPrince853 ? n : 0)
    series = method == .taylor ? TaylorSeries(dimension: n, order: TaylorSeries.order(for: tolerance)) : nil
    _isStiff = method == .rosenbrock43
    f0 = [Double](repeating: 0, count: n)
    scratch = f0
    scratch2 = f0
  }

  /// Sets the clock (for a state that now belongs to this stepper) and restarts.
  @inlinable
  public mutating func setTime(_ t: Double) {
    _time = t
    restart()
  }

  /// Forgets the step history: the state or the function's input changed.
  @inlinable
  public mutating func restart() {
    started = false
    explicit.restart()
    stiff.restart()
    explicitController.reset()
    stiffController.reset()
    high.restart()
    highController.reset()
    if method == .automatic { _isStiff = false }
  }

  /// Advances `y` to `target` (a stop time).
  @inlinable
  public mutating func advance(_ y: inout [Double], to target: Double) throws(IntegrationError) {
    var none: [Double] = []
    try _integrate(&y, to: target, outputs: [], range: 0..<0, offset: 0, states: &none, statesStart: 0)
  }

  /// Advances `y` through `targets[range]` (each plus `offset`), the last being a stop time,
  /// writing the state at each into `states` from `statesStart` (n values per target).
  @inlinable
  public mutating func advance(
    _ y: inout [Double], through targets: [Double], range: Range<Int>, offset: Double,
    states: inout [Double], statesStart: Int
  ) throws(IntegrationError) {
    guard let last = range.last else { return }
    try _integrate(
      &y, to: targets[last] + offset, outputs: targets, range: range, offset: offset, states: &states,
      statesStart: statesStart)
  }

  @inlinable
  mutating func _integrate(
    _ y: inout [Double], to target: Double, outputs: [Double], range: Range<Int>, offset: Double,
    states: inout [Double], statesStart: Int
  ) throws(IntegrationError) {
    let n = y.count
    var next = range.lowerBound
    var out = statesStart
    // Outputs at or before the current time (within rounding) are the current state.
    func flushReached() {
      while next < range.upperBound && outputs[next] + offset <= _time {
        for i in 0..<n { states[out + i] = y[i] }
        out += n
        next += 1
      }
    }
    flushReached()
    let span = target - _time
    if span <= 16 * Swift.max(target.magnitude.ulp, span.magnitude.ulp) {
      _time = Swift.max(_time, target)
      flushReached()
      return
    }
    if !started && method == .taylor {
      // No starting step: each step comes from its series. The order follows the tolerance,
      // which may have changed since the last segment.
      let order = TaylorSeries.order(for: tolerance)
      if order != series?.order { series = TaylorSeries(dimension: n, order: order) }
      started = true
    } else if !started {
      function.evaluate(y, into: &f0)
      let order =
        method == .dormandPrince853
        ? DormandPrince853.order : _isStiff ? Rosenbrock43.order : DormandPrince54.order
      step = StepController.initialStep(
        function, y0: y, f0: f0, order: order, tolerance: tolerance, maximum: span,
        scratch: &scratch, scratch2: &scratch2)
      started = true
    }
    var steps = 0
    while _time < target {
      steps += 1
      if steps > stepLimit { throw .stepLimit(time: _time, steps: stepLimit) }
      if method == .taylor {
        let t = _time
        step = try y.withUnsafeBufferPointer { (yp) throws(IntegrationError) -> Double in
          try series!.prepare(function, from: yp.baseAddress!, tolerance: tolerance, time: t)
        }
      }
      let remaining = target - _time
      var h = Swift.min(step, remaining)
      // Land exactly on the stop time rather than leave a sliver.
      let lands = h >= remaining * (1 - 1e-12) || remaining - h < 1e-10 * Swift.max(1, abs(target))
      if lands { h = remaining }
      if h <= 16 * _time.magnitude.ulp { throw .stepTooSmall(time: _time, step: h) }
      let err: Double
      if method == .taylor {
        err = 0  // the step was chosen from the series: it is never rejected
      } else if method == .dormandPrince853 {
        err = high.attempt(function, from: y, step: h, tolerance: tolerance)
      } else if _isStiff {
        do { err = try stiff.attempt(function, from: y, step: h, tolerance: tolerance) } catch {
          throw .singularMatrix(time: _time)
        }
      } else {
        err = explicit.attempt(function, from: y, step: h, tolerance: tolerance)
      }
      if !err.isFinite {
        _rejectedSteps += 1
        step = h * 0.25
        if step <= 16 * Swift.max(_time.magnitude.ulp, 1e-300) {
          function.evaluate(y, into: &scratch)
          let bad = (0..<n).first { !scratch[$0].isFinite } ?? -1
          throw .nonFinite(time: _time, component: bad)
        }
        continue
      }
      if err > 1 {
        _rejectedSteps += 1
        step =
          method == .dormandPrince853
          ? highController.next(step: h, error: err, accepted: false)
          : _isStiff
            ? stiffController.next(step: h, error: err, accepted: false)
            : explicitController.next(step: h, error: err, accepted: false)
        continue
      }
      // Accepted.
      _acceptedSteps += 1
      let start = _time
      let end = lands ? target : _time + h
      var switchToStiff = false
      if method == .taylor {
        series!.accept(step: h, into: &y)
      } else if method == .dormandPrince853 {
        let dense = next < range.upperBound && outputs[next] + offset < end
        high.accept(function, into: &y, dense: dense)
        step = highController.next(step: h, error: err, accepted: true)
      } else if _isStiff {
        stiff.accept(function, into: &y)
        step = stiffController.next(step: h, error: err, accepted: true)
      } else {
        switchToStiff = explicit.accept(into: &y) && method == .automatic
        step = explicitController.next(step: h, error: err, accepted: true)
      }
      if next < range.upperBound && outputs[next] + offset <= end {
        states.withUnsafeMutableBufferPointer { sp in
          let p = sp.baseAddress!
          // The Taylor series: up to eight times inside the step at once (s = t − start), the
          // series and the states taken once per step, not per eight times.
          if method == .taylor, let taylor = series, next < range.upperBound && outputs[next] + offset < end {
            (outputStates ?? []).withUnsafeBufferPointer { listed in
              let chosen = outputStates == nil ? nil : listed
              outputs.withUnsafeBufferPointer { times in
                while next < range.upperBound && times[next] + offset < end {
                  var s = SIMD8<Double>()
                  var count = 0
                  while count < 8 && next + count < range.upperBound && times[next + count] + offset < end {
                    s[count] = times[next + count] + offset - start
                    count += 1
                  }
                  precondition(out + count * n <= sp.count, "The output block is too short.")
                  taylor.interpolate(at: s, count: count, states: chosen, into: p + out)
                  out += count * n
                  next += count
                }
              }
            }
          }
          while next < range.upperBound && outputs[next] + offset <= end {
            let t = outputs[next] + offset
            precondition(out + n <= sp.count, "The output block is too short.")
            if t >= end {
              for i in 0..<n { p[out + i] = y[i] }
            } else {
              let theta = (t - start) / h
              if method == .dormandPrince853 {
                high.interpolate(theta, into: p + out)
              } else if _isStiff {
                stiff.interpolate(theta, into: p + out)
              } else {
                explicit.interpolate(theta, into: p + out)
              }
            }
            out += n
            next += 1
          }
        }
      }
      _time = end
      if switchToStiff {
        _isStiff = true
        stiff.restart()
        stiffController.reset()
      }
    }
  }
}
