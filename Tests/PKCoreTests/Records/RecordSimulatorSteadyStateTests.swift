import PKCore
import RealModule
import Testing
import _PKTestSupport

/// Steady state (SS = 1) equals the limit of repeated dosing: 500 intervals simulated dose by
/// dose (ADDL) against the exact geometric series, ≤ 1e-9 relative, for boluses and for
/// infusions lasting less than, exactly and more than the interval, with and without a lag.
@Suite struct RecordSimulatorSteadyStateTests {
  static let interval = 12.0
  static let cycles = 500

  /// A 2-compartment model with a lag time on the central compartment given as a covariate.
  static func model(lag: Double) throws -> CompiledModel {
    var d = MammillaryModel.twoCompartmentExample.modelDefinition()
    d.covariates = [Covariate(name: "LAG", unit: "h", description: "lag time", defaultValue: lag)]
    d.parameters.append(
      Parameter(
        name: "ALAG1", definition: .expression(try ExpressionParser.parse("LAG"), text: "LAG"), unit: "h",
        description: "lag", provenance: .derived, dimension: .time, factor: 1))
    return try CompiledModel(d)
  }

  static let shapes: [(name: String, rate: Double)] = [
    ("bolus", 0), ("infusion shorter than II", 100.0 / 5), ("infusion equal to II", 100.0 / 12),
    ("infusion longer than II", 100.0 / 30),
  ]

  @Test(arguments: [0.0, 3.5], [0, 1, 2, 3])
  func steadyStateIsTheLimitOfRepeatedDosing(lag: Double, shape: Int) throws {
    let model = try Self.model(lag: lag)
    let rate = Self.shapes[shape].rate
    let probe = (0..<24).map { Double($0) * Self.interval / 24 }
    // Steady state at time 0, then the record's own dose.
    var ss = [
      DataRecord(
        id: 1, time: 0, evid: 1, amount: 100, rate: rate, compartment: 1, interval: Self.interval,
        steadyState: 1)
    ]
    ss += probe.dropFirst().map { DataRecord(id: 1, time: $0) }
    // 501 doses, observed after the last one.
    let start = Double(Self.cycles) * Self.interval
    var repeated = [
      DataRecord(
        id: 1, time: 0, evid: 1, amount: 100, rate: rate, compartment: 1, interval: Self.interval,
        additional: Self.cycles)
    ]
    repeated += probe.map { DataRecord(id: 1, time: start + $0) }
    var engine = RecordSimulator(model: model)
    let a = try engine.run(records: ss, covariates: [.constant(lag)])
    let b = try engine.run(records: repeated, covariates: [.constant(lag)])
    for k in probe.indices {
      for i in 0..<2 {  // the compartments; the eliminated amount has no steady state
        let x = a.amount(i, at: k)
        let y = b.amount(i, at: k + 1)
        #expect(
          x.isApproximatelyEqual(to: y, absoluteTolerance: 1e-12 * 100, relativeTolerance: 1e-9),
          "\(Self.shapes[shape].name), lag \(lag), τ = \(probe[k]) h, state \(i): SS \(x) vs repeated \(y)")
      }
    }
  }

  /// SS = 2 adds the steady state to what is there; SS = 1 replaces it.
  @Test func steadyStateTwoAddsAndOneResets() throws {
    let model = try Self.model(lag: 0)
    var engine = RecordSimulator(model: model)
    let base = [
      DataRecord(id: 1, time: 0, evid: 1, amount: 50, compartment: 1),
      DataRecord(id: 1, time: 1),
    ]
    let only = try engine.run(
      records: [
        DataRecord(id: 1, time: 1, evid: 1, amount: 100, compartment: 1, interval: 12, steadyState: 1)
      ],
      covariates: [.constant(0)])
    let add = try engine.run(
      records: base + [
        DataRecord(id: 1, time: 1, evid: 1, amount: 100, compartment: 1, interval: 12, steadyState: 2)
      ],
      covariates: [.constant(0)])
    let reset = try engine.run(
      records: base + [
        DataRecord(id: 1, time: 1, evid: 1, amount: 100, compartment: 1, interval: 12, steadyState: 1)
      ],
      covariates: [.constant(0)])
    for i in 0..<2 {
      #expect(
        reset.amount(i, at: 2).isApproximatelyEqual(to: only.amount(i, at: 0), relativeTolerance: 1e-14))
      #expect(
        add.amount(i, at: 2).isApproximatelyEqual(
          to: only.amount(i, at: 0) + add.amount(i, at: 1), relativeTolerance: 1e-13))
    }
  }

  /// The steady-state constant infusion (SS = 1, AMT = 0, RATE > 0, II = 0) sets the state to
  /// K·x = −R·e_c, and then decays: no infusion continues after the record.
  @Test func constantInfusionSteadyState() throws {
    let m = MammillaryModel.twoCompartmentExample
    let model = try CompiledModel(m.modelDefinition())
    var engine = RecordSimulator(model: model)
    let r = try engine.run(
      records: [
        DataRecord(id: 1, time: 0, evid: 1, amount: 0, rate: 10, compartment: 1, steadyState: 1),
        DataRecord(id: 1, time: 100),
      ],
      covariates: [])
    // At steady state the central amount satisfies k10·A1 = R and the peripheral k12·A1 = k21·A2.
    let a1 = r.amount(0, at: 0)
    #expect(a1.isApproximatelyEqual(to: 10 / m.k10, relativeTolerance: 1e-12))
    #expect(
      r.amount(1, at: 0).isApproximatelyEqual(
        to: a1 * m.peripherals[0].fromCentral / m.peripherals[0].toCentral, relativeTolerance: 1e-12))
    #expect(r.amount(0, at: 1) < a1 * 1e-3)
  }
}
