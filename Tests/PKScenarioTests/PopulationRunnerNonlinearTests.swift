import Foundation
import PKCore
import Testing
import _PKTestSupport

@testable import PKScenario

/// The population engine on a nonlinear model: its subjects go through the batch integrator,
/// which gives the same bytes for any thread count and batch size, and each subject agrees with
/// its own `Simulator` run (the record engine) to the integration tolerance.
@Suite struct PopulationRunnerNonlinearTests {
  static let model: ModelDefinition = {
    var d = try! ModelFileReader.read(
      path: RepositoryPaths.models.appendingPathComponent("examples/parent-metabolite-mm.yaml").path)
    d.variability.set(RandomEffect(parameter: "VMAX_TV", source: "test"), variance: 0.09)
    d.variability.set(RandomEffect(parameter: "VC_TV", source: "test"), variance: 0.09)
    return d
  }()
  static let grid = try! OutputGrid(until: (24, .hour), every: (15, .minute))
  // An infusion after the oral dose, so the record engine's stops differ from the batch's.
  static let doses = [
    try! RegimenParser.parse("200 mg oral"), try! RegimenParser.parse("50 mg iv over 30 min at 6 h"),
  ]
  static let count = 23

  static func sampler() throws -> SubjectSampler {
    try SubjectSampler(
      seed: 7, base: Subject(), distributions: [], variability: model.variability, model: model.name)
  }

  /// The curves CSV of `count` subjects.
  static func curves(threads: Int, batchSize: Int, amounts: Bool = false) throws -> String {
    var runner = PopulationRunner(
      compiled: try CompiledModel(model), sampler: try sampler(), subjects: .generated(count: count),
      doses: doses, grid: grid)
    runner.batchSize = batchSize
    let path = FileManager.default.temporaryDirectory.appendingPathComponent(
      "ketasim-pop-nl-\(UUID().uuidString).csv"
    ).path
    defer { try? FileManager.default.removeItem(atPath: path) }
    let sink = try OutputSink(path: path)
    let report = try runner.run(
      outputs: .init(curves: PopulationCSVWriter(includeAmounts: amounts), exposure: nil, summary: nil),
      curveSink: sink,
      exposureSink: nil, threads: threads)
    try sink.finish()
    #expect(report.failures.isEmpty)
    return try String(contentsOfFile: path, encoding: .utf8)
  }

  /// Curves with amounts (the batch then writes every state) have the amounts of each
  /// subject's batched run, and the same concentrations as curves without them (the batch then
  /// writes the output compartments only).
  @Test func amountsOnRequestAndTheSameConcentrations() throws {
    let lean = try Self.curves(threads: 2, batchSize: 8).split(separator: "\n")
    let full = try Self.curves(threads: 2, batchSize: 8, amounts: true).split(separator: "\n")
    #expect(lean.count == full.count)
    let states = try CompiledModel(Self.model).stateNames.count
    for (a, b) in zip(lean, full) {
      let leanFields = a.split(separator: ",")
      let fullFields = b.split(separator: ",")
      #expect(fullFields.count == leanFields.count + states)
      #expect(Array(fullFields.prefix(leanFields.count)) == leanFields)
      #expect(fullFields.dropFirst(leanFields.count).allSatisfy { Double($0)?.isFinite == true })
    }
    // The amounts are the batch integrator's, as `PopulationSimulator` gives them.
    let sampler = try Self.sampler()
    let subjects = try (1...Self.count).map { try sampler.subject(id: $0).subject }
    let batched = PopulationSimulator(model: try CompiledModel(Self.model), batchSize: 8).run(
      subjects: subjects, doses: Self.doses, outputTimes: Self.grid.hours)
    let first = try batched[0].get()
    let row = full[3].split(separator: ",").suffix(states).map { Double($0)! }
    #expect(row == (0..<states).map { first.amount($0, at: 3) })
  }

  @Test func threadsAndBatchSizesDoNotChangeABit() throws {
    let one = try Self.curves(threads: 1, batchSize: 1)
    for (threads, batch) in [(2, 1), (1, 5), (2, 7), (2, 64)] {
      #expect(
        try Self.curves(threads: threads, batchSize: batch) == one, "threads \(threads), batch \(batch)")
    }
  }

  /// Each subject's curves against its own record-engine run: 1e-7 relative where the
  /// concentration is above 1e-6 of its peak (the default rtol is 1e-8).
  @Test func agreesWithEachSubjectsOwnRun() throws {
    let rows = try Self.curves(threads: 2, batchSize: 8).split(separator: "\n").map {
      $0.split(separator: ",").map { Double($0)! }
    }
    let times = Self.grid.hours
    #expect(rows.count == Self.count * times.count)
    let compiled = try CompiledModel(Self.model)
    let sampler = try Self.sampler()
    for id in 1...Self.count {
      let subject = try sampler.subject(id: id).subject
      var simulator = Simulator(model: try compiled.instantiate(for: subject), subject: subject)
      let alone = try simulator.run(doses: Self.doses, outputTimes: times)
      let mine = rows[((id - 1) * times.count)..<(id * times.count)]
      for o in 0..<2 {
        let curve = alone.curve(o)
        let peak = curve.max()!
        for (t, row) in mine.enumerated() where curve[t] > 1e-6 * peak {
          #expect(row[0] == Double(id))
          #expect(abs(row[2 + o] - curve[t]) <= 1e-7 * curve[t], "ID \(id), output \(o), t = \(times[t]) h")
        }
      }
    }
  }
}
