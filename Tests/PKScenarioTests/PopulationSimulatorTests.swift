import Foundation
import PKCore
import Testing
import _PKTestSupport

@testable import PKScenario

/// Batched population simulation of a nonlinear model, with Dormand–Prince (`auto`) and the
/// Taylor method: any batch size gives the same bits, and each subject agrees with the record
/// engine to the integration tolerance.
@Suite struct PopulationSimulatorTests {
  static let definition = try! ModelFileReader.read(
    path: RepositoryPaths.models.appendingPathComponent("examples/parent-metabolite-mm.yaml").path)
  static let subjects: [Subject] = (0..<11).map { k in
    Subject(
      weight: 50 + 5 * Double(k),
      covariates: ["ETA_VMAX": 0.3 * sin(Double(k)), "ETA_VC": 0.25 * cos(Double(3 * k))])
  }
  static let doses = [
    // Per kg, so every subject has its own dose scale (and absolute tolerance).
    try! RegimenParser.parse("3 mg/kg oral"), try! RegimenParser.parse("50 mg iv over 30 min at 6 h"),
  ]
  static let times = (0...288).map { Double($0) / 12 }

  static func run(
    batchSize: Int, threads: Int, solver: SolverOptions = SolverOptions(), amounts: Bool = true
  ) throws -> [SimulationResult] {
    var population = PopulationSimulator(
      model: try CompiledModel(definition), solver: solver, batchSize: batchSize)
    population.reportsAmounts = amounts
    return try population.run(subjects: subjects, doses: doses, outputTimes: times, threads: threads).map {
      try $0.get()
    }
  }

  @Test(arguments: [SolverOptions.Method.automatic, .dormandPrince54, .taylor])
  func batchSizeAndThreadsDoNotChangeABit(method: SolverOptions.Method) throws {
    let solver = SolverOptions(method: method)
    let one = try Self.run(batchSize: 1, threads: 1, solver: solver)
    for (size, threads) in [(4, 1), (11, 1), (3, 2), (64, 2)] {
      let other = try Self.run(batchSize: size, threads: threads, solver: solver)
      for k in one.indices {
        #expect(other[k].amounts == one[k].amounts, "subject \(k), batch \(size)")
        #expect(other[k].concentrations == one[k].concentrations)
      }
    }
  }

  /// A batch larger than one integration takes (256 subjects) is split, with the same bits.
  /// Without amounts the batch interpolates the output compartments only: the same
  /// concentrations, bit for bit, in any batch size, and no amounts.
  @Test(arguments: [SolverOptions.Method.automatic, .dormandPrince54, .taylor])
  func concentrationsWithoutAmountsAreTheSameBits(method: SolverOptions.Method) throws {
    let solver = SolverOptions(method: method)
    let full = try Self.run(batchSize: 4, threads: 1, solver: solver)
    for (size, threads) in [(1, 1), (4, 1), (11, 2)] {
      let lean = try Self.run(batchSize: size, threads: threads, solver: solver, amounts: false)
      for k in full.indices {
        #expect(
          lean[k].concentrations.map(\.bitPattern) == full[k].concentrations.map(\.bitPattern), "subject \(k)"
        )
        #expect(lean[k].amounts.isEmpty && lean[k].times == full[k].times)
      }
    }
  }

  @Test func batchesAboveTheIntegrationLimitAreSplit() throws {
    let many = (0..<260).map { k in
      Subject(weight: 50 + Double(k % 40), covariates: ["ETA_VMAX": 0.2 * sin(Double(k)), "ETA_VC": 0])
    }
    let grid = (0...24).map { Double($0) }
    let compiled = try CompiledModel(Self.definition)
    let whole = try PopulationSimulator(model: compiled, batchSize: 260).run(
      subjects: many, doses: Self.doses, outputTimes: grid
    ).map { try $0.get() }
    let small = try PopulationSimulator(model: compiled, batchSize: 9).run(
      subjects: many, doses: Self.doses, outputTimes: grid, threads: 2
    ).map { try $0.get() }
    for k in many.indices { #expect(whole[k].amounts == small[k].amounts, "subject \(k)") }
  }

  /// Against `Simulator` (the record engine) at rtol 1e-10: agreement to 1e-7 relative where the
  /// concentration is above 1e-6 of its peak; mass balance to 1e-9.
  @Test(arguments: [SolverOptions.Method.automatic, .dormandPrince54, .taylor])
  func agreesWithTheRecordEngine(method: SolverOptions.Method) throws {
    let solver = SolverOptions(method: method, relativeTolerance: 1e-10, absoluteTolerance: 1e-14)
    let batch = try Self.run(batchSize: 8, threads: 2, solver: solver)
    for (k, subject) in Self.subjects.enumerated() {
      var simulator = Simulator(
        model: try Self.definition.instantiate(for: subject), subject: subject, solver: solver)
      let single = try simulator.run(doses: Self.doses, outputTimes: Self.times)
      for o in 0..<2 {
        let a = batch[k].curve(o)
        let b = single.curve(o)
        let peak = b.max()!
        for t in a.indices where b[t] > 1e-6 * peak {
          #expect(abs(a[t] - b[t]) <= 1e-7 * b[t], "subject \(k), output \(o), t = \(Self.times[t])")
        }
      }
      for t in Self.times.indices {
        let total = batch[k].drugTotal(at: t)
        let given = 3 * subject.weight! + 50 * min(max(Self.times[t] - 6, 0), 0.5) / 0.5
        expectClose(total, given, relativeTolerance: 1e-9)
      }
    }
  }

  /// With an absorption rate of 2·10⁵/h every subject is stiff once its depot has emptied: the
  /// batch's stiffness test flags each one, and each is integrated alone by the record engine
  /// (Taylor, then Rosenbrock), the same doubles as `Simulator`, within 1e-6 of Rosenbrock from
  /// the start (Dormand–Prince alone runs into its step limit).
  @Test func stiffSubjectsRunAlone() throws {
    var definition = Self.definition
    let ka = definition.parameters.firstIndex { $0.name == "KA" }!
    definition.parameters[ka].definition = .value(2e5)
    let compiled = try CompiledModel(definition)
    let subjects = Array(Self.subjects.prefix(5))
    let batch = try PopulationSimulator(model: compiled, batchSize: 4).run(
      subjects: subjects, doses: Self.doses, outputTimes: Self.times, threads: 2
    ).map { try $0.get() }
    let implicit = try PopulationSimulator(model: compiled, solver: SolverOptions(method: .rosenbrock43)).run(
      subjects: subjects, doses: Self.doses, outputTimes: Self.times
    ).map { try $0.get() }
    for (k, subject) in subjects.enumerated() {
      var simulator = Simulator(model: try compiled.instantiate(for: subject), subject: subject)
      let alone = try simulator.run(doses: Self.doses, outputTimes: Self.times)
      #expect(batch[k].amounts.map(\.bitPattern) == alone.amounts.map(\.bitPattern), "subject \(k)")
      let peak = implicit[k].curve(0).max()!
      for (a, b) in zip(batch[k].curve(0), implicit[k].curve(0)) where b > 1e-6 * peak {
        #expect(abs(a - b) <= 1e-6 * b, "subject \(k)")
      }
    }
  }
}
