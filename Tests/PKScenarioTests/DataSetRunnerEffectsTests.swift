import Foundation
import PKCore
import Testing
import _PKTestSupport

@testable import PKScenario

/// Effects in data-set runs: every row's effect is the formula at that row's concentration,
/// with the parameters of the record that governs the row (NOCB or LOCF for added rows); the
/// same values as a single run; a bad EC50 names the data set's line.
@Suite struct DataSetRunnerEffectsTests {
  /// One compartment (V 10 L, CL 5 L/h) and a sigmoid Emax on the plasma concentration, with
  /// E0 = 10·WT/70 and EC50 given by `ec50` (mg/L, an expression that may use WT).
  static func model(ec50: String = "0.121") -> String {
    TestModelYAML.header("dse") + """

      covariates:
        WT: {unit: kg, description: weight}
      parameters:
        V: {value: 10, unit: L, description: volume, provenance: derived}
        CL: {value: 5, unit: L/h, description: clearance, provenance: derived}
        E0: {expression: "10 * WT / 70", unit: "1", description: baseline}
        EMAX: {value: 80, unit: "1", description: maximum effect, provenance: derived}
        EC50: {expression: "\(ec50)", unit: mg/L, description: EC50}
        GAMMA: {value: 2, unit: "1", description: Hill coefficient, provenance: derived}

      """
      + TestModelYAML.oneCompartment(
        effects:
          "  - {name: response_percent, unit: \"%\", output: ketamine, form: sigmoid_emax, e0: E0, emax: EMAX, ec50: EC50, gamma: GAMMA, source: test}\n"
      )
  }

  /// E = 10·WT/70 + 80·C²/(121² + C²), C in ng/mL.
  static func expected(c: Double, weight: Double) -> Double {
    10 * weight / 70 + (c > 0 ? 80 / (1 + pow(121 / c, 2)) : 0)
  }

  static let csv = """
    ID,TIME,AMT,WT
    1,0,5,70
    1,2,0,70
    2,0,3,80
    2,1,0,80
    2,2,0,60
    """

  @Test(arguments: [CovariateConvention.nocb, .locf])
  func eachRowUsesItsGoverningRecord(convention: CovariateConvention) throws {
    let model = try CompiledModel(try ModelFileReader.parse(yaml: Self.model(), file: "dse.yaml"))
    let dataSet = try DataSetReader.parse(csv: Self.csv, file: "d.csv", timeUnit: .hour)
    let added = [0, 0.5, 1, 1.5, 2, 3]
    var runner = try DataSetRunner(model: model, dataSet: dataSet, convention: convention, addedTimes: added)
    for subject in dataSet.subjects {
      let (records, result) = try runner.run(subject)
      let curve = try #require(result.effects.first)
      #expect(result.effects.count == 1 && curve.name == "response_percent")
      #expect(curve.values.count == result.times.count)
      for (row, t) in result.times.enumerated() {
        let r = result.recordIndices[row]
        // An added row follows the records at its time: NOCB takes the next record's weight,
        // LOCF the last one's at or before it; after the last record, the last record's.
        let governing =
          r >= 0
          ? records[r]
          : convention == .nocb
            ? (records.first { $0.time > t } ?? records.last!) : records.last { $0.time <= t }!
        let weight = governing.covariates[0]
        expectClose(
          curve.values[row], Self.expected(c: result.concentration(0, at: row), weight: weight),
          relativeTolerance: 1e-12, "ID \(subject.id), row \(row), t = \(t) h")
      }
    }
  }

  /// A subject with constant covariates gets the values of a single run of the same doses.
  @Test func sameAsASingleRun() throws {
    let definition = try ModelFileReader.parse(yaml: Self.model(), file: "dse.yaml")
    let dataSet = try DataSetReader.parse(csv: "ID,TIME,AMT,WT\n1,0,5,70\n", file: "d.csv", timeUnit: .hour)
    let times = stride(from: 0.0, through: 6, by: 0.25).map { $0 }
    var runner = try DataSetRunner(
      model: try CompiledModel(definition), dataSet: dataSet, addedTimes: times)
    let (_, fromData) = try runner.run(dataSet.subjects[0])
    let subject = Subject(weight: 70)
    var simulator = Simulator(model: try definition.instantiate(for: subject), subject: subject)
    let single = try simulator.run(doses: [try RegimenParser.parse("5 mg iv")], outputTimes: times)
    let added = fromData.recordIndices.indices.filter { fromData.recordIndices[$0] < 0 }
    #expect(added.count == times.count)
    for (k, row) in added.enumerated() {
      expectClose(
        fromData.effects[0].values[row], single.effects[0].values[k], relativeTolerance: 1e-12,
        "t = \(times[k]) h")
    }
  }

  /// An EC50 that comes out 0 for one subject's weight names the data set and that record's line.
  @Test func badEC50NamesTheLine() throws {
    let model = try CompiledModel(
      try ModelFileReader.parse(yaml: Self.model(ec50: "0.121 * (WT - 50) / 20"), file: "dse.yaml"))
    let dataSet = try DataSetReader.parse(
      csv: "ID,TIME,AMT,WT\n1,0,5,70\n2,0,5,50\n", file: "d.csv", timeUnit: .hour)
    var runner = try DataSetRunner(model: model, dataSet: dataSet)
    _ = try runner.run(dataSet.subjects[0])
    #expect {
      _ = try runner.run(dataSet.subjects[1])
    } throws: { error in
      guard let e = error as? InputError else { return false }
      return e.source == "d.csv" && e.line == 3 && e.message.contains("EC50 'EC50'")
        && e.message.contains("response_percent")
    }
  }
}
