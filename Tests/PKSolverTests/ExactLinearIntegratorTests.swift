import PKLinearAlgebra
import PKSolver
import RealModule
import Testing
import _PKTestSupport

/// `ExactLinearIntegrator.solve` on scalar and two-state systems with closed-form solutions.
@Suite struct ExactLinearIntegratorTests {
  static let u = Double.ulpOfOne / 2
  /// Relative tolerance for a handful of exact steps of a decay with k·t ≤ 5: each step adds a
  /// few u, and e^{−kt} is evaluated once more in the reference.
  static let tight = 1e-14

  /// One compartment draining into an absorbing state: A = [[−k, 0], [k, 0]].
  static func drain(_ k: Double) -> LinearSystem {
    LinearSystem(matrix: Matrix([[-k, 0], [k, 0]]))
  }

  @Test func noEventsDecaysFromTheInitialState() throws {
    let k = 0.8
    var integrator = ExactLinearIntegrator(system: Self.drain(k))
    let times = [0.0, 0.5, 1.0, 4.0]
    var states: [Double] = []
    let status = try integrator.solve(
      initialState: [10, 0], initialTime: 0, events: [], outputTimes: times, states: &states)
    #expect(status == .success)
    #expect(states.count == 2 * times.count)
    let central = times.map { 10 * Double.exp(-k * $0) }
    let eliminated = times.map { -10 * Double.expMinusOne(-k * $0) }
    expectClose(
      stride(from: 0, to: states.count, by: 2).map { states[$0] }, central,
      relativeTolerance: Self.tight)
    expectClose(
      stride(from: 1, to: states.count, by: 2).map { states[$0] }, eliminated,
      relativeTolerance: Self.tight)
  }

  /// An impulse at the same time as an output: the output shows the state just after it.
  @Test func impulseAtAnOutputTimeIsShownAtThatOutput() throws {
    let k = 0.5
    var integrator = ExactLinearIntegrator(system: LinearSystem(matrix: Matrix([[-k]])))
    let events = [InputEvent(time: 1, impulses: [.init(component: 0, amount: 5)])]
    var states: [Double] = []
    let status = try integrator.solve(
      initialState: [2], initialTime: 0, events: events, outputTimes: [0.5, 1, 1.5], states: &states
    )
    #expect(status == .success)
    let atOne = 2 * Double.exp(-k) + 5
    expectClose(
      states, [2 * Double.exp(-k * 0.5), atOne, atOne * Double.exp(-k * 0.5)],
      relativeTolerance: Self.tight)
  }

  /// An impulse at the initial time, reported at that time.
  @Test func impulseAtTheInitialTime() throws {
    var integrator = ExactLinearIntegrator(system: LinearSystem(matrix: Matrix([[-1]])))
    var states: [Double] = []
    _ = try integrator.solve(
      initialState: [0], initialTime: 2,
      events: [InputEvent(time: 2, impulses: [.init(component: 0, amount: 3)])],
      outputTimes: [2, 3], states: &states)
    expectClose(states, [3, 3 * Double.exp(-1)], relativeTolerance: Self.tight)
  }

  /// Events at equal times are applied in order: both impulses add up, and the later event's
  /// input replaces the earlier one's (here the second switches the input off again).
  @Test func eventsAtEqualTimesAreAppliedInOrder() throws {
    let k = 0.5
    let system = LinearSystem(matrix: Matrix([[-k]]))
    let first = InputEvent(time: 1, impulses: [.init(component: 0, amount: 1)], input: [5])
    let second = InputEvent(time: 1, impulses: [.init(component: 0, amount: 2)], input: [0])
    let times = [1.0, 2.0]
    var states: [Double] = []

    var integrator = ExactLinearIntegrator(system: system)
    _ = try integrator.solve(
      initialState: [0], initialTime: 0, events: [first, second], outputTimes: times,
      states: &states)
    expectClose(states, [3, 3 * Double.exp(-k)], relativeTolerance: Self.tight, "input off last")

    // Reversed: the input 5 is on from t = 1, x(2) = 3e^{−k} + 5(1 − e^{−k})/k.
    integrator = ExactLinearIntegrator(system: system)
    _ = try integrator.solve(
      initialState: [0], initialTime: 0, events: [second, first], outputTimes: times,
      states: &states)
    let withInput = 3 * Double.exp(-k) - 5 * Double.expMinusOne(-k) / k
    expectClose(states, [3, withInput], relativeTolerance: Self.tight, "input on last")
  }

  /// An event with `input: nil` keeps the current input.
  @Test func nilInputKeepsTheCurrentInput() throws {
    let k = 0.5
    let events = [
      InputEvent(time: 0, input: [2]),
      InputEvent(time: 1, impulses: [.init(component: 0, amount: 1)]),
    ]
    var integrator = ExactLinearIntegrator(system: LinearSystem(matrix: Matrix([[-k]])))
    var states: [Double] = []
    _ = try integrator.solve(
      initialState: [0], initialTime: 0, events: events, outputTimes: [2], states: &states)
    // x(1) = 2(1 − e^{−k})/k, then +1, then decay with the input still on.
    let x1 = -2 * Double.expMinusOne(-k) / k + 1
    let x2 = x1 * Double.exp(-k) - 2 * Double.expMinusOne(-k) / k
    expectClose(states, [x2], relativeTolerance: Self.tight)
  }

  /// Input on over [0, 1], then an all-zero input: from t = 1 on the state moves exactly as
  /// with no input at all, and the total amount in the closed system stays at rate × 1.
  @Test func inputSwitchedOffReturnsToExactlyZeroInput() throws {
    let (k, rate) = (0.9, 3.0)
    let times = (0...40).map { Double($0) / 8 }  // 0 … 5 h
    var switched: [Double] = []
    var integrator = ExactLinearIntegrator(system: Self.drain(k))
    _ = try integrator.solve(
      initialState: [0, 0], initialTime: 0,
      events: [InputEvent(time: 0, input: [rate, 0]), InputEvent(time: 1, input: [0, 0])],
      outputTimes: times, states: &switched)

    let x1 = -rate * Double.expMinusOne(-k) / k
    let central = times.map { t in
      t <= 1 ? -rate * Double.expMinusOne(-k * t) / k : x1 * Double.exp(-k * (t - 1))
    }
    expectClose(
      stride(from: 0, to: switched.count, by: 2).map { switched[$0] }, central,
      relativeTolerance: Self.tight)
    let totals = stride(from: 0, to: switched.count, by: 2).map { switched[$0] + switched[$0 + 1] }
    let given = times.map { rate * Swift.min($0, 1) }
    expectClose(totals, given, relativeTolerance: 0, absoluteTolerance: 64 * rate * Self.u, "mass")

    // The same state at t = 1, restarted with no events, gives the same trajectory afterwards.
    let switchOff = 8  // times[8] = 1 h
    let after = Array(times[switchOff...])
    var restarted: [Double] = []
    var fresh = ExactLinearIntegrator(system: Self.drain(k))
    let start = 2 * switchOff
    _ = try fresh.solve(
      initialState: [switched[start], switched[start + 1]], initialTime: 1, events: [],
      outputTimes: after, states: &restarted)
    expectClose(Array(switched[start...]), restarted, relativeTolerance: 4 * Self.u)
  }

  /// A component that never receives input stays exactly zero (no leakage through Γ).
  @Test func uncoupledComponentStaysExactlyZero() throws {
    let system = LinearSystem(matrix: Matrix([[-1, 0], [0, -2]]))
    var integrator = ExactLinearIntegrator(system: system)
    var states: [Double] = []
    _ = try integrator.solve(
      initialState: [0, 0], initialTime: 0,
      events: [InputEvent(time: 0, input: [1.5, 0]), InputEvent(time: 0.7, input: [0, 0])],
      outputTimes: [0.5, 1, 3], states: &states)
    expectClose(
      stride(from: 1, to: states.count, by: 2).map { states[$0] }, [0, 0, 0], relativeTolerance: 0)
  }

  /// Events after the last output do not change the reported states.
  @Test func eventsAfterTheLastOutputAreIgnored() throws {
    var integrator = ExactLinearIntegrator(system: LinearSystem(matrix: Matrix([[-1]])))
    var states: [Double] = []
    let status = try integrator.solve(
      initialState: [1], initialTime: 0,
      events: [InputEvent(time: 5, impulses: [.init(component: 0, amount: 9)])],
      outputTimes: [1, 2], states: &states)
    #expect(status == .success)
    expectClose(states, [Double.exp(-1), Double.exp(-2)], relativeTolerance: Self.tight)
  }

  /// Repeated outputs at one time report the same state; no outputs give no states.
  @Test func repeatedAndEmptyOutputTimes() throws {
    var integrator = ExactLinearIntegrator(system: LinearSystem(matrix: Matrix([[-1]])))
    var states: [Double] = [42]
    _ = try integrator.solve(
      initialState: [1], initialTime: 0, events: [], outputTimes: [], states: &states)
    #expect(states.isEmpty)
    _ = try integrator.solve(
      initialState: [1], initialTime: 0, events: [], outputTimes: [0.5, 0.5], states: &states)
    expectClose(states, [Double.exp(-0.5), Double.exp(-0.5)], relativeTolerance: Self.tight)
  }

  /// A growing system that overflows is reported as `.nonFinite` with the output time, not thrown.
  @Test func overflowIsReportedAsNonFiniteStatus() throws {
    var integrator = ExactLinearIntegrator(system: LinearSystem(matrix: Matrix([[800]])))
    var states: [Double] = []
    let status = try integrator.solve(
      initialState: [1], initialTime: 0, events: [], outputTimes: [0.1, 1, 2], states: &states)
    #expect(status == .nonFinite(time: 1))
    // The first step is e^{80}, from an augmented matrix of norm 80.1: 2⁴ squarings, so the
    // same 64·max(1, ‖A‖h)·u bound as in PropagatorTests.
    expectClose(states[0], Double.exp(80), relativeTolerance: 64 * 80.1 * Self.u)
  }
}
