import PKLinearAlgebra
import PKSolver

/// Simulates subjects of a linear model on one regimen exactly, several at once: the record
/// engine's stops, steps and numbers, bit for bit, for subjects whose dose events fall at the
/// same times, integrated together by `BatchExactLinearStepper`.
///
/// ```
/// subjects → members (schedule, system, output factors, timeline) → groups of equal timelines
///          → lanes of one BatchExactLinearStepper per group → outputs T × O, time-major
/// ```
/// Each group walks `RecordSimulator`'s control flow once for all of its lanes: its records
/// (EVID 1 dose records), its queue of infusion starts and ends and repeats, the added output
/// times in blocks between them. The timeline (`Member.timeline`) holds everything that flow
/// depends on, so lanes with equal timelines take the same stops; their amounts and rates
/// differ. A subject the batch cannot take (a lag time, a bioavailability, a modelled rate or
/// duration, a steady-state dose, more than `Matrix.smallKernelLimit` states, an adaptive
/// method) and a lane whose numbers fail are simulated alone by `Simulator`, which gives its
/// result or its error.
public struct ExactBatchSimulator: Sendable {
  /// One subject prepared for a batch: what the record engine computes before its first step.
  public struct Member: Sendable {
    /// The dose records.
    public let schedule: DosingSchedule
    /// The system of the subject's parameters (`CompiledModel.system`).
    public let system: LinearSystem
    /// The output factors (`CompiledModel.outputFactors`).
    public let factors: [Double]
    /// What the stops depend on: per record its time, compartment, repeats and interval,
    /// and for an infusion its duration (AMT / RATE), bit patterns compared.
    public let timeline: [Double]
  }

  /// The outputs of a batch.
  public struct Block: Sendable {
    /// Output o of subject j at time point t at (t·O + o)·laneStride + j; empty when the
    /// outputs went to the destination `run` was given.
    public var values: [Double]
    /// The stride between an output's subjects: the subjects, or the destination's stride.
    public let laneStride: Int
    /// Whether the outputs went to the destination.
    public let inDestination: Bool
    /// Per subject nil when its values are in `values`; else its own result (simulated alone).
    public var alone: [Result<SimulationResult, any Error>?]
    /// Per subject the total amount given (mg); 0 for a subject whose run alone failed.
    public var totalDoses: [Double]

    /// Subject j's result: its own (alone), or its concentrations gathered from `values`,
    /// without amounts.
    public func result(_ j: Int, model: CompiledModel, times: [Double]) -> SimulationResult {
      if let own = alone[j], case .success(let r) = own { return r }
      let o = model.outputCompartments.count
      let stride = laneStride
      let concentrations = [Double](unsafeUninitializedCapacity: times.count * o) { buffer, written in
        values.withUnsafeBufferPointer { v in
          for r in 0..<(times.count * o) { buffer[r] = v[r &* stride &+ j] }
        }
        written = times.count * o
      }
      return SimulationResult(
        times: times, stateNames: model.stateNames, outputs: model.definition.outputs, amounts: [],
        concentrations: concentrations, totalDose: totalDoses[j], stateUnits: model.stateUnits)
    }
  }

  /// The compiled model.
  public let model: CompiledModel
  /// The integrator options (the exact method; `takesBatches` says when).
  public let solver: SolverOptions
  /// The runs of regular output steps, shared by every group (see `RegularRunCache`).
  public let regularRuns: RegularRunCache

  public init(model: CompiledModel, solver: SolverOptions = SolverOptions(), regularRuns: RegularRunCache) {
    self.model = model
    self.solver = solver
    self.regularRuns = regularRuns
  }

  /// Whether the model's subjects can go in batches: a linear model integrated by the exact
  /// method, with up to `Matrix.smallKernelLimit` states (compartments and the eliminated
  /// amount) and no indirect responses (whose curves need every state).
  public var takesBatches: Bool {
    do { guard try solver.adaptiveMethod(for: model) == nil else { return false } } catch { return false }
    return model.compartmentCount + 1 <= Matrix.smallKernelLimit && model.responseSlots.isEmpty
  }

  /// Simulates `subjects`, the batch's members in lanes, the others alone: their `Windows` run
  /// over every output row at once, and each subject whose lane failed run again alone.
  ///
  /// - Parameter destination: where the outputs go instead of `Block.values` (output o of
  ///   subject j at time point t at base + (t·O + o)·stride + j; nothing else is written). The
  ///   places of subjects whose lanes failed then hold numbers that mean nothing.
  public func run(
    subjects: [Subject], doses: [Dose], outputTimes: [Double],
    into destination: (base: UnsafeMutablePointer<Double>, stride: Int)? = nil
  ) -> Block {
    let s = subjects.count
    precondition(destination.map { $0.stride >= s } ?? true, "A destination's stride holds every subject.")
    var windows = self.windows(subjects: subjects, doses: doses, outputTimes: outputTimes)
    var values: [Double] = []
    if let destination {
      windows.run(
        untilRow: outputTimes.count, into: destination.base, stride: destination.stride, firstRow: 0)
    } else {
      values = [Double](repeating: 0, count: outputTimes.count * model.outputCompartments.count * s)
      values.withUnsafeMutableBufferPointer {
        // (Without subjects there is no base address and nothing to write.)
        guard let base = $0.baseAddress else { return }
        windows.run(untilRow: outputTimes.count, into: base, stride: s, firstRow: 0)
      }
    }
    var alone = [Result<SimulationResult, any Error>?](repeating: nil, count: s)
    for (j, result) in windows.alone { alone[j] = result }
    for j in windows.failedLanes { alone[j] = _single(subjects[j], doses: doses, outputTimes: outputTimes) }
    return Block(
      values: values, laneStride: destination?.stride ?? s, inDestination: destination != nil, alone: alone,
      totalDoses: windows.totalDoses)
  }

  /// `subjects` prepared to be walked a window of output rows at a time
  /// (`Windows.run(untilRow:into:stride:firstRow:)`): each group of equal timelines a `Walk`,
  /// the subjects the batch cannot take simulated alone at once.
  public func windows(subjects: [Subject], doses: [Dose], outputTimes: [Double]) -> Windows {
    let (members, groups, alone, totals) = _prepare(subjects, doses: doses, outputTimes: outputTimes)
    return Windows(
      groups: groups.map { group in
        (
          Walk(
            members: group.map { members[$0].member }, outputTimes: outputTimes, model: model,
            runs: regularRuns),
          group.map { members[$0].index }
        )
      },
      alone: alone.indices.compactMap { j in alone[j].map { (j, $0) } }, totalDoses: totals,
      outputCount: model.outputCompartments.count, timeCount: outputTimes.count)
  }

  /// The members of a batch (with their subjects' indices), its groups of equal timelines
  /// (positions in `members`, in order of their first subject), the results of the subjects
  /// that run alone, and every subject's total dose.
  func _prepare(_ subjects: [Subject], doses: [Dose], outputTimes: [Double]) -> (
    members: [(index: Int, member: Member)], groups: [[Int]], alone: [Result<SimulationResult, any Error>?],
    totals: [Double]
  ) {
    var alone = [Result<SimulationResult, any Error>?](repeating: nil, count: subjects.count)
    var totals = [Double](repeating: 0, count: subjects.count)
    var members: [(index: Int, member: Member)] = []
    let batches = takesBatches
    for (j, subject) in subjects.enumerated() {
      if batches, let m = try? member(subject, doses: doses) {
        members.append((j, m))
        totals[j] = m.schedule.totalAmount
      } else {
        alone[j] = _single(subject, doses: doses, outputTimes: outputTimes)
        totals[j] = (try? alone[j]!.get())?.totalDose ?? 0
      }
    }
    var groups: [[Int]] = []
    var groupOf: [[UInt64]: Int] = [:]
    for (k, m) in members.enumerated() {
      let key = m.member.timeline.map(\.bitPattern)
      if let g = groupOf[key] {
        groups[g].append(k)
      } else {
        groupOf[key] = groups.count
        groups.append([k])
      }
    }
    return (members, groups, alone, totals)
  }

  /// The subject prepared for a batch, or nil when the batch cannot take it.
  ///
  /// - Throws: what instantiating the model, expanding the doses or building the system throws
  ///   (the subject then runs alone and fails with the record engine's error).
  public func member(_ subject: Subject, doses: [Dose]) throws -> Member? {
    guard takesBatches else { return nil }
    let m = try model.instantiate(for: subject)
    let schedule = try DosingSchedule(doses: doses, model: m, subject: subject)
    let n = model.compartmentCount
    var timeline: [Double] = []
    for r in schedule.records {
      guard r.evid == 1, r.steadyState == 0, r.rate >= 0 else { return nil }
      let c = r.compartment == 0 ? model.defaultDoseCompartment : r.compartment - 1
      guard (0..<n).contains(c), model.definition.compartments[c].quantity == nil else { return nil }
      let modifiers = model.doseModifiers[c]
      guard modifiers.bioavailability == nil, modifiers.lag == nil, modifiers.rate == nil,
        modifiers.duration == nil
      else { return nil }
      // The engine's duration of an infusion: AMT (times F = 1) over RATE.
      timeline += [
        r.time, Double(c), Double(r.additional), r.interval, r.rate > 0 ? (1 * r.amount) / r.rate : -1,
      ]
    }
    // The parameters as the record engine evaluates them: one row, the constant covariates.
    let (values, rows) = try model.recordParameters(
      records: schedule.records, covariates: m.covariates.map { .constant($0) })
    guard rows.allSatisfy({ $0 == 0 }) else { return nil }
    let built = try model.system(Array(values[0..<model.slotCount]))
    return Member(
      schedule: schedule, system: built.system,
      factors: model.outputFactors(Array(values[0..<model.slotCount]), volumes: built.volumes),
      timeline: timeline)
  }

  /// A multiple of 4 lanes for `count` subjects.
  static func _padded(_ count: Int) -> Int { Swift.max(4, (count + 3) / 4 * 4) }

  /// One subject alone, through the record engine.
  func _single(_ subject: Subject, doses: [Dose], outputTimes: [Double]) -> Result<
    SimulationResult, any Error
  > {
    Result {
      var simulator = Simulator(
        model: try model.instantiate(for: subject), subject: subject, solver: solver, regularRuns: regularRuns
      )
      simulator.reportsAmounts = false
      return try simulator.run(doses: doses, outputTimes: outputTimes)
    }
  }
}
