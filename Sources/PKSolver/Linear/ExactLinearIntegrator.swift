import PKLinearAlgebra

/// Integrates a linear system with piecewise-constant input exactly, from event to event.
///
/// Between stop times (events and output times, merged in time order) the state moves by the
/// exact propagator, x(t + h) = Φ(h)·x(t) + Γ(h)·u. At an event the impulses are added and the
/// input switched; an event at the same time as an output is applied first, so the output shows
/// the state just after a dose (NONMEM's and mrgsolve's convention for a dose record listed
/// before an observation).
///
/// The error per step is that of the matrix exponential (about the unit roundoff); it does not
/// depend on the output grid, which only decides where the state is reported.
public struct ExactLinearIntegrator: Sendable {
  private var stepper: ExactLinearStepper

  public init(system: LinearSystem) {
    self.stepper = ExactLinearStepper(system: system)
  }

  /// The propagators used, cached by step length; kept between solves of the same system.
  public var cache: PropagatorCache { stepper.cache }

  /// The system being integrated.
  public var system: LinearSystem { stepper.system }

  /// Integrates from `initialTime` and writes the state at each output time.
  ///
  /// - Parameters:
  ///   - initialState: x at `initialTime` (n values).
  ///   - initialTime: the start; no event or output may come before it.
  ///   - events: in non-decreasing time order; events at equal times are applied in order.
  ///   - outputTimes: in non-decreasing time order.
  ///   - states: receives the state at output k in `states[k*n ..< (k+1)*n]`; resized to fit.
  /// - Returns: `.success`, or `.nonFinite` with the time at which a state stopped being finite.
  /// - Throws: `LinearAlgebraError` if a propagator cannot be computed.
  /// - Complexity: O((events + outputs) · n²) plus O(n³) per distinct step length.
  public mutating func solve(
    initialState: [Double], initialTime: Double, events: [InputEvent], outputTimes: [Double],
    states: inout [Double]
  ) throws(LinearAlgebraError) -> SolveStatus {
    let n = system.dimension
    precondition(initialState.count == n, "initialState needs one value per state.")
    precondition(events.first.map { $0.time >= initialTime } ?? true, "An event precedes the start.")
    precondition(outputTimes.first.map { $0 >= initialTime } ?? true, "An output precedes the start.")
    if states.count != n * outputTimes.count {
      states = [Double](repeating: 0, count: n * outputTimes.count)
    }
    var x = initialState
    var input: [Double]? = nil
    var nextEvent = 0
    stepper.setTime(initialTime)

    for (k, tOut) in outputTimes.enumerated() {
      while nextEvent < events.count && events[nextEvent].time <= tOut {
        let event = events[nextEvent]
        try stepper.advance(&x, to: event.time, input: input)
        for impulse in event.impulses { x[impulse.component] += impulse.amount }
        if let u = event.input { input = u.allSatisfy { $0 == 0 } ? nil : u }
        nextEvent += 1
      }
      try stepper.advance(&x, to: tOut, input: input)
      for i in 0..<n {
        guard x[i].isFinite else { return .nonFinite(time: tOut) }
        states[k * n + i] = x[i]
      }
    }
    return .success
  }
}
