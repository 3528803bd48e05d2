import PKLinearAlgebra
import PKSolver

/// Simulates one subject's NONMEM-style records exactly as NONMEM's PREDPP does, on a linear
/// compartment model.
///
/// Records are taken in file order. Every dose becomes stop times of the exact integrator:
/// boluses and the start and end of infusions, with lag times `ALAG<n>` applied to every dose,
/// `ADDL` repeats every `II` (carrying the dose record's parameters), bioavailability `F<n>`
/// changing an infusion's duration when its rate is given and its rate when its duration is
/// modelled (`RATE = −2`, `D<n>`), and the modelled rate `R<n>` for `RATE = −1`. `SS = 1`
/// resets the state to the steady state of the regimen (`SS = 2` adds it), computed exactly
/// from the geometric series of the propagator (`steadyState`), with the parts of earlier
/// infusions still running. `EVID 3` resets (empties every compartment and stops infusions),
/// `EVID 4` resets and doses. Between records the covariates of one record govern the
/// parameters (`CovariateConvention`: NONMEM's next-observation-carried-backward by default).
///
/// Every record gets one output row: the state after the record has been processed, so a dose
/// record shows the state just after its dose (a lagged dose comes later).
///
/// Reference: NONMEM Users Guide, Part V (PREDPP) and Part VIII (data items); Beal SL,
/// Sheiner LB, Boeckmann AJ, Bauer RJ, NONMEM 7 Users Guides, ICON Development Solutions.
public struct RecordSimulator: Sendable {
  /// The compiled model.
  public let model: CompiledModel
  /// Which record's covariates govern each interval.
  public var convention: CovariateConvention
  /// The integrator: exact for linear models unless an adaptive method is asked for.
  public var solver: SolverOptions
  /// The runs of regular output steps the exact steppers have walked, shared with every engine
  /// given the same cache (the subjects of a population on one grid walk each run's clock once).
  public let regularRuns: RegularRunCache
  /// Whether results carry every state's amounts (the default). When false,
  /// `SimulationResult.amounts` is empty and an adaptive stepper writes the concentrations at
  /// the added times itself (`AdaptiveStepper.outputProjection`: the output compartments times
  /// their factors): the Taylor method's dense output, p multiply-adds per state and time, is
  /// then evaluated for those alone, and no amount rows are written and read back. A model
  /// with indirect responses (their curves are read from the amounts) carries its amounts
  /// either way.
  public var reportsAmounts = true

  /// The structural values of system 0, matched before `systemIndex` (which holds the others):
  /// a subject with constant covariates has one system, and hashing its key into a dictionary
  /// of one entry was most of the look-up's cost.
  private var firstSystemKey: [Double]? = nil
  private var systemIndex: [[Double]: Int] = [:]
  private var steppers: [ExactLinearStepper] = []
  private var systemOutputFactors: [[Double]] = []
  private var systemValues: [[Double]] = []
  private var systemVolumes: [[Double?]] = []
  /// The adaptive steppers of the last run's systems, kept for the next (see `_AdaptiveSteppers`).
  private var adaptiveSteppers = _AdaptiveSteppers()
  /// The last run's amount rows when the result did not carry them (`reportsAmounts` false),
  /// for the next run to write into: no new rows and no zeroing of them per run. A caller that
  /// runs many subjects, each on its own engine, hands them from one engine to the next (move
  /// them: an engine given rows that are shared copies them). Every row a run uses it writes
  /// whole. A run that integrates adaptively without amounts and without record rows uses none
  /// (its stepper writes the concentrations) and leaves this empty.
  public var scratchRows: [Double] = []

  /// The most distinct parameter sets (systems) kept; beyond it the cache starts afresh.
  public static let systemCacheLimit = 4096

  public init(
    model: CompiledModel, convention: CovariateConvention = .nocb, solver: SolverOptions = SolverOptions(),
    regularRuns: RegularRunCache = RegularRunCache()
  ) {
    self.model = model
    self.convention = convention
    self.solver = solver
    self.regularRuns = regularRuns
  }

  /// Simulates one subject's records, with extra output times merged in.
  ///
  /// - Parameters:
  ///   - records: the subject's records in file order (TIME non-decreasing, except at a reset).
  ///   - covariates: where each of the model's covariates comes from.
  ///   - addedTimes: extra output times (h, non-decreasing), each placed after the records at
  ///     the same or an earlier time (mrgsolve's `obsaug`); it belongs to the interval it falls
  ///     in, and so to the parameters that govern that interval.
  ///   - reportRecords: whether records get output rows (false: only the added times do).
  /// - Returns: the rows in time order: times (h), amounts, concentrations, and for each row
  ///   the record it reports (`recordIndices`, −1 for an added time).
  /// - Throws: `RecordError` for a record the model cannot take (a compartment it lacks, a
  ///   modelled rate it does not define, a parameter that cannot be evaluated);
  ///   `SimulationError` when the numbers fail.
  public mutating func run(
    records: [DataRecord], covariates: [CovariateSource], addedTimes: [Double] = [],
    reportRecords: Bool = true
  ) throws -> SimulationResult {
    try _run(records: records, covariates: covariates, addedTimes: addedTimes, reportRecords: reportRecords)
  }

  /// `run(records:covariates:addedTimes:reportRecords:)`; with `indexAddedTimes` false and no
  /// record rows, `recordIndices` is left empty instead of −1 for every row (for `Simulator`,
  /// whose results have no records to point to).
  mutating func _run(
    records: [DataRecord], covariates: [CovariateSource], addedTimes: [Double],
    reportRecords: Bool, indexAddedTimes: Bool = true
  ) throws -> SimulationResult {
    precondition(covariates.count == model.covariateNames.count, "One source per covariate.")
    let n = model.compartmentCount
    let width = n + 1
    let outputCount = model.outputCompartments.count
    let rowCount = (reportRecords ? records.count : 0) + addedTimes.count
    // Kept steppers only from a box no copy of this engine holds.
    if !isKnownUniquelyReferenced(&adaptiveSteppers) { adaptiveSteppers = _AdaptiveSteppers() }
    let keepsAmounts = reportsAmounts || !model.responseSlots.isEmpty
    // The adaptive method for nonlinear models (or one asked for), nil for the exact steps.
    let adaptiveMethod: AdaptiveMethod?
    do { adaptiveMethod = try solver.adaptiveMethod(for: model) } catch {
      throw RecordError(line: records.first?.line ?? 0, message: error.description)
    }
    // Amount rows: the result's amounts, or scratch kept from the last run for the steps that
    // write whole states (the exact steps, record rows). An adaptive stepper without amounts
    // writes the concentrations itself and needs none.
    let needsRows = keepsAmounts || reportRecords || adaptiveMethod == nil
    var amounts = keepsAmounts ? [] : scratchRows
    scratchRows = []
    if !needsRows {
      amounts = []
    } else if amounts.count != rowCount * width {
      amounts = [Double](repeating: 0, count: rowCount * width)
    }
    var concentrations = [Double](repeating: 0, count: rowCount * outputCount)
    // Without record rows every row is an added time: the times are `addedTimes` and every
    // record index is −1, so neither is written row by row.
    var times = reportRecords ? [Double](repeating: 0, count: rowCount) : []
    var recordIndices = reportRecords ? [Int](repeating: -1, count: rowCount) : []

    // Parameters of every record, re-evaluated only when the covariates change: row
    // `valueRow[r]` of `values` (slotCount wide) and the system `systems[r]`. Without records
    // (added times only), the constant covariates give the one system.
    let slots = model.slotCount
    let (values, valueRow) = try model.recordParameters(records: records, covariates: covariates)
    var systems = [Int](repeating: 0, count: valueRow.count)
    var rowSystem: [Int] = []
    for r in valueRow.indices {
      if valueRow[r] == rowSystem.count {
        // The first record of a new row of parameters: its system.
        let v = Array(values[(valueRow[r] * slots)..<((valueRow[r] + 1) * slots)])
        rowSystem.append(try _system(for: v, line: records.isEmpty ? 0 : records[r].line))
      }
      systems[r] = rowSystem[valueRow[r]]
    }

    // Nonlinear models (or an adaptive method asked for): one adaptive stepper per system. The
    // steppers of the last run's systems are kept in a box of this engine's own; at the end the
    // box keeps this run's only (a data set's engine meets new systems subject after subject).
    var adaptive = [AdaptiveStepper<NonlinearRHS>?](repeating: nil, count: steppers.count)
    var kept: [(system: Int, stepper: AdaptiveStepper<NonlinearRHS>)] = []
    swap(&kept, &adaptiveSteppers.kept)
    let box = adaptiveSteppers
    defer {
      for s in rowSystem {
        if let stepper = adaptive[s] {
          adaptive[s] = nil
          kept.append((s, stepper))
        }
      }
      swap(&kept, &box.kept)
    }
    var adaptiveDirty = true
    var doseScale = 0.0
    for r in records where r.evid == 1 || r.evid == 4 {
      doseScale = max(doseScale, abs(r.amount), abs(r.rate))
    }
    let tolerance = Tolerance(
      relative: solver.relativeTolerance, absolute: solver.absoluteTolerance * (doseScale > 0 ? doseScale : 1)
    )
    // What system s's stepper writes at added times: the concentrations, without amounts.
    func projection(_ s: Int) -> OutputProjection? {
      keepsAmounts ? nil : OutputProjection(states: model.outputCompartments, factors: systemOutputFactors[s])
    }
    // The last run's steppers (moved out of the list, so that changing one copies none of its
    // arrays): this run's method (or none), tolerance, limit and rows.
    while case (let s, var stepper)? = kept.popLast() {
      guard s < adaptive.count && stepper.method == adaptiveMethod else { continue }
      stepper.tolerance = tolerance
      stepper.stepLimit = solver.stepLimit
      if (stepper.outputProjection == nil) != keepsAmounts { stepper.outputProjection = projection(s) }
      stepper.function._forgetError()
      adaptive[s] = stepper
    }
    func adaptiveStepper(_ s: Int) throws -> Int {
      if adaptive[s] == nil {
        let rhs: NonlinearRHS
        do {
          rhs = try NonlinearRHS(
            model: model, values: systemValues[s], system: steppers[s].system, volumes: systemVolumes[s])
        } catch {
          throw RecordError(line: records.first?.line ?? 0, message: error.description)
        }
        var stepper = AdaptiveStepper(function: rhs, method: adaptiveMethod!, tolerance: tolerance, time: now)
        stepper.stepLimit = solver.stepLimit
        stepper.outputProjection = projection(s)
        adaptive[s] = stepper
      }
      return s
    }
    func integrationError(_ e: IntegrationError, _ s: Int) -> SimulationError {
      var detail = ""
      if case .nonFinite(_, let i) = e, i >= 0 {
        detail =
          "the quantity: the rate of change of "
          + (i < n ? "the amount in '\(model.definition.compartments[i].name)'" : "the amount eliminated")
      }
      if let (flow, error) = adaptive[s]?.function.lastError {
        detail += (detail.isEmpty ? "" : "; ") + "the rate '\(flow)' failed: \(error)"
      }
      return .integration(e, detail: detail)
    }

    var state = [Double](repeating: 0, count: width)
    var queue = _ActionQueue()
    var infusions: [(compartment: Int, rate: Double, active: Bool)] = []
    var input: [Double]? = nil
    var inputChanged = false
    var now = min(records.first?.time ?? 0, addedTimes.first ?? .infinity)
    var offset = 0.0
    var lastStepper = -1
    var totalDose = 0.0

    func refreshInput() {
      guard inputChanged else { return }
      var u = [Double](repeating: 0, count: width)
      var any = false
      for f in infusions where f.active {
        u[f.compartment] += f.rate
        any = true
      }
      input = any ? u : nil
      inputChanged = false
    }

    func useStepper(_ s: Int) {
      if adaptiveMethod != nil {
        if s != lastStepper || adaptiveDirty {
          adaptive[s]!.setTime(now)
          adaptive[s]!.function.input = input ?? [Double](repeating: 0, count: width)
          adaptiveDirty = false
        }
        lastStepper = s
        return
      }
      if s != lastStepper {
        steppers[s].setTime(now)
        lastStepper = s
      }
    }

    func advance(to target: Double, system s: Int) throws {
      if target <= now { return }
      refreshInput()
      if adaptiveMethod != nil {
        _ = try adaptiveStepper(s)
        useStepper(s)
        do { try adaptive[s]!.advance(&state, to: target) } catch { throw integrationError(error, s) }
        now = target
        return
      }
      useStepper(s)
      do { try steppers[s].advance(&state, to: target, input: input) } catch {
        throw SimulationError.linearAlgebra(error)
      }
      now = target
    }

    func apply(_ action: _ActionQueue.Action) {
      adaptiveDirty = true
      switch action.kind {
      case .bolus(let c, let amount):
        state[c] += amount
        totalDose += amount
      case .infusionStart(let id):
        infusions[id].active = true
        inputChanged = true
      case .infusionEnd(let id):
        if infusions[id].active {
          infusions[id].active = false
          inputChanged = true
        }
      }
    }

    // Writes the state as output row `row`.
    var row = 0
    var lastSystem = -1
    var outputFactors = [Double](repeating: 0, count: outputCount)
    func output(time: Double, system: Int, record: Int) throws {
      for i in 0..<width {
        guard state[i].isFinite else { throw SimulationError.nonFinite(time: time) }
        if needsRows { amounts[row * width + i] = state[i] }
      }
      if system != lastSystem {
        lastSystem = system
        outputFactors = systemOutputFactors[system]
      }
      for (j, c) in model.outputCompartments.enumerated() {
        concentrations[row * outputCount + j] = state[c] * outputFactors[j]
      }
      if reportRecords {
        times[row] = time
        recordIndices[row] = record
      }
      row += 1
    }

    // Reports added time k, in the interval that ends at record r (r = records.count: after
    // the last record); actions of records before r at that time come first. The added times
    // after it that come before the next action or record follow in one block.
    var k = 0
    let compartmentsOut = model.outputCompartments
    func addedOutput(before r: Int) throws {
      let t = addedTimes[k] + offset
      let interval =
        r == records.count
        ? systems[max(records.count - 1, 0)]
        : (convention == .nocb ? systems[r] : systems[max(r - 1, 0)])
      while let a = queue.first, a.time < t || (a.time == t && a.record < r) {
        try advance(to: a.time, system: interval)
        apply(queue.pop())
      }
      try advance(to: t, system: interval)
      try output(time: addedTimes[k], system: interval, record: -1)
      k += 1
      // The block: later added times before the next record and the next queued action.
      let end = Self._blockEnd(
        addedTimes, from: k, offset: offset, now: now,
        recordTime: r < records.count ? records[r].time : Double.infinity,
        actionTime: queue.first?.time ?? Double.infinity)
      guard end > k else { return }
      refreshInput()
      let first = row
      let count = end - k
      if adaptiveMethod != nil {
        // Without amounts, the stepper writes the concentrations itself (its output
        // projection); they are probed here and the block is done.
        _ = try adaptiveStepper(interval)
        useStepper(interval)
        do {
          if keepsAmounts {
            try adaptive[interval]!.advance(
              &state, through: addedTimes, range: k..<end, offset: offset, states: &amounts,
              statesStart: row * width)
          } else {
            try adaptive[interval]!.advance(
              &state, through: addedTimes, range: k..<end, offset: offset, states: &concentrations,
              statesStart: row * outputCount)
          }
        } catch { throw integrationError(error, interval) }
        if !keepsAmounts {
          now = addedTimes[end - 1] + offset
          let firstNonFinite: Int? = concentrations.withUnsafeBufferPointer { cp in
            let c = cp.baseAddress! + first * outputCount
            guard !FinitenessProbe.allFinite(c, count: count * outputCount) else { return nil }
            return (0..<count).first { q in (0..<outputCount).contains { !c[q * outputCount + $0].isFinite } }
          }
          if let q = firstNonFinite { throw SimulationError.nonFinite(time: addedTimes[k + q]) }
          finishBlock(first: first, count: count)
          return
        }
      } else {
        useStepper(interval)
        do {
          try steppers[interval].advance(
            &state, through: addedTimes, range: k..<end, offset: offset, input: input,
            states: &amounts, statesStart: row * width, runs: regularRuns)
        } catch {
          throw SimulationError.linearAlgebra(error)
        }
      }
      now = addedTimes[end - 1] + offset
      // Local copies and a returned index: a variable captured by this closure and written in
      // it would be checked for exclusive access at every element. Finiteness first in one
      // pass (`FinitenessProbe`), the row only when it fails.
      //
      // The exact steps probe the block's last row only: each state of a step is a sum over
      // every state of the step before (Φ·x or x + D·x, zero coefficients included), and a sum
      // with a NaN or infinite term (0·∞ is NaN) is not finite, so a block with any non-finite
      // state ends in a non-finite row. The adaptive methods' rows are interpolated from their
      // steps and are probed whole.
      let probeStart = adaptiveMethod == nil ? (count - 1) * width : 0
      let firstNonFinite: Int? = amounts.withUnsafeBufferPointer { ap in
        concentrations.withUnsafeMutableBufferPointer { cp in
          outputFactors.withUnsafeBufferPointer { factors in
            compartmentsOut.withUnsafeBufferPointer { columns in
              let block = ap.baseAddress! + first * width
              // An output at a time, down the block's rows (strided pointers: no overflow
              // checks in the index arithmetic).
              let c = cp.baseAddress! + first * outputCount
              for o in 0..<outputCount {
                let factor = factors[o]
                var source = UnsafePointer(block) + columns[o]
                var target = c + o
                for _ in 0..<count {
                  target.pointee = source.pointee * factor
                  source += width
                  target += outputCount
                }
              }
              guard !FinitenessProbe.allFinite(block + probeStart, count: count * width - probeStart) else {
                return nil
              }
              return (0..<count).first { q in (0..<width).contains { !block[q * width + $0].isFinite } }
            }
          }
        }
      }
      if let q = firstNonFinite { throw SimulationError.nonFinite(time: addedTimes[k + q]) }
      finishBlock(first: first, count: count)
    }

    // The block's times, and the next row and added time.
    func finishBlock(first: Int, count: Int) {
      if reportRecords {
        // One uniqueness check for the block, not one per time.
        times.withUnsafeMutableBufferPointer { tp in
          addedTimes.withUnsafeBufferPointer { ap in
            for q in 0..<count { tp[first + q] = ap[k + q] }
          }
        }
      }
      row += count
      k += count
    }

    for r in records.indices {
      let time = records[r].time
      while k < addedTimes.count && addedTimes[k] < time { try addedOutput(before: r) }
      // A reset may restart the record clock; the engine's clock keeps going.
      let evid = records[r].evid
      let isReset = evid == 3 || evid == 4
      if isReset && time + offset < now { offset = now - time }
      let t = time + offset
      let interval = convention == .nocb ? systems[r] : systems[max(r - 1, 0)]
      while let a = queue.first, a.time < t || (a.time == t && a.record < r) {
        try advance(to: a.time, system: interval)
        apply(queue.pop())
      }
      try advance(to: t, system: interval)
      if isReset {
        adaptiveDirty = true
        for i in 0..<width { state[i] = 0 }
        for id in infusions.indices where infusions[id].active { infusions[id].active = false }
        inputChanged = true
      }
      if evid == 1 || evid == 4 {
        adaptiveDirty = true
        if records[r].steadyState != 0 && adaptiveMethod != nil {
          throw RecordError(
            line: records[r].line, field: "SS",
            message: "steady state is computed exactly for linear models only; this run integrates adaptively"
          )
        }
        let start = valueRow[r] * slots
        try _dose(
          records[r], index: r, at: t, values: Array(values[start..<(start + slots)]),
          system: systems[r], state: &state, queue: &queue, infusions: &infusions,
          totalDose: &totalDose)
        inputChanged = true
      }
      while let a = queue.first, a.time <= t, a.record <= r {
        apply(queue.pop())
      }
      if reportRecords { try output(time: time, system: systems[r], record: r) }
    }
    while k < addedTimes.count { try addedOutput(before: records.count) }
    if !keepsAmounts { scratchRows = amounts }
    return SimulationResult(
      times: reportRecords ? times : addedTimes,
      stateNames: model.stateNames,
      outputs: model.definition.outputs, amounts: keepsAmounts ? amounts : [], concentrations: concentrations,
      totalDose: totalDose,
      recordIndices: reportRecords
        ? recordIndices : indexAddedTimes ? [Int](repeating: -1, count: rowCount) : [],
      stateUnits: model.stateUnits)
  }

  /// The end of the block of added times that starts at `k`: the times after `now` (each plus
  /// `offset`) before both the next record's time and the next queued action's.
  ///
  /// The added times are non-decreasing, so each condition holds on one side of a point: the
  /// block is empty unless the first is after now, and it ends at the first time not before
  /// both the record and the action (found by bisection, not one comparison per time).
  static func _blockEnd(
    _ addedTimes: [Double], from k: Int, offset: Double, now: Double, recordTime: Double, actionTime: Double
  ) -> Int {
    var end = k
    guard k < addedTimes.count && addedTimes[k] + offset > now else { return end }
    var high = addedTimes.count
    while end < high {
      let middle = end + (high - end) / 2
      if addedTimes[middle] < recordTime && addedTimes[middle] + offset < actionTime {
        end = middle + 1
      } else {
        high = middle
      }
    }
    return end
  }

  /// The index of the stepper for parameter values `values`, creating it when new.
  private mutating func _system(for values: [Double], line: Int) throws(RecordError) -> Int {
    let key = model.structuralSlots.map { values[$0] }
    if let first = firstSystemKey, first == key { return 0 }
    if !systemIndex.isEmpty, let s = systemIndex[key] { return s }
    if steppers.count >= Self.systemCacheLimit {
      firstSystemKey = nil
      systemIndex.removeAll()
      steppers.removeAll()
      systemOutputFactors.removeAll()
      systemValues.removeAll()
      systemVolumes.removeAll()
      adaptiveSteppers.kept.removeAll()
    }
    let built: (system: LinearSystem, volumes: [Double?])
    do { built = try model.system(values) } catch {
      throw RecordError(line: line, message: error.description)
    }
    steppers.append(ExactLinearStepper(system: built.system))
    systemValues.append(values)
    systemVolumes.append(built.volumes)
    systemOutputFactors.append(model.outputFactors(values, volumes: built.volumes))
    if steppers.count == 1 { firstSystemKey = key } else { systemIndex[key] = steppers.count - 1 }
    return steppers.count - 1
  }

  /// Applies dose record `record` at engine time `t`: steady state, then the dose and its
  /// repeats as queued actions.
  private func _dose(
    _ record: DataRecord, index r: Int, at t: Double, values: [Double], system s: Int,
    state: inout [Double], queue: inout _ActionQueue,
    infusions: inout [(compartment: Int, rate: Double, active: Bool)], totalDose: inout Double
  ) throws {
    let n = model.compartmentCount
    let c = record.compartment == 0 ? model.defaultDoseCompartment : record.compartment - 1
    guard (0..<n).contains(c) else {
      throw RecordError(
        line: record.line, field: "CMT",
        message: "found \(record.compartment); expected 1 to \(n) (the model's compartments: "
          + model.definition.compartments.enumerated().map { "\($0 + 1) \($1.name)" }.joined(separator: ", ")
          + ")")
    }
    if let unit = model.definition.compartments[c].quantity {
      throw RecordError(
        line: record.line, field: "CMT",
        message:
          "found \(record.compartment), '\(model.definition.compartments[c].name)', a quantity (\(unit)), "
          + "not a drug compartment; doses go into drug compartments")
    }
    let modifiers = model.doseModifiers[c]
    let f = modifiers.bioavailability.map { model.canonical($0, values) } ?? 1
    let lag = modifiers.lag.map { model.canonical($0, values) } ?? 0
    guard f >= 0 && f.isFinite else {
      throw RecordError(
        line: record.line, field: "F\(c + 1)", message: "bioavailability is \(f); expected 0 or more")
    }
    guard lag >= 0 && lag.isFinite else {
      throw RecordError(
        line: record.line, field: "ALAG\(c + 1)", message: "lag time is \(lag) h; expected 0 or more")
    }

    // What one dose is: a bolus of `amount`, or an infusion of `rate` for `duration`.
    let amount = f * record.amount
    var rate = 0.0
    var duration = 0.0
    if record.rate > 0 {
      rate = record.rate
      duration = amount / rate
    } else if record.rate == -1 {
      rate = try _modelled(
        modifiers.rate, "R", "rate", "mg/h", record: record, compartment: c, values: values)
      duration = amount / rate
    } else if record.rate == -2 {
      duration = try _modelled(
        modifiers.duration, "D", "duration", "h", record: record, compartment: c, values: values)
      rate = amount / duration
    }
    let isInfusion = record.rate != 0

    if record.steadyState != 0 {
      let steady: _SteadyState
      if record.amount == 0 && record.rate > 0 && record.interval == 0 {
        steady = try _constantInfusionSteadyState(
          system: s, compartment: c, rate: record.rate, line: record.line)
      } else {
        steady = try _periodicSteadyState(
          system: s, compartment: c, amount: amount, rate: isInfusion ? rate : nil, duration: duration,
          period: record.interval, lag: lag, line: record.line)
      }
      if record.steadyState == 1 {
        for i in 0...n { state[i] = 0 }
        for id in infusions.indices { infusions[id].active = false }
      }
      for i in 0..<n { state[i] += steady.amounts[i] }
      for residual in steady.runningInfusions {
        infusions.append((c, residual.rate, true))
        queue.push(time: t + residual.remaining, record: r, .infusionEnd(id: infusions.count - 1))
      }
      if record.amount == 0 { return }
    }

    let interval = record.interval
    for k in 0...max(0, record.additional) {
      let start = t + Double(k) * interval + lag
      if isInfusion {
        infusions.append((c, rate, false))
        let id = infusions.count - 1
        queue.push(time: start, record: r, .infusionStart(id: id))
        queue.push(time: start + duration, record: r, .infusionEnd(id: id))
        totalDose += amount
      } else {
        queue.push(time: start, record: r, .bolus(compartment: c, amount: amount))
      }
    }
  }

  /// The modelled rate (`R<n>`, RATE = −1) or duration (`D<n>`, RATE = −2) of a dose record:
  /// an error when the model does not define it or it is not above 0.
  private func _modelled(
    _ slot: CompiledModel.Slot?, _ prefix: String, _ what: String, _ unit: String,
    record: DataRecord, compartment c: Int, values: [Double]
  ) throws(RecordError) -> Double {
    let name = model.definition.compartments[c].name
    guard let slot else {
      throw RecordError(
        line: record.line, field: "RATE",
        message: "RATE = \(Int(record.rate)) asks for a modelled \(what), but the model defines no "
          + "\(prefix)\(c + 1) for '\(name)'")
    }
    let value = model.canonical(slot, values)
    guard value > 0 && value.isFinite else {
      throw RecordError(
        line: record.line, field: "\(prefix)\(c + 1)",
        message: "the modelled \(what) is \(value) \(unit); expected a \(what) above 0")
    }
    return value
  }

  /// The stepper of system `s` (for steady-state computations).
  func _stepperSystem(_ s: Int) -> LinearSystem { steppers[s].system }
}
