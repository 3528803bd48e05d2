/// Simulates dosing regimens on one subject's compartment model, exactly.
///
/// Doses become NONMEM dose records (`DosingSchedule`) and the output times observation
/// records, placed after any dose at the same time; `RecordSimulator` then runs them, so a
/// regimen and the equivalent data set give the same curve. Propagators are cached and kept
/// between runs of the same simulator, so repeated runs on one model are cheap.
public struct Simulator: Sendable {
  /// The model of the subject.
  public let model: CompartmentModel
  /// The subject (for per-kg doses).
  public let subject: Subject
  private var engine: RecordSimulator
  private let covariateSources: [CovariateSource]

  public init(model: CompartmentModel, subject: Subject) {
    self.model = model
    self.subject = subject
    self.engine = RecordSimulator(model: model.compiled)
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
    precondition(
      zip(outputTimes, outputTimes.dropFirst()).allSatisfy { $0 <= $1 }, "Output times must not decrease.")
    precondition(outputTimes.first.map { $0 >= 0 } ?? true, "Output times must not be negative.")
    var records: [DataRecord] = []
    records.reserveCapacity(schedule.records.count + outputTimes.count)
    var isOutput: [Bool] = []
    isOutput.reserveCapacity(schedule.records.count + outputTimes.count)
    var d = 0
    for t in outputTimes {
      while d < schedule.records.count && schedule.records[d].time <= t {
        records.append(schedule.records[d])
        isOutput.append(false)
        d += 1
      }
      records.append(DataRecord(id: 1, time: t))
      isOutput.append(true)
    }
    let all = try engine.run(records: records, covariates: covariateSources)
    let width = all.stateCount
    let m = all.outputs.count
    var amounts = [Double]()
    var concentrations = [Double]()
    amounts.reserveCapacity(outputTimes.count * width)
    concentrations.reserveCapacity(outputTimes.count * m)
    for (r, keep) in isOutput.enumerated() where keep {
      amounts.append(contentsOf: all.amounts[(r * width)..<((r + 1) * width)])
      concentrations.append(contentsOf: all.concentrations[(r * m)..<((r + 1) * m)])
    }
    return SimulationResult(
      times: outputTimes, stateNames: all.stateNames, outputs: all.outputs, amounts: amounts,
      concentrations: concentrations, totalDose: schedule.totalAmount)
  }
}
