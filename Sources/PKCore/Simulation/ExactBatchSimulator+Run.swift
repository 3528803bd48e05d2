import PKSolver

extension ExactBatchSimulator {
  /// Runs members of one timeline in lanes (padded to a multiple of 4 with lanes that get no
  /// doses), walking `RecordSimulator._run`'s control flow for records without record rows,
  /// and writes the outputs (output o of lane l at time point t at (t·O + o)·stride + l, for
  /// all lanes, padding included); returns per member whether it failed.
  ///
  /// Every step, dose and output is the record engine's, in its order: the same targets for
  /// the stepper (`BatchExactLinearStepper`, whose lanes are exact steppers), the same sums of
  /// the running infusions' rates, the same boluses, the same blocks of added times. A lane is
  /// failed where the record engine would have thrown: a propagator that cannot be computed, a
  /// state that is not finite at an output the engine checks (each single output, the last of
  /// each block), or an output that is not finite.
  func _run(
    _ members: [Member], outputTimes added: [Double], into outputs: UnsafeMutablePointer<Double>, stride: Int
  ) -> [Bool] {
    let lanes = Self._padded(members.count)
    let width = model.compartmentCount + 1
    let outputCount = model.outputCompartments.count
    let lead = members[0]
    let padding = lanes - members.count
    var factors = [Double](repeating: 0, count: outputCount * lanes)
    for o in 0..<outputCount {
      for l in 0..<lanes { factors[o * lanes + l] = members[l < members.count ? l : 0].factors[o] }
    }
    var stepper = BatchExactLinearStepper(
      systems: members.map(\.system) + [LinearSystem](repeating: lead.system, count: padding),
      outputStates: model.outputCompartments, outputFactors: factors)
    var failed = [Bool](repeating: false, count: lanes)
    let records = lead.schedule.records
    // A lane's amount and rate of record r (padding lanes get none).
    func amount(_ r: Int, _ l: Int) -> Double {
      l < members.count ? members[l].schedule.records[r].amount : 0
    }
    func rate(_ r: Int, _ l: Int) -> Double { l < members.count ? members[l].schedule.records[r].rate : 0 }

    var state = [Double](repeating: 0, count: width * lanes)
    var queue = _ActionQueue()
    // The infusions: compartment, per-lane rates, whether running.
    var infusions: [(compartment: Int, record: Int, active: Bool)] = []
    var input: [Double]? = nil
    var inputChanged = false
    var now = min(records.first?.time ?? 0, added.first ?? .infinity)
    let offset = 0.0
    var started = false
    var row = 0
    var k = 0

    func refreshInput() {
      guard inputChanged else { return }
      var u = [Double](repeating: 0, count: width * lanes)
      var any = false
      for f in infusions where f.active {
        for l in 0..<lanes { u[f.compartment * lanes + l] += rate(f.record, l) }
        any = true
      }
      input = any ? u : nil
      inputChanged = false
    }
    func useStepper() {
      if !started {
        stepper.setTime(now)
        started = true
      }
    }
    func advance(to target: Double) {
      if target <= now { return }
      refreshInput()
      useStepper()
      stepper.advance(&state, to: target, inputs: input)
      now = target
    }
    func apply(_ action: _ActionQueue.Action) {
      switch action.kind {
      case .bolus(let c, _):
        for l in 0..<lanes { state[c * lanes + l] += amount(action.record, l) }
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
    // Lanes with a state that is not finite fail (the engine's check of an output row).
    func probe() {
      for i in 0..<(width * lanes) where !state[i].isFinite { failed[i % lanes] = true }
    }
    func addedOutput(before r: Int) {
      let t = added[k] + offset
      while let a = queue.first, a.time < t || (a.time == t && a.record < r) {
        advance(to: a.time)
        apply(queue.pop())
      }
      advance(to: t)
      probe()
      stepper.write(state, row: row, into: outputs, stride: stride)
      row += 1
      k += 1
      let end = RecordSimulator._blockEnd(
        added, from: k, offset: offset, now: now,
        recordTime: r < records.count ? records[r].time : Double.infinity,
        actionTime: queue.first?.time ?? Double.infinity)
      guard end > k else { return }
      refreshInput()
      useStepper()
      stepper.advance(
        &state, through: added, range: k..<end, offset: offset, inputs: input, outputs: outputs,
        stride: stride,
        firstRow: row, runs: regularRuns)
      now = added[end - 1] + offset
      probe()
      row += end - k
      k = end
    }

    for r in records.indices {
      let time = records[r].time
      while k < added.count && added[k] < time { addedOutput(before: r) }
      let t = time + offset
      while let a = queue.first, a.time < t || (a.time == t && a.record < r) {
        advance(to: a.time)
        apply(queue.pop())
      }
      advance(to: t)
      // The dose (`RecordSimulator._dose` with F = 1, no lag, RATE ≥ 0, SS = 0).
      let record = records[r]
      let c = record.compartment == 0 ? model.defaultDoseCompartment : record.compartment - 1
      let lag = 0.0
      for repeat_ in 0...max(0, record.additional) {
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
        apply(queue.pop())
      }
    }
    while k < added.count { addedOutput(before: records.count) }
    return (0..<members.count).map { failed[$0] || stepper.failed[$0] || stepper.outputProbes[$0].isNaN }
  }
}
