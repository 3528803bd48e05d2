import Foundation
import RealModule
import Testing

/// Routes other than IV through the built binary: a racemic model's IM dose, and a route a
/// model does not declare.
@Suite struct RouteCLITests {
  /// Parses a wide CSV into its header and rows of numbers.
  static func table(_ csv: String) -> (header: Substring, rows: [[Double]]) {
    let lines = csv.split(separator: "\n")
    return (lines[0], lines.dropFirst().map { $0.split(separator: ",").map { Double($0)! } })
  }

  /// `50 mg im` on domino-1984 is 0.93 × 50 = 46.5 mg into central at constant rate over
  /// 20 min (Models/absorption/racemic-ketamine.yaml): the same curve as `46.5 mg iv over
  /// 20 min`, peaking at 20 min, with the amounts adding up to 46.5 mg × min(t / 20 min, 1).
  @Test func intramuscularDoseOnDomino() throws {
    let common = ["--weight", "70kg", "--until", "2h", "--every", "5min", "--amounts"]
    let im = try CLIRunner.run(["run", "--model", "domino-1984", "--dose", "50 mg im"] + common)
    #expect(im.status == 0, "stderr: \(im.stderr)")
    let iv = try CLIRunner.run(
      ["run", "--model", "domino-1984", "--dose", "46.5 mg iv over 20 min"] + common)
    #expect(iv.status == 0, "stderr: \(iv.stderr)")
    let a = Self.table(im.stdout)
    let b = Self.table(iv.stdout)
    #expect(
      a.header
        == "time_min,ketamine_ng_per_ml,ketamine_effect_ng_per_ml,central_mg,peripheral1_mg,peripheral2_mg,effect_mg/L,eliminated_mg"
    )
    #expect(a.header == b.header)
    #expect(a.rows.count == 25 && b.rows.count == 25)
    for (x, y) in zip(a.rows, b.rows) {
      #expect(x[0] == y[0])
      for j in 1..<x.count {
        #expect(x[j].isApproximatelyEqual(to: y[j], absoluteTolerance: 1e-12 * 47, relativeTolerance: 1e-12))
      }
      let total = x[3] + x[4] + x[5] + x[7]  // the drug states; the effect site holds mg/L
      let entered = 46.5 * min(x[0] / 20, 1)
      #expect(total.isApproximatelyEqual(to: entered, absoluteTolerance: 1e-10 * 46.5), "t = \(x[0]) min")
    }
    let peak = a.rows.indices.max { a.rows[$0][1] < a.rows[$1][1] }!
    #expect(a.rows[peak][0] == 20)
  }

  /// A model file declaring only `iv` rejects `im` with exit code 2 and names the supported route.
  @Test func unsupportedRouteIsABadInputError() throws {
    let dir = try CLIRunner.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: dir) }
    let path = try CLIRunner.writeOneCompartmentModel(in: dir, name: "iv-only")
    let r = try CLIRunner.run([
      "run", "--model", path, "--dose", "10 mg im", "--until", "1h", "--every", "10min",
    ])
    #expect(r.status == 2)
    #expect(r.stdout.isEmpty)
    #expect(
      r.stderr.contains("route 'im' is not supported by this model; it supports: iv"), "stderr: \(r.stderr)")
  }
}
