import Foundation
import PKCore
import RealModule
import Testing

@testable import PKScenario

/// Reads a real NONMEM data set from the shared conformance suite, which lives beside the
/// repository (`../shared/conformance/nmtests`) and is never copied into it.
@Suite struct DataSetReaderConformanceTests {
  static let nmtestsDosing1001 = RepositoryPaths.root
    .appendingPathComponent("../shared/conformance/nmtests/dosing/1001-input.csv").standardized.path

  static let hasNmtests: Bool = {
    let found = FileManager.default.fileExists(atPath: nmtestsDosing1001)
    if !found {
      print(
        "*** SKIPPED: DataSetReaderConformanceTests needs \(nmtestsDosing1001) "
          + "(the nmtests conformance suite beside the repository); it is not there. ***")
    }
    return found
  }()

  // Skipped, with a message, when the conformance suite is not beside the repository.
  @Test(
    .enabled(
      if: hasNmtests,
      "SKIPPED: ../shared/conformance/nmtests/dosing/1001-input.csv is not beside the repository"))
  func nmtestsDosing1001IsRead() throws {
    let d = try DataSetReader.read(path: Self.nmtestsDosing1001, timeUnit: .hour)
    #expect(d.subjects.count == 29)
    #expect(d.recordCount == 3837)
    #expect(d.covariateNames == ["LAGT", "MODE", "DUR2", "RAT2", "BIOAV"])
    #expect(d.columnNames.prefix(2) == ["C", "ID"])
    #expect(d.nameCase == .lower)
    #expect(zip(d.subjects.map(\.id), 1...29).allSatisfy { $0.isApproximatelyEqual(to: Double($1)) })
    #expect(d.subjects.allSatisfy { s in s.records.allSatisfy { $0.id.isApproximatelyEqual(to: s.id) } })
    let first = d.subjects[0].records[0]
    #expect(first.line == 2)
    #expect(first.evid == 1 && first.additional == 3)
    #expect(first.amount.isApproximatelyEqual(to: 100) && first.interval.isApproximatelyEqual(to: 24))
    #expect(first.covariates.count == 5)
    let doses = d.subjects.flatMap(\.records).filter(\.isDose)
    #expect(doses.count == 36)
    #expect(d.subjects.flatMap(\.records).filter(\.isReset).count == 10)
    #expect(doses.contains { $0.rate.isApproximatelyEqual(to: -2) })
    #expect(doses.contains { $0.evid == 4 })
    #expect(doses.contains { $0.steadyState == 1 && $0.amount.isZero && $0.rate > 0 && $0.interval.isZero })
  }
}
