import Foundation
import PKCore
import Testing

@testable import PKScenario

/// The NONMEM conformance suite (mrgsolve/nmtests, GPL-2 data read in place from
/// ../shared/conformance/nmtests/, never copied here): every row of the dosing and
/// time-varying data sets, run through the same code path as `ketasim run --data`, against
/// NONMEM 7.5.1's output under the suite's rule
/// |sim − nm| ≤ 1e-4 × max(|nm|, 1e-3 × largest |CP| of that subject).
@Suite(.enabled(if: NMTests.available, NMTests.skipMessage))
struct NMTestsConformanceTests {
  @Test func dosingSetMatchesNONMEM() throws {
    let failures = try NMTests.compare(
      input: "dosing/1001-input.csv", expected: "dosing/1001-nonmem.csv", expectedRows: 3837)
    #expect(
      failures.isEmpty, "\(failures.count) rows differ:\n\(failures.prefix(40).joined(separator: "\n"))")
  }

  @Test func timeVaryingSetMatchesNONMEM() throws {
    let failures = try NMTests.compare(
      input: "time-varying/2001-input.csv", expected: "time-varying/2001-nonmem.csv", expectedRows: 34)
    #expect(failures.isEmpty, "\(failures.count) rows differ:\n\(failures.joined(separator: "\n"))")
  }
}

enum NMTests {
  static let folder = RepositoryPaths.root.deletingLastPathComponent()
    .appendingPathComponent("shared/conformance/nmtests")
  static let available = FileManager.default.fileExists(
    atPath: folder.appendingPathComponent("README.md").path)
  static let skipMessage: Comment = """
    SKIPPED: the NONMEM conformance data (../shared/conformance/nmtests/) is not on this machine; \
    the conformance tests run only where that folder exists beside the repository.
    """

  static var model: CompiledModel {
    get throws {
      try CompiledModel(
        ModelFileReader.read(
          path: RepositoryPaths.models.appendingPathComponent("conformance/nmtests-advan2.yaml").path))
    }
  }

  /// Runs `input` and returns one line per row outside the rule.
  static func compare(input: String, expected: String, expectedRows: Int) throws -> [String] {
    let dataSet = try DataSetReader.read(path: folder.appendingPathComponent(input).path, timeUnit: .hour)
    var runner = try DataSetRunner(model: try model, dataSet: dataSet)
    var simulated: [(id: Double, time: Double, cp: Double)] = []
    for subject in dataSet.subjects {
      let (_, result) = try runner.run(subject)
      for r in result.times.indices {
        simulated.append((subject.id, result.times[r], result.concentration(0, at: r)))
      }
    }
    let lines = try String(contentsOf: folder.appendingPathComponent(expected), encoding: .utf8)
      .split(whereSeparator: \.isNewline)
    let header = lines[0].split(separator: ",").map(String.init)
    let idColumn = header.firstIndex(of: "ID")!
    let timeColumn = header.firstIndex(of: "TIME")!
    let cpColumn = header.firstIndex(of: "CP")!
    let rows = lines.dropFirst().map { $0.split(separator: ",").map { Double($0)! } }
    guard rows.count == expectedRows, simulated.count == rows.count else {
      return ["expected \(expectedRows) rows, NONMEM has \(rows.count), KetaSim simulated \(simulated.count)"]
    }
    var largest: [Double: Double] = [:]
    for row in rows {
      largest[row[idColumn], default: 0] = max(largest[row[idColumn], default: 0], abs(row[cpColumn]))
    }
    var failures: [String] = []
    for (k, row) in rows.enumerated() {
      let nm = row[cpColumn]
      let sim = simulated[k]
      let bound = 1e-4 * max(abs(nm), 1e-3 * largest[row[idColumn]]!)
      if sim.id != row[idColumn] || sim.time != row[timeColumn] || !(abs(sim.cp - nm) <= bound) {
        failures.append(
          "ID \(Int(row[idColumn])) row \(k + 1) TIME \(row[timeColumn]): expected \(nm), got \(sim.cp) (bound \(bound))"
        )
      }
    }
    return failures
  }
}
