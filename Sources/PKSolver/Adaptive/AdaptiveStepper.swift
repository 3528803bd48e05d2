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
  /// What the output rows hold: nil (the default) for the whole state, n values a row, or a
  /// projection (`OutputProjection`): listed states times factors, `states.count` values a
  /// row, such as the output compartments' concentrations.
  public var outputProjection: OutputProjection? = nil {
    didSet {
      if let o = outputProjection {
        precondition(
          o.states.allSatisfy { $0 < function.dimension }, "Projected states must be states of the system.")
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
  /// The automatic method's stiffness test on Taylor steps: positive checks in a row, and
  /// negative ones since the last positive (`_taylorSteps`).
  @usableFromInline
  var _taylorStiffChecks = 0
  @usableFromInline
  var _taylorNonStiffChecks = 0

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
  /// The whole state at an output time, before its projection (`outputProjection`).
  @usableFromInline
  let wholeState: _VectorBlock

  @inlinable
  public init(function: F, method: AdaptiveMethod, tolerance: Tolerance, time: Double = 0) {
    self.function = function
    self.method = method
    self.tolerance = tolerance
    self._time = time
    let n = function.dimension
    // Each method's cache only where the method can run (the automatic method may switch from
    // Dormand–Prince to Rosenbrock); the others are empty.
    let taylorRuns = method == .taylor || (method == .automatic && function.givesTaylorCoefficients)
    let explicitRuns = method == .dormandPrince54 || (method == .automatic && !taylorRuns)
    explicit = DormandPrince54(dimension: explicitRuns ? n : 0)
    stiff = Rosenbrock43(dimension: method == .automatic || method == .rosenbrock43 ? n : 0)
    high = DormandPrince853(dimension: method == .dormandPrince853 ? n : 0)
    series = taylorRuns ? TaylorSeries(dimension: n, order: TaylorSeries.order(for: tolerance)) : nil
    _isStiff = method == .rosenbrock43
    f0 = [Double](repeating: 0, count: n)
    scratch = f0
    scratch2 = f0
    wholeState = _VectorBlock(count: 1, length: n)
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
    _taylorStiffChecks = 0
    _taylorNonStiffChecks = 0
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

  /// The step to take from `time` towards the stop time `target` when `proposed` is the
  /// method's choice (`_StepLanding`: it lands exactly on the stop time when it would reach it
  /// or leave a sliver).
  ///
  /// - Throws: `IntegrationError.stepTooSmall` for a step below 16 ulps of the time.
  @inlinable
  static func _step(_ proposed: Double, from time: Double, to target: Double) throws(IntegrationError) -> (
    h: Double, lands: Bool
  ) {
    let (h, lands) = _StepLanding.step(proposed, from: time, to: target)
    if h <= 16 * time.magnitude.ulp { throw .stepTooSmall(time: time, step: h) }
    return (h, lands)
  }

  /// Writes the state `y` as an output row at `out`: whole, or its projection.
  @inlinable
  static func _write(_ y: [Double], _ projection: OutputProjection?, into states: inout [Double], at out: Int)
  {
    y.withUnsafeBufferPointer { yp in
      states.withUnsafeMutableBufferPointer { sp in
        if let projection {
          projection._project(yp.baseAddress!, into: sp.baseAddress! + out)
        } else {
          (sp.baseAddress! + out).update(from: yp.baseAddress!, count: yp.count)
        }
      }
    }
  }

  @inlinable
  mutating func _integrate(
    _ y: inout [Double], to target: Double, outputs: [Double], range: Range<Int>, offset: Double,
    states: inout [Double], statesStart: Int
  ) throws(IntegrationError) {
    let n = y.count
    let projection = outputProjection
    let width = projection?.states.count ?? n
    var next = range.lowerBound
    var out = statesStart
    // Outputs at or before the current time (within rounding) are the current state.
    func flushReached() {
      while next < range.upperBound && outputs[next] + offset <= _time {
        precondition(out + width <= states.count, "The output block is too short.")
        Self._write(y, projection, into: &states, at: out)
        out += width
        next += 1
      }
    }
    flushReached()
    if _StepLanding.reached(_time, target) {
      _time = Swift.max(_time, target)
      flushReached()
      return
    }
    // The Taylor method (asked for, or the automatic method's choice for a function that gives
    // Taylor coefficients) until the automatic method's stiffness test fires.
    let taylorRuns = series != nil && !_isStiff
    if !started && taylorRuns {
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
        function, y0: y, f0: f0, order: order, tolerance: tolerance, maximum: target - _time,
        scratch: &scratch, scratch2: &scratch2)
      started = true
    }
    if taylorRuns {
      try _taylorSteps(
        &y, to: target, outputs: outputs, range: range, offset: offset, next: &next, states: &states,
        out: &out)
      // Unless the stiffness test fired, the stop time is reached; else Rosenbrock goes on from
      // the last Taylor step.
      guard _isStiff else { return }
    }
    try _rungeKuttaSteps(
      &y, to: target, outputs: outputs, range: range, offset: offset, next: &next, states: &states, out: &out)
  }

  /// The Runge–Kutta methods' steps (Dormand–Prince, DOP853, Rosenbrock) from the current time
  /// to `target`: attempt, error, step control, and on acceptance the outputs the step passes
  /// (`outputs[next..<range.upperBound]`, each plus `offset`, from row `out` of `states`) by the
  /// method's dense output. Its own function, as `_taylorSteps` is: in `_integrate`, beside the
  /// Taylor call and the closure that flushes reached outputs, the loop's accesses to `next` and
  /// `out` were checked for exclusivity at run time, once a step (10 % of a Dormand–Prince solve).
  @inlinable
  mutating func _rungeKuttaSteps(
    _ y: inout [Double], to target: Double, outputs: [Double], range: Range<Int>, offset: Double,
    next nextOutput: inout Int, states: inout [Double], out row: inout Int
  ) throws(IntegrationError) {
    // The output positions as locals (registers), written back when the loop ends.
    var next = nextOutput
    var out = row
    defer {
      nextOutput = next
      row = out
    }
    let n = y.count
    let projection = outputProjection
    let projected = projection != nil
    let width = projection?.states.count ?? n
    var steps = 0
    // The function as a constant of the loop: read from `self`, it was retained and released
    // around every call.
    let f = function
    let tolerance = tolerance
    while _time < target {
      steps += 1
      if steps > stepLimit { throw .stepLimit(time: _time, steps: stepLimit) }
      let (h, lands) = try Self._step(step, from: _time, to: target)
      let err: Double
      if method == .dormandPrince853 {
        err = high.attempt(f, from: y, step: h, tolerance: tolerance)
      } else if _isStiff {
        do { err = try stiff.attempt(f, from: y, step: h, tolerance: tolerance) } catch {
          throw .singularMatrix(time: _time)
        }
      } else {
        err = explicit.attempt(f, from: y, step: h, tolerance: tolerance)
      }
      if !err.isFinite {
        _rejectedSteps += 1
        step = h * 0.25
        if step <= 16 * Swift.max(_time.magnitude.ulp, 1e-300) {
          f.evaluate(y, into: &scratch)
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
      if method == .dormandPrince853 {
        let dense = next < range.upperBound && outputs[next] + offset < end
        high.accept(f, into: &y, dense: dense)
        step = highController.next(step: h, error: err, accepted: true)
      } else if _isStiff {
        stiff.accept(f, into: &y)
        step = stiffController.next(step: h, error: err, accepted: true)
      } else {
        switchToStiff = explicit.accept(into: &y) && method == .automatic
        step = explicitController.next(step: h, error: err, accepted: true)
      }
      if next < range.upperBound && outputs[next] + offset <= end {
        states.withUnsafeMutableBufferPointer { sp in
          while next < range.upperBound && outputs[next] + offset <= end {
            let t = outputs[next] + offset
            precondition(out + width <= sp.count, "The output block is too short.")
            let row = sp.baseAddress! + out
            // The whole state: into the row, or for a projection into scratch first.
            let whole = projected ? wholeState.base : row
            if t >= end {
              for i in 0..<n { whole[i] = y[i] }
            } else {
              let theta = (t - start) / h
              if method == .dormandPrince853 {
                high.interpolate(theta, into: whole)
              } else if _isStiff {
                stiff.interpolate(theta, into: whole)
              } else {
                explicit.interpolate(theta, into: whole)
              }
            }
            projection?._project(whole, into: row)
            out += width
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
