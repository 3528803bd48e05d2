import Foundation
import RealModule

/// Compares CSV text with a committed golden file: the same header and shape, and every number
/// equal to 1e-12 relative (BLAS kernels may differ in the last bits between processors).
enum GoldenCSV {
  static func fixture(_ name: String) throws -> String {
    guard let url = Bundle.module.url(forResource: name, withExtension: "csv", subdirectory: "Fixtures")
    else {
      throw CocoaError(.fileNoSuchFile)
    }
    return try String(contentsOf: url, encoding: .utf8)
  }

  /// nil when equal, else a description of the first difference.
  static func difference(_ actual: String, _ expected: String, relativeTolerance: Double = 1e-12) -> String? {
    let a = actual.split(separator: "\n", omittingEmptySubsequences: false)
    let e = expected.split(separator: "\n", omittingEmptySubsequences: false)
    guard a.count == e.count else { return "\(a.count) lines, expected \(e.count)" }
    guard a.first == e.first else { return "header '\(a.first ?? "")', expected '\(e.first ?? "")'" }
    for (k, (la, le)) in zip(a, e).enumerated().dropFirst() {
      let fa = la.split(separator: ",")
      let fe = le.split(separator: ",")
      guard fa.count == fe.count else { return "line \(k + 1): \(fa.count) fields, expected \(fe.count)" }
      for (x, y) in zip(fa, fe) {
        guard let dx = Double(x), let dy = Double(y), dx.isFinite else {
          if x != y { return "line \(k + 1): '\(x)', expected '\(y)'" }
          continue
        }
        if !dx.isApproximatelyEqual(to: dy, absoluteTolerance: 0, relativeTolerance: relativeTolerance)
          && dx != dy
        {
          return "line \(k + 1): \(dx), expected \(dy)"
        }
      }
    }
    return nil
  }
}
