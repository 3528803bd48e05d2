import PKSolver

/// Simulates dosing regimens on one subject's compartment model, exactly.
///
/// Doses become NONMEM dose records (`DosingSchedule`) and the output times added output
/// times, placed after any dose at the same time; `RecordSimulator` then runs them, so a
/// regimen and the equivalent data set give the same curve. Propagators and adaptive steppers
/// are cached and kept between runs of the same simulator, so repeated runs on one model are
/// cheap.
public struct Simulator: Sendable {
  /// The model of the subject.
  public let model: CompartmentModel
  /// The subject (for per-kg doses).
  public let subject: Subject
  private var engine: RecordSimulator
  /// Whether results carry every state's amounts (the default); see
  /// `RecordSimulator.reportsAmounts`. Set it to false when only concentrations and effects
  /// are read.
  public var reportsAmounts: Bool {
    get { engine.reportsAmounts }
    set { engine.reportsAmounts = newValue }
  }
  /// The amount rows of the last run without amounts (see `RecordSimulator.scratchRows`): a
  /// population hands them from one subject's simulator to the next.
  public var scratchRows: [Double] {
    get { engine.scratchRows }
    set { engine.scratchRows = newValue }
  }
  private let covariateSources: [CovariateSource]

  /// - Parameter regularRuns: the cache of regular output runs to share (see
  ///   `RegularRunCache`); a population's worker passes one to all of its subjects.
  public init(
    model: CompartmentModel, subject: Subject, solver: SolverOptions = SolverOptions(),
    regularRuns: RegularRunCache = RegularRunCache()
  ) {
    self.model = model
    self.subject = subject
    self.engine = RecordSimulator(model: model.compiled, solver: solver, regularRuns: regularRuns)
    self.covariateSources = model.covariates.map { .constant($0) }
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
  public mutating func run(schedule: DosingSchedule, outputTimes: [Double]) throws -> SimulationResult {
    precondition(Self._nonDecreasing(outputTimes), "Output times must not decrease.")
    precondition(outputTimes.first.map { $0 >= 0 } ?? true, "Output times must not be negative.")
    // The engine's result as it is (its times are `outputTimes`), with the schedule's total
    // dose: no copy of its arrays, and no −1 per row for records there are none of.
    var simulated = try engine._run(
      records: schedule.records, covariates: covariateSources, addedTimes: outputTimes,
      reportRecords: false, indexAddedTimes: false)
    simulated.totalDose = schedule.totalAmount
    // (The compiled model's effect and response slots, not the definition's names: reading
    // those copied the whole definition for every subject.)
    if !model.compiled.effectSlots.isEmpty || !model.compiled.responseSlots.isEmpty {
      simulated.effects = try model.compiled.effectCurves(simulated, values: model.parameterValues)
    }
    return simulated
  }

  /// Whether every time is ≤ the next (a NaN fails its pairs): one pass over the storage,
  /// counting the pairs out of order without a branch per pair (the check runs for every
  /// subject of a population).
  static func _nonDecreasing(_ times: [Double]) -> Bool {
    times.withUnsafeBufferPointer { t in
      guard t.count > 1 else { return true }
      // Four pairs at a time into one mask (no branch, no count): the loop vectorises.
      var ordered = SIMDMask<SIMD4<Int64>>(repeating: true)
      var i = 1
      while i &+ 4 <= t.count {
        let earlier = SIMD4(t[i &- 1], t[i], t[i &+ 1], t[i &+ 2])
        let later = SIMD4(t[i], t[i &+ 1], t[i &+ 2], t[i &+ 3])
        ordered .&= earlier .<= later
        i &+= 4
      }
      var rest = true
      while i < t.count {
        rest = rest && t[i &- 1] <= t[i]
        i &+= 1
      }
      return all(ordered) && rest
    }
  }
}
