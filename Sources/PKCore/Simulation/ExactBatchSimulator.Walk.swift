import PKSolver

extension ExactBatchSimulator {
  /// One group's walk through `RecordSimulator._run`'s control flow for records without record
  /// rows, its members in the lanes of a `BatchExactLinearStepper` (padded to a multiple of 4
  /// with lanes that get no doses), resumable at any output row.
  ///
  /// Every step, dose and output is the record engine's, in its order: the same targets for
  /// the stepper (whose lanes are exact steppers), the same sums of the running infusions'
  /// rates, the same boluses, the same blocks of added times. Paused at a row inside a block,
  /// the walk goes on with that row as a single output and a new block after it: the same
  /// doubles as the unbroken block (a single step and a step of a regular run are the same
  /// arithmetic; `ExactLinearStepperTests.gridLoopEqualsOneAdvancePerOutput`).
  ///
  /// A lane is failed where the record engine would have thrown: a propagator that cannot be
  /// computed, a state that is not finite at an output the engine checks (each single output,
  /// the last of each block), or an output that is not finite.
  public struct Walk: Sendable {
    let members: [Member]
    let outputTimes: [Double]
    let compartments: Int
    let defaultDoseCompartment: Int
    let runs: RegularRunCache
    var stepper: BatchExactLinearStepper
    var state: [Double]
    var probeFailed: [Bool]
    var queue = _ActionQueue()
    /// The infusions: compartment, the record that gives each lane's rate, whether running.
    var infusions: [(compartment: Int, record: Int, active: Bool)] = []
    var input: [Double]? = nil
    var inputChanged = false
    var now: Double
    var started = false
    /// The next output row, the next added time (the same here), the next record.
    public private(set) var row = 0
    var k = 0
    var r = 0
    let offset = 0.0

    /// A walk of `members` (one timeline) over `outputTimes`, before its first step.
    init(members: [Member], outputTimes: [Double], model: CompiledModel, runs: RegularRunCache) {
      let lanes = ExactBatchSimulator._padded(members.count)
      let outputCount = model.outputCompartments.count
      var factors = [Double](repeating: 0, count: outputCount * lanes)
      for o in 0..<outputCount {
        for l in 0..<lanes { factors[o * lanes + l] = members[l < members.count ? l : 0].factors[o] }
      }
      self.members = members
      self.outputTimes = outputTimes
      self.compartments = model.compartmentCount + 1
      self.defaultDoseCompartment = model.defaultDoseCompartment
      self.runs = runs
      self.stepper = BatchExactLinearStepper(
        systems: members.map(\.system)
          + [LinearSystem](repeating: members[0].system, count: lanes - members.count),
        outputStates: model.outputCompartments, outputFactors: factors)
      self.state = [Double](repeating: 0, count: compartments * lanes)
      self.probeFailed = [Bool](repeating: false, count: lanes)
      self.now = Swift.min(members[0].schedule.records.first?.time ?? 0, outputTimes.first ?? .infinity)
    }

    /// The number of lanes.
    var lanes: Int { stepper.lanes }
    var records: [DataRecord] { members[0].schedule.records }

    /// Per member whether it failed so far.
    public var failed: [Bool] {
      (0..<members.count).map { probeFailed[$0] || stepper.failed[$0] || stepper.outputProbes[$0].isNaN }
    }

    /// Walks on until output row `limit` (or the end), writing rows `row..<limit`: output o of
    /// lane l at row q at (q − `firstRow`)·O·stride + o·stride + l from `outputs`, for all lanes,
    /// padding included.
    public mutating func run(
      untilRow limit: Int, into outputs: UnsafeMutablePointer<Double>, stride: Int, firstRow: Int = 0
    ) {
      // (Records due before the next output are taken at once, and after the last output to
      // the end, as the record engine takes them: a dose after the outputs still steps, and
      // can still fail.)
      while true {
        if r < records.count && !(k < outputTimes.count && outputTimes[k] < records[r].time) {
          _dose(r)
          r += 1
        } else if k < outputTimes.count && row < limit {
          _addedOutput(before: r, limit: limit, outputs, stride, firstRow)
        } else {
          return
        }
      }
    }

    /// A lane's amount and rate of record r (padding lanes get none).
    func _amount(_ r: Int, _ l: Int) -> Double {
      l < members.count ? members[l].schedule.records[r].amount : 0
    }
    func _rate(_ r: Int, _ l: Int) -> Double { l < members.count ? members[l].schedule.records[r].rate : 0 }

    mutating func _refreshInput() {
      guard inputChanged else { return }
      var u = [Double](repeating: 0, count: compartments * lanes)
      var any = false
      for f in infusions where f.active {
        for l in 0..<lanes { u[f.compartment * lanes + l] += _rate(f.record, l) }
        any = true
      }
      input = any ? u : nil
      inputChanged = false
    }

    mutating func _useStepper() {
      if !started {
        stepper.setTime(now)
        started = true
      }
    }

    mutating func _advance(to target: Double) {
      if target <= now { return }
      _refreshInput()
      _useStepper()
      stepper.advance(&state, to: target, inputs: input)
      now = target
    }

    mutating func _apply(_ action: _ActionQueue.Action) {
      switch action.kind {
      case .bolus(let c, _):
        for l in 0..<lanes { state[c * lanes + l] += _amount(action.record, l) }
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

    /// Lanes with a state that is not finite fail (the engine's check of an output row).
    mutating func _probe() {
      for i in 0..<(compartments * lanes) where !state[i].isFinite { probeFailed[i % lanes] = true }
    }

    /// The queued actions before time t (and those at t of records before r), in order.
    mutating func _applyActions(before t: Double, record r: Int) {
      while let a = queue.first, a.time < t || (a.time == t && a.record < r) {
        _advance(to: a.time)
        _apply(queue.pop())
      }
    }

    /// Added time k as a single output, then the block of added times after it, up to `limit`.
    mutating func _addedOutput(
      before r: Int, limit: Int, _ outputs: UnsafeMutablePointer<Double>, _ stride: Int, _ firstRow: Int
    ) {
      let t = outputTimes[k] + offset
      _applyActions(before: t, record: r)
      _advance(to: t)
      _probe()
      stepper.write(state, row: row - firstRow, into: outputs, stride: stride)
      row += 1
      k += 1
      let end = Swift.min(
        limit - row + k,
        RecordSimulator._blockEnd(
          outputTimes, from: k, offset: offset, now: now,
          recordTime: r < records.count ? records[r].time : Double.infinity,
          actionTime: queue.first?.time ?? Double.infinity))
      guard end > k else { return }
      _refreshInput()
      _useStepper()
      stepper.advance(
        &state, through: outputTimes, range: k..<end, offset: offset, inputs: input, outputs: outputs,
        stride: stride, firstRow: row - firstRow, runs: runs)
      now = outputTimes[end - 1] + offset
      _probe()
      row += end - k
      k = end
    }

    /// Record r: the queued actions before it, then its dose (`RecordSimulator._dose` with
    /// F = 1, no lag, RATE ≥ 0, SS = 0) and the actions it starts at once.
    mutating func _dose(_ r: Int) {
      let t = records[r].time + offset
      _applyActions(before: t, record: r)
      _advance(to: t)
      let record = records[r]
      let c = record.compartment == 0 ? defaultDoseCompartment : record.compartment - 1
      let lag = 0.0
      for repeat_ in 0...Swift.max(0, record.additional) {
        let start = t + Double(repeat_) * record.interval + lag
        if record.rate != 0 {
          infusions.append((c, r, false))
          let id = infusions.count - 1
          queue.push(time: start, record: r, .infusionStart(id: id))
          queue.push(time: start + (1 * record.amount) / record.rate, record: r, .infusionEnd(id: id))
        } else {
          // (Each lane's amount is read from its own record r when the bolus is applied.)
          queue.push(time: start, record: r, .bolus(compartment: c, amount: 0))
        }
      }
      inputChanged = true
      while let a = queue.first, a.time <= t, a.record <= r {
        _apply(queue.pop())
      }
    }
  }
}
