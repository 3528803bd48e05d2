import Dispatch
import PKSolver
import Synchronization

/// Simulates many subjects of one model on the same regimen and output grid, integrating
/// nonlinear models in batches of subjects with `BatchTaylorSeries` (`taylor`, and `auto` for
/// models without rate expressions) or `BatchDormandPrince54` (`dp5`, and `auto` for the
/// others).
///
/// ```
/// subjects → batches of `batchSize` → threads;   per batch: states n × S, per-subject steps
/// ```
/// Doses become the same dose records as for one subject (`DosingSchedule`); between two dose
/// events (a bolus, an infusion starting or stopping) the batch is integrated with per-subject
/// step control, and outputs at a dose time report the state just after the dose. A subject's
/// result does not depend on the batch size or on the other subjects (bit for bit). It agrees
/// with `Simulator` (the record engine) to the integration tolerance, not bit for bit: the
/// record engine also stops at the first output after each dose.
///
/// Subjects whose events fall at other times than the batch's (lag times, modelled durations),
/// linear models, stiff subjects and any method but `auto`, `dp5` and `taylor` are simulated one
/// at a time with `Simulator` instead. (Linear models have their own batches, exact and
/// bit-identical to `Simulator`: `ExactBatchSimulator`.)
public struct PopulationSimulator: Sendable {
  /// The compiled model.
  public let model: CompiledModel
  /// The integrator options.
  public var solver: SolverOptions
  /// Subjects per batch.
  public var batchSize: Int
  /// Whether results carry every state's amounts (the default). When false, the batch
  /// integrator interpolates only the output compartments' states, and a batched subject's
  /// `SimulationResult.amounts` is empty (its concentrations are the same doubles); a subject
  /// simulated alone still carries its amounts. For populations that need concentrations only
  /// (summaries, curves without amounts, exposure tables).
  public var reportsAmounts = true

  public init(model: CompiledModel, solver: SolverOptions = SolverOptions(), batchSize: Int = 64) {
    precondition(batchSize >= 1, "A batch needs at least one subject.")
    self.model = model
    self.solver = solver
    self.batchSize = batchSize
  }

  /// One result per subject, in order: the simulation, or the error that stopped it.
  ///
  /// - Parameter outputTimes: non-decreasing times (h), none negative.
  public func run(
    subjects: [Subject], doses: [Dose], outputTimes: [Double], threads: Int = 1
  ) -> [Result<SimulationResult, any Error>] {
    var results = [Result<SimulationResult, any Error>](
      repeating: .failure(SimulationError.nonFinite(time: 0)), count: subjects.count)
    results.withUnsafeMutableBufferPointer { buffer in
      nonisolated(unsafe) let out = buffer
      run(subjects: subjects, doses: doses, outputTimes: outputTimes, threads: threads) { k, r in out[k] = r }
    }
    return results
  }

  /// Simulates every subject and hands each result to `consume` (subject index, result) as
  /// soon as its batch is done, from the worker threads, so that a large population need not
  /// be held in memory. Each index is handed over exactly once.
  public func run(
    subjects: [Subject], doses: [Dose], outputTimes: [Double], threads: Int = 1,
    consume: @Sendable (Int, Result<SimulationResult, any Error>) -> Void
  ) {
    let batches = stride(from: 0, to: subjects.count, by: batchSize).map {
      $0..<min($0 + batchSize, subjects.count)
    }
    let workers = max(1, min(threads, batches.count))
    let nextBatch = Atomic<Int>(0)
    DispatchQueue.concurrentPerform(iterations: workers) { w in
      while true {
        // Batches handed out one at a time: a worker slowed by something else takes fewer.
        let b = nextBatch.add(1, ordering: .relaxed).oldValue
        guard b < batches.count else { break }
        let range = batches[b]
        let batch = _runBatch(Array(subjects[range]), doses: doses, outputTimes: outputTimes)
        for (k, r) in batch.enumerated() { consume(range.lowerBound + k, r) }
      }
    }
  }

  /// One subject alone, through the record engine.
  func _single(_ subject: Subject, doses: [Dose], outputTimes: [Double]) -> Result<
    SimulationResult, any Error
  > {
    Result {
      var simulator = Simulator(model: try model.instantiate(for: subject), subject: subject, solver: solver)
      return try simulator.run(doses: doses, outputTimes: outputTimes)
    }
  }

  /// The dose events of one subject: (time, compartment, bolus amount or infusion rate,
  /// start or end), in time order, equal times in record order.
  struct _Event: Equatable {
    var time: Double
    var compartment: Int
    var amount: Double  // bolus
    var rate: Double  // infusion change
    var infusion: Int  // index of the infusion, or −1
    var starts: Bool
  }

  func _events(_ schedule: DosingSchedule) -> [_Event]? {
    var events: [_Event] = []
    var infusions = 0
    for r in schedule.records {
      guard r.steadyState == 0, r.rate >= 0 else { return nil }
      let c = r.compartment - 1
      let m = model.doseModifiers[c]
      guard m.lag == nil, m.bioavailability == nil, m.rate == nil, m.duration == nil else { return nil }
      for k in 0...max(0, r.additional) {
        let start = r.time + Double(k) * r.interval
        if r.rate > 0 {
          events.append(
            _Event(time: start, compartment: c, amount: 0, rate: r.rate, infusion: infusions, starts: true))
          events.append(
            _Event(
              time: start + r.amount / r.rate, compartment: c, amount: 0, rate: r.rate, infusion: infusions,
              starts: false))
          infusions += 1
        } else {
          events.append(
            _Event(time: start, compartment: c, amount: r.amount, rate: 0, infusion: -1, starts: true))
        }
      }
    }
    return events.enumerated().sorted { ($0.element.time, $0.offset) < ($1.element.time, $1.offset) }.map(
      \.element)
  }

  /// Simulates one batch; `batched` counts the subjects integrated together (the others went
  /// one at a time).
  func _runBatch(
    _ subjects: [Subject], doses: [Dose], outputTimes: [Double], batched: UnsafeMutablePointer<Int>? = nil
  ) -> [Result<SimulationResult, any Error>] {
    var results = [Result<SimulationResult, any Error>?](repeating: nil, count: subjects.count)
    let method: AdaptiveMethod?
    do { method = try solver.adaptiveMethod(for: model) } catch {
      return subjects.map { _ in .failure(error) }
    }
    guard let method, Self._batches(method) else {
      return subjects.map { _single($0, doses: doses, outputTimes: outputTimes) }
    }
    // Instantiate each subject; those whose events differ from the first's go one at a time.
    var members:
      [(
        index: Int, model: CompartmentModel, rhs: NonlinearRHS, events: [_Event], total: Double, scale: Double
      )] = []
    for (k, subject) in subjects.enumerated() {
      do {
        let m = try model.instantiate(for: subject)
        let schedule = try DosingSchedule(doses: doses, model: m, subject: subject)
        let rhs = try NonlinearRHS(
          model: model, values: m.parameterValues, system: m.system, volumes: m.volumes)
        guard let events = _events(schedule),
          members.isEmpty || events.elementsEqual(members[0].events, by: { $0.time == $1.time })
        else {
          results[k] = _single(subject, doses: doses, outputTimes: outputTimes)
          continue
        }
        // The dose scale of the record engine: the largest AMT or RATE.
        let scale = schedule.records.reduce(0.0) { max($0, abs($1.amount), abs($1.rate)) }
        members.append((k, m, rhs, events, schedule.totalAmount, scale))
      } catch {
        results[k] = .failure(error)
      }
    }
    if !members.isEmpty {
      batched?.pointee += members.count
      // At most `_integrationLimit` subjects integrated together (`_withBlocks` nests one
      // initialiser per subject); results do not depend on the grouping.
      let batch = stride(from: 0, to: members.count, by: Self._integrationLimit).flatMap { start in
        _integrate(
          members[start..<min(start + Self._integrationLimit, members.count)].map {
            ($0.model, $0.rhs, $0.events, $0.scale)
          }, method: method, outputTimes: outputTimes)
      }
      for (j, member) in members.enumerated() {
        switch batch[j] {
        case .success(let r):
          results[member.index] = .success(
            SimulationResult(
              times: outputTimes, stateNames: r.stateNames, outputs: r.outputs, amounts: r.amounts,
              concentrations: r.concentrations, totalDose: member.total, stateUnits: r.stateUnits))
        case .failure:
          // A stiff subject, or one whose integration failed, runs again alone through the
          // record engine: the stiff method for the one, and for the other the record engine's
          // message, which names the quantity and the rate that failed.
          batched?.pointee -= 1
          results[member.index] = _single(subjects[member.index], doses: doses, outputTimes: outputTimes)
        }
      }
    }
    return results.map { $0! }
  }

  struct _Stiff: Error {}

  /// Whether `run` integrates this model's subjects in batches (a nonlinear model with the
  /// automatic method, Dormand–Prince 5(4) or the Taylor method); otherwise each subject runs
  /// alone through `Simulator`.
  public var integratesInBatches: Bool {
    guard let method = try? solver.adaptiveMethod(for: model) else { return false }
    return Self._batches(method)
  }

  static func _batches(_ method: AdaptiveMethod) -> Bool {
    method == .automatic || method == .dormandPrince54 || method == .taylor
  }

  /// The most subjects one `_integrate` takes.
  static let _integrationLimit = 256

  /// Makes `subjects` arrays of `count` doubles and runs `body` with their storage (one block
  /// per subject), so that the integrator writes each subject's outputs straight into the
  /// array its result keeps: no batch-wide block and no copy. `body` returns which subjects'
  /// blocks it filled completely; the others are set to zero. Each array is built by
  /// `Array(unsafeUninitializedCapacity:)`, the next one inside its initialiser, and `body`
  /// runs innermost, while every block is valid.
  static func _withBlocks(
    _ subjects: Int, count: Int, _ body: (UnsafePointer<UnsafeMutablePointer<Double>>) -> [Bool]
  ) -> [[Double]] {
    var arrays = [[Double]](repeating: [], count: subjects)
    var bases: [UnsafeMutablePointer<Double>] = []
    var filled: [Bool] = []
    func nest(_ j: Int) {
      guard j < subjects else {
        filled = bases.withUnsafeBufferPointer { body($0.baseAddress!) }
        return
      }
      arrays[j] = [Double](unsafeUninitializedCapacity: Swift.max(count, 1)) { buffer, initialized in
        bases.append(buffer.baseAddress!)
        nest(j + 1)
        if !filled[j] { buffer.baseAddress!.initialize(repeating: 0, count: count) }
        initialized = count
      }
    }
    nest(0)
    return arrays
  }

  /// Integrates the members (same event times) as one batch.
  func _integrate(
    _ members: [(model: CompartmentModel, rhs: NonlinearRHS, events: [_Event], scale: Double)],
    method: AdaptiveMethod,
    outputTimes: [Double]
  ) -> [Result<SimulationResult, any Error>] {
    let function = NonlinearBatchRHS(subjects: members.map(\.rhs))
    // Each subject's absolute tolerance follows its own dose scale, as in the record engine.
    let tolerances = members.map {
      Tolerance(
        relative: solver.relativeTolerance, absolute: solver.absoluteTolerance * ($0.scale > 0 ? $0.scale : 1)
      )
    }
    // The Taylor method where asked for, and as the automatic method's choice (with its
    // stiffness test) for a model without rate expressions, as `AdaptiveStepper` decides.
    if method == .taylor || (method == .automatic && function.givesTaylorCoefficients) {
      var stepper = BatchTaylorSeries(function: function, tolerances: tolerances)
      stepper.detectsStiffness = method == .automatic
      return _integrate(members, stepper: stepper, input: function.input, outputTimes: outputTimes)
    }
    return _integrate(
      members, stepper: BatchDormandPrince54(function: function, tolerances: tolerances),
      input: function.input,
      outputTimes: outputTimes)
  }

  /// Integrates the members with `stepper`, whose function reads the inputs at `input`.
  func _integrate<Stepper: BatchAdaptiveStepper>(
    _ members: [(model: CompartmentModel, rhs: NonlinearRHS, events: [_Event], scale: Double)],
    stepper: Stepper, input: UnsafeMutablePointer<Double>, outputTimes: [Double]
  ) -> [Result<SimulationResult, any Error>] {
    let s = members.count
    let width = model.compartmentCount + 1
    var stepper = stepper
    stepper.stepLimit = solver.stepLimit
    // The states written per output: all of them, or the output compartments' (each once).
    let shown = reportsAmounts ? Array(0..<width) : model.outputStates
    stepper.reported = shown
    let rowWidth = shown.count
    var y = [Double](repeating: 0, count: width * s)
    let stride = rowWidth * outputTimes.count
    let amounts = Self._withBlocks(s, count: stride) { blocks in
      var running = [[(compartment: Int, rate: Double, active: Bool)]](repeating: [], count: s)
      let events = members[0].events
      let lastOutput = outputTimes.last ?? 0
      var stopSet = Set(events.map(\.time).filter { $0 <= lastOutput })
      stopSet.insert(outputTimes.first ?? 0)
      stopSet.insert(lastOutput)
      let stops = stopSet.sorted()
      var nextOutput = 0
      var e = 0
      for (k, t) in stops.enumerated() {
        // The events at t, in record order, for every subject.
        var changed = false
        while e < events.count && events[e].time <= t {
          for j in 0..<s {
            let ev = members[j].events[e]
            if ev.infusion < 0 {
              y[ev.compartment * s + j] += ev.amount
            } else {
              while running[j].count <= ev.infusion { running[j].append((0, 0, false)) }
              running[j][ev.infusion] = (ev.compartment, ev.rate, ev.starts)
            }
          }
          changed = true
          e += 1
        }
        if changed {
          for j in 0..<s {
            // Rates summed in infusion order, as the record engine sums its running infusions.
            for i in 0..<width { input[i * s + j] = 0 }
            for inf in running[j] where inf.active { input[inf.compartment * s + j] += inf.rate }
          }
        }
        stepper.restart(at: t)
        let isLast = k + 1 == stops.count
        let end = isLast ? t : stops[k + 1]
        var last = nextOutput
        while last < outputTimes.count && (outputTimes[last] < end || (isLast && outputTimes[last] <= end)) {
          last += 1
        }
        stepper.advance(
          &y, through: outputTimes, range: nextOutput..<last, offset: 0, to: end, blocks: blocks,
          statesStart: nextOutput * rowWidth)
        nextOutput = last
      }
      return (0..<s).map { stepper.failures[$0] == nil && !stepper.stiffSubjects.contains($0) }
    }
    // The same for every subject (shared, not built per subject).
    let stateNames = model.stateNames
    let stateUnits = model.stateUnits
    // Each output's position in a row of the written states.
    let columns = model.outputCompartments.map { c in shown.firstIndex(of: c)! }
    var out: [Result<SimulationResult, any Error>] = []
    out.reserveCapacity(s)
    for j in 0..<s {
      if let failure = stepper.failures[j] {
        out.append(.failure(SimulationError.integration(failure, detail: "")))
        continue
      }
      if stepper.stiffSubjects.contains(j) {
        out.append(.failure(_Stiff()))
        continue
      }
      let m = members[j].model
      let factors = model.outputFactors(m.parameterValues, volumes: m.volumes)
      let times = outputTimes.count
      let concentrations = [Double](unsafeUninitializedCapacity: times * factors.count) { buffer, written in
        amounts[j].withUnsafeBufferPointer { sp in
          let amounts = sp.baseAddress!
          var q = buffer.baseAddress!
          for k in 0..<times {
            let row = amounts + k &* rowWidth
            for o in 0..<columns.count {
              q[o] = row[columns[o]] * factors[o]
            }
            q += columns.count
          }
        }
        written = times * factors.count
      }
      out.append(
        .success(
          SimulationResult(
            times: outputTimes,
            stateNames: stateNames,
            outputs: model.definition.outputs,
            amounts: reportsAmounts ? amounts[j] : [],
            concentrations: concentrations, totalDose: 0,
            stateUnits: stateUnits)))
    }
    return out
  }
}
