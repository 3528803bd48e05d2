import Foundation
import PKCore
import RealModule
import Testing

@testable import PKScenario

/// The data-set path (`--data`) and the scenario path give the same curve for the same regimen,
/// and the runner maps covariates and added output rows as documented.
@Suite struct DataSetRunnerTests {
  func domino() throws -> ModelDefinition { try RepositoryPaths.library.load("domino-1984") }

  @Test func dataSetAndScenarioGiveTheSameCurve() throws {
    // 2 mg/kg bolus, then 1 mg/kg/h for 60 min, 3 doses of 0.5 mg/kg over 40 min every 6 h.
    let csv = """
      ID,TIME,EVID,AMT,RATE,II,ADDL,WT
      1,0,1,140,0,0,0,70
      1,0,1,70,70,0,0,70
      1,1,1,35,52.5,6,2,70
      """
    let dataSet = try DataSetReader.parse(csv: csv, file: "d.csv", timeUnit: .hour)
    let grid = try OutputGrid(until: (20, .hour), every: (5, .minute))
    var runner = try DataSetRunner(
      model: try CompiledModel(try domino()), dataSet: dataSet, addedTimes: grid.hours)
    let (_, fromData) = try runner.run(dataSet.subjects[0])

    let scenario = try ScenarioFileReader.parse(
      yaml: """
        model: domino-1984
        subject: {weight: 70 kg}
        doses:
          - 2 mg/kg iv
          - 1 mg/kg/h iv for 60 min
          - 0.5 mg/kg iv over 40 min at 1 h every 6 h x 3
        output: {until: 20 h, every: 5 min}
        """, file: "s.yaml", library: RepositoryPaths.library)
    let subject = scenario.subject
    var simulator = Simulator(model: try scenario.model.instantiate(for: subject), subject: subject)
    let fromScenario = try simulator.run(doses: scenario.doses, outputTimes: scenario.grid.hours)

    let added = fromData.recordIndices.indices.filter { fromData.recordIndices[$0] < 0 }
    #expect(added.count == grid.times.count)
    for (k, r) in added.enumerated() {
      for i in 0..<fromScenario.stateCount {
        #expect(
          fromData.amount(i, at: r) == fromScenario.amount(i, at: k), "t = \(grid.hours[k]) h, state \(i)")
      }
      #expect(fromData.concentration(0, at: r) == fromScenario.concentration(0, at: k))
    }
  }

  @Test func missingCovariateIsNamed() throws {
    let dataSet = try DataSetReader.parse(csv: "ID,TIME,AMT\n1,0,100\n", file: "d.csv", timeUnit: .hour)
    #expect {
      _ = try DataSetRunner(model: try CompiledModel(try domino()), dataSet: dataSet)
    } throws: { error in
      let e = error as! InputError
      return e.field == "WT" && e.message.contains("add a WT column or give it with --weight")
    }
    // The subject's weight fills in.
    var runner = try DataSetRunner(
      model: try CompiledModel(try domino()), dataSet: dataSet, subject: Subject(weight: 70))
    let (_, result) = try runner.run(dataSet.subjects[0])
    #expect(
      result.concentration(0, at: 0).isApproximatelyEqual(to: 100 / 4.41 * 1000, relativeTolerance: 1e-14))
  }

  @Test func recordErrorsCarryTheFileAndLine() throws {
    let dataSet = try DataSetReader.parse(
      csv: "ID,TIME,AMT,RATE,WT\n1,0,100,-1,70\n", file: "d.csv", timeUnit: .hour)
    var runner = try DataSetRunner(model: try CompiledModel(try domino()), dataSet: dataSet)
    #expect {
      _ = try runner.run(dataSet.subjects[0])
    } throws: { error in
      let e = error as! InputError
      return e.source == "d.csv" && e.line == 2 && e.field == "RATE" && e.message.contains("defines no R1")
    }
  }

  /// Added rows sit after records at the same time, so they belong to the interval that starts
  /// there, governed by the next record's covariates under NOCB (the last record's after the
  /// end) and by the previous record's under LOCF: here a volume that changes with WT.
  @Test func addedRowsUseTheGoverningCovariates() throws {
    let dataSet = try DataSetReader.parse(
      csv: "ID,TIME,AMT,WT\n1,0,100,70\n1,2,0,90\n", file: "d.csv", timeUnit: .hour)
    let model = try CompiledModel(try domino())
    var nocb = try DataSetRunner(model: model, dataSet: dataSet, addedTimes: [0, 1, 2, 3])
    let a = try nocb.run(dataSet.subjects[0]).result
    #expect(a.times == [0, 0, 1, 2, 2, 3])
    #expect(a.recordIndices == [0, -1, -1, 1, -1, -1])
    // The concentration of a row is its amount over the volume of the governing weight.
    func volume(_ r: SimulationResult, _ row: Int) -> Double {
      r.amount(0, at: row) / r.concentration(0, at: row) * 1000
    }
    let v70 = 0.063 * 70
    let v90 = 0.063 * 90
    let expectedNOCB = [v70, v90, v90, v90, v90, v90]
    for (row, v) in expectedNOCB.enumerated() {
      #expect(volume(a, row).isApproximatelyEqual(to: v, relativeTolerance: 1e-12), "NOCB row \(row)")
    }
    var locf = try DataSetRunner(model: model, dataSet: dataSet, convention: .locf, addedTimes: [0, 1, 2, 3])
    let b = try locf.run(dataSet.subjects[0]).result
    let expectedLOCF = [v70, v70, v70, v90, v90, v90]
    for (row, v) in expectedLOCF.enumerated() where row > 0 {
      #expect(volume(b, row).isApproximatelyEqual(to: v, relativeTolerance: 1e-12), "LOCF row \(row)")
    }
  }
}
