import PKSolver

/// Simulates dosing regimens on one subject's compartment model, exactly.
///
/// Doses are expanded into stop times (`DosingSchedule`); between them the state moves by the
/// exact propagator e^{K h} (`ExactLinearIntegrator`). Propagators are cached by step length and
/// kept between runs of the same simulator, so repeated runs on one model are cheap.
public struct Simulator: Sendable {
  /// The model of the subject.
  public let model: CompartmentModel
  /// The subject (for per-kg doses).
  public let subject: Subject
  private var integrator: ExactLinearIntegrator

  public init(model: CompartmentModel, subject: Subject) {
    self.model = model
    self.subject = subject
    self.integrator = ExactLinearIntegrator(system: model.system)
  }

  /// Simulates `doses` from time 0 (all compartments empty) and reports every output time.
  ///
  /// - Parameter outputTimes: non-decreasing times (h), none negative.
  /// - Throws: `ModelError` for a dose the model cannot take; `SimulationError` when the
  ///   numbers fail (which a valid linear model should never do).
  public mutating func run(doses: [Dose], outputTimes: [Double]) throws -> SimulationResult {
    let schedule = try DosingSchedule(doses: doses, model: model, subject: subject)
    return try run(schedule: schedule, outputTimes: outputTimes)
  }

  /// Simulates an already expanded schedule.
  public mutating func run(schedule: DosingSchedule, outputTimes: [Double]) throws(SimulationError)
    -> SimulationResult
  {
    precondition(
      zip(outputTimes, outputTimes.dropFirst()).allSatisfy { $0 <= $1 },
      "Output times must not decrease.")
    precondition(outputTimes.first.map { $0 >= 0 } ?? true, "Output times must not be negative.")
    let n = model.system.dimension
    var states: [Double] = []
    let status: SolveStatus
    do {
      status = try integrator.solve(
        initialState: [Double](repeating: 0, count: n), initialTime: 0,
        events: schedule.events, outputTimes: outputTimes, states: &states)
    } catch {
      throw .linearAlgebra(error)
    }
    if case .nonFinite(let t) = status { throw .nonFinite(time: t) }
    let m = model.outputs.count
    var conc = [Double](repeating: 0, count: m * outputTimes.count)
    var factors = [Double](repeating: 0, count: m)
    for j in 0..<m { factors[j] = 1000 / model.volumes[model.outputCompartments[j]]! }
    for k in 0..<outputTimes.count {
      for j in 0..<m { conc[k * m + j] = states[k * n + model.outputCompartments[j]] * factors[j] }
    }
    return SimulationResult(
      times: outputTimes, stateNames: model.stateNames, outputs: model.outputs, amounts: states,
      concentrations: conc, totalDose: schedule.totalAmount)
  }
}
