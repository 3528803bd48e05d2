import PKCore
import PKSolver
import RealModule
import Testing
import _PKTestSupport

/// NONMEM record semantics of `RecordSimulator` beyond steady state: resets, lag and
/// bioavailability, modelled rates and durations, covariate conventions and record errors.
@Suite struct RecordSimulatorTests {
  static let m = MammillaryModel.oneCompartmentExample  // k10 0.45/h, V 150 L

  /// The one-compartment example with F1, ALAG1, R1 and D1 read from covariates.
  static func model() throws -> CompiledModel {
    var d = m.modelDefinition()
    func expression(_ text: String) throws -> Parameter.Definition {
      .expression(try ExpressionParser.parse(text), text: text)
    }
    d.covariates = [
      Covariate(name: "F", unit: "1", description: "bioavailability", defaultValue: 1),
      Covariate(name: "LAG", unit: "h", description: "lag", defaultValue: 0),
      Covariate(name: "RAT", unit: "mg/h", description: "rate", defaultValue: 0),
      Covariate(name: "DUR", unit: "h", description: "duration", defaultValue: 0),
      Covariate(name: "K", unit: "1/h", description: "elimination", defaultValue: 0.45),
    ]
    d.parameters = [
      Parameter(
        name: "V1", value: 150, unit: "L", description: "volume", provenance: .derived, dimension: .volume,
        factor: 1),
      Parameter(
        name: "k10", definition: try expression("K"), unit: "1/h", description: "k10", provenance: .derived,
        dimension: .rateConstant, factor: 1),
      Parameter(
        name: "F1", definition: try expression("F"), unit: "1", description: "F1", provenance: .derived,
        dimension: .dimensionless, factor: 1),
      Parameter(
        name: "ALAG1", definition: try expression("LAG"), unit: "h", description: "lag", provenance: .derived,
        dimension: .time, factor: 1),
      Parameter(
        name: "R1", definition: try expression("RAT"), unit: "mg/h", description: "rate",
        provenance: .derived, dimension: .amountRate, factor: 1),
      Parameter(
        name: "D1", definition: try expression("DUR"), unit: "h", description: "duration",
        provenance: .derived, dimension: .time, factor: 1),
    ]
    return try CompiledModel(d)
  }

  /// Records with columns F, LAG, RAT, DUR, K.
  static func record(
    _ time: Double, evid: Int = 0, amt: Double = 0, rate: Double = 0, cmt: Int = 1, ii: Double = 0,
    addl: Int = 0, f: Double = 1, lag: Double = 0, rat: Double = 0, dur: Double = 0, k: Double = 0.45,
    line: Int = 0
  ) -> DataRecord {
    DataRecord(
      id: 1, time: time, evid: evid, amount: amt, rate: rate, compartment: cmt, interval: ii,
      additional: addl, covariates: [f, lag, rat, dur, k], line: line)
  }

  static let columns: [CovariateSource] = (0..<5).map { .column($0) }

  func run(_ records: [DataRecord], _ convention: CovariateConvention = .nocb) throws -> SimulationResult {
    var engine = RecordSimulator(model: try Self.model(), convention: convention)
    return try engine.run(records: records, covariates: Self.columns)
  }

  /// A bolus decays as A·e^(−k t); a dose record shows the state just after its dose.
  @Test func bolusWithLagAndBioavailability() throws {
    let r = try run([
      Self.record(0, evid: 1, amt: 100, f: 0.5, lag: 2),
      Self.record(1, f: 0.5, lag: 2), Self.record(2, f: 0.5, lag: 2), Self.record(5, f: 0.5, lag: 2),
    ])
    #expect(r.amount(0, at: 0) == 0 && r.amount(0, at: 1) == 0)
    #expect(r.amount(0, at: 2).isApproximatelyEqual(to: 50, relativeTolerance: 1e-14))
    #expect(r.amount(0, at: 3).isApproximatelyEqual(to: 50 * Double.exp(-0.45 * 3), relativeTolerance: 1e-12))
  }

  /// Bioavailability lengthens an infusion given by rate, and raises the rate of one whose
  /// duration is modelled (RATE = −2); RATE = −1 takes the modelled rate R1.
  @Test(arguments: [
    (rate: 10.0, rat: 0.0, dur: 0.0, expectedRate: 10.0, expectedDuration: 5.0),
    (rate: -1.0, rat: 25.0, dur: 0.0, expectedRate: 25.0, expectedDuration: 2.0),
    (rate: -2.0, rat: 0.0, dur: 4.0, expectedRate: 12.5, expectedDuration: 4.0),
  ])
  func infusionRateAndDuration(
    rate: Double, rat: Double, dur: Double, expectedRate: Double, expectedDuration: Double
  ) throws {
    let times = [0.0, 1, expectedDuration, expectedDuration + 2]
    let r = try run(
      [Self.record(0, evid: 1, amt: 100, rate: rate, f: 0.5, rat: rat, dur: dur)]
        + times.dropFirst().map { Self.record($0, f: 0.5, rat: rat, dur: dur) })
    let k = 0.45
    func during(_ t: Double) -> Double { expectedRate / k * (1 - Double.exp(-k * t)) }
    #expect(r.amount(0, at: 1).isApproximatelyEqual(to: during(1), relativeTolerance: 1e-12))
    #expect(r.amount(0, at: 2).isApproximatelyEqual(to: during(expectedDuration), relativeTolerance: 1e-12))
    #expect(
      r.amount(0, at: 3).isApproximatelyEqual(
        to: during(expectedDuration) * Double.exp(-k * 2), relativeTolerance: 1e-12))
    #expect(
      (0..<4).allSatisfy { k in
        (0..<2).reduce(0.0) { $0 + r.amount($1, at: k) }.isApproximatelyEqual(
          to: min(times[k], expectedDuration) * expectedRate, absoluteTolerance: 1e-12)
      })
  }

  /// EVID 3 empties every compartment and stops a running infusion; EVID 4 also doses, and
  /// may restart the clock.
  @Test func resets() throws {
    let r = try run([
      Self.record(0, evid: 1, amt: 100, rate: 10),
      Self.record(2, evid: 3),
      Self.record(4),
      Self.record(1, evid: 4, amt: 30),
      Self.record(3),
    ])
    #expect(r.amount(0, at: 1) == 0 && r.amount(1, at: 1) == 0)
    #expect(r.amount(0, at: 2) == 0, "the infusion went on after the reset")
    #expect(r.amount(0, at: 3) == 30)
    #expect(r.amount(0, at: 4).isApproximatelyEqual(to: 30 * Double.exp(-0.45 * 2), relativeTolerance: 1e-12))
    #expect(r.times == [0, 2, 4, 1, 3])
  }

  /// NOCB: a record's covariates govern the interval ending at it; LOCF: the one starting at it.
  @Test func covariateConventions() throws {
    let records = [Self.record(0, evid: 1, amt: 100, k: 0.2), Self.record(1, k: 0.8), Self.record(2, k: 0.8)]
    let nocb = try run(records, .nocb)
    let locf = try run(records, .locf)
    #expect(nocb.amount(0, at: 1).isApproximatelyEqual(to: 100 * Double.exp(-0.8), relativeTolerance: 1e-12))
    #expect(locf.amount(0, at: 1).isApproximatelyEqual(to: 100 * Double.exp(-0.2), relativeTolerance: 1e-12))
    #expect(locf.amount(0, at: 2).isApproximatelyEqual(to: 100 * Double.exp(-1.0), relativeTolerance: 1e-12))
  }

  /// ADDL repeats every II; an implied dose at the time of a later observation record comes
  /// first (it belongs to the earlier record).
  @Test func additionalDosesComeBeforeALaterRecordAtTheirTime() throws {
    let r = try run([Self.record(0, evid: 1, amt: 10, ii: 2, addl: 2), Self.record(2), Self.record(4)])
    let e = Double.exp(-0.45 * 2)
    #expect(r.amount(0, at: 1).isApproximatelyEqual(to: 10 * e + 10, relativeTolerance: 1e-12))
    #expect(r.amount(0, at: 2).isApproximatelyEqual(to: (10 * e + 10) * e + 10, relativeTolerance: 1e-12))
  }

  @Test(arguments: [
    (
      DataRecord(
        id: 1, time: 0, evid: 1, amount: 10, compartment: 3, covariates: [1, 0, 0, 0, 0.45], line: 7), "CMT"
    ),
    (
      DataRecord(
        id: 1, time: 0, evid: 1, amount: 10, rate: -1, compartment: 1, covariates: [1, 0, 0, 0, 0.45], line: 7
      ), "R1"
    ),
    (
      DataRecord(
        id: 1, time: 0, evid: 1, amount: 10, rate: -2, compartment: 1, covariates: [1, 0, 0, 0, 0.45], line: 7
      ), "D1"
    ),
    (
      DataRecord(
        id: 1, time: 0, evid: 1, amount: 10, compartment: 1, covariates: [-1, 0, 0, 0, 0.45], line: 7), "F1"
    ),
    (
      DataRecord(
        id: 1, time: 0, evid: 1, amount: 10, compartment: 1, covariates: [1, -2, 0, 0, 0.45], line: 7),
      "ALAG1"
    ),
    (DataRecord(id: 1, time: 0, covariates: [1, 0, 0, 0, -1], line: 7), "rate constant"),
  ])
  func recordErrorsNameTheLineAndItem(record: DataRecord, text: String) throws {
    #expect {
      _ = try run([record])
    } throws: { error in
      guard let e = error as? RecordError else { return false }
      return e.line == 7 && e.description.contains(text)
    }
  }

  /// A model without R1/D1 rejects RATE = −1/−2 with a message that says so.
  @Test func modelledRateNeedsTheParameter() throws {
    var engine = RecordSimulator(model: try CompiledModel(Self.m.modelDefinition()))
    #expect {
      _ = try engine.run(
        records: [DataRecord(id: 1, time: 0, evid: 1, amount: 10, rate: -1, compartment: 1, line: 3)],
        covariates: [])
    } throws: { error in
      (error as? RecordError)?.message.contains("defines no R1") == true
    }
  }

  /// A division by zero in a parameter expression is an error naming the parameter and line.
  @Test func evaluationErrorsNameTheParameter() throws {
    var d = Self.m.modelDefinition()
    d.covariates = [Covariate(name: "X", unit: "1", description: "x")]
    d.parameters[1].definition = .expression(try ExpressionParser.parse("1 / X"), text: "1 / X")
    var engine = RecordSimulator(model: try CompiledModel(d))
    #expect {
      _ = try engine.run(
        records: [DataRecord(id: 1, time: 0, covariates: [0], line: 9)], covariates: [.column(0)])
    } throws: { error in
      let e = error as? RecordError
      return e?.line == 9 && e?.field == "k10" && e?.message.contains("division by zero") == true
    }
  }

  /// Added times with and without record rows: without them the rows are exactly the added
  /// times (each index −1), with the same amounts as the added rows of a run with records.
  @Test func addedTimesWithoutRecordRows() throws {
    let records = [
      Self.record(0, evid: 1, amt: 100, rate: 40), Self.record(1.5), Self.record(6, evid: 1, amt: 50),
    ]
    let added = (0...40).map { Double($0) * 0.25 }
    var engine = RecordSimulator(model: try Self.model())
    let both = try engine.run(records: records, covariates: Self.columns, addedTimes: added)
    let onlyAdded = try engine.run(
      records: records, covariates: Self.columns, addedTimes: added, reportRecords: false)
    #expect(onlyAdded.times == added)
    #expect(onlyAdded.recordIndices == [Int](repeating: -1, count: added.count))
    let addedRows = both.recordIndices.indices.filter { both.recordIndices[$0] == -1 }
    #expect(addedRows.map { both.times[$0] } == added)
    let width = both.amounts.count / both.times.count
    for (k, row) in addedRows.enumerated() {
      #expect(
        Array(onlyAdded.amounts[(k * width)..<((k + 1) * width)])
          == Array(both.amounts[(row * width)..<((row + 1) * width)]))
    }
  }

  /// An infusion so large that the eliminated amount overflows (about 10³⁰⁷ mg/h for a day):
  /// the engine names the first output time with a state that is not finite, the same time as
  /// one exact step per output finds (the engine checks only the last row of each block of
  /// regular steps, since a non-finite state makes every later state non-finite).
  @Test func overflowNamesTheFirstNonFiniteOutputTime() throws {
    let rate = 1e307
    let records = [Self.record(0, evid: 1, amt: rate * 24, rate: rate)]
    let added = (0...120).map { Double($0) * 0.25 }
    var engine = RecordSimulator(model: try Self.model())
    var reported: Double? = nil
    do {
      _ = try engine.run(records: records, covariates: Self.columns, addedTimes: added, reportRecords: false)
    } catch SimulationError.nonFinite(let time) {
      reported = time
    }
    // One step per output, from the system of the same parameters.
    let model = try Self.model()
    var values = [Double](repeating: 0, count: model.slotCount)
    for (k, v) in [1.0, 0, 0, 0, 0.45].enumerated() { values[k] = v }
    try model.evaluate(&values)
    let system = try model.system(values).system
    var stepper = ExactLinearStepper(system: system)
    var x = [Double](repeating: 0, count: system.dimension)
    var u = x
    u[0] = rate
    var expected: Double? = nil
    for t in added.dropFirst() {
      try stepper.advance(&x, to: t, input: u)
      if x.contains(where: { !$0.isFinite }) {
        expected = t
        break
      }
    }
    #expect(expected != nil && expected! > 1 && expected! < 24)
    #expect(reported == expected)
  }
}
