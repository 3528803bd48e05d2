import PKCore
import PKLinearAlgebra
import RealModule
import Testing
import _PKTestSupport

/// `CompartmentModel.summary()` against the closed forms CL = k10·V, Vss = V·(1 + Σ k1p/kp1),
/// t½ = ln 2 / λ_i.
@Suite struct CompartmentModelSummaryTests {
  /// The summary comes from one LU solve and one eigenvalue computation of a matrix with
  /// ‖K‖₁ ≈ 5/h and well-separated eigenvalues: accurate to a few hundred u.
  static let tolerance = 1e-13

  @Test func twoCompartmentClosedForm() throws {
    let m = MammillaryModel.twoCompartmentExample
    let (k12, k21) = (m.peripherals[0].fromCentral, m.peripherals[0].toCentral)
    let summary = try m.modelDefinition().instantiate(for: Subject()).summary()
    expectClose(summary.clearance, m.k10 * m.volume, relativeTolerance: Self.tolerance, "CL")
    expectClose(
      summary.steadyStateVolume, m.volume * (1 + k12 / k21), relativeTolerance: Self.tolerance,
      "Vss")
    let (alpha, beta) = (m.exponents[0], m.exponents[1])
    expectClose(
      summary.halfLives, [Double.log(2) / alpha, Double.log(2) / beta],
      relativeTolerance: Self.tolerance, "t½")
  }

  @Test(arguments: MammillaryModel.examples)
  func anyCompartmentCountClosedForm(_ m: MammillaryModel) throws {
    let summary = try m.modelDefinition().instantiate(for: Subject()).summary(route: .iv)
    let vss = m.volume * (1 + m.peripherals.map { $0.fromCentral / $0.toCentral }.reduce(0, +))
    expectClose(summary.clearance, m.k10 * m.volume, relativeTolerance: Self.tolerance, "CL")
    expectClose(summary.steadyStateVolume, vss, relativeTolerance: Self.tolerance, "Vss")
    expectClose(
      summary.halfLives, m.exponents.map { Double.log(2) / $0 }, relativeTolerance: Self.tolerance,
      "t½")
  }

  /// Without elimination the reduced matrix is singular and no steady state exists.
  @Test func noEliminationThrowsSingular() throws {
    var d = MammillaryModel.twoCompartmentExample.modelDefinition()
    d.parameters[1].definition = .value(0)  // k10
    let model = try d.instantiate(for: Subject())
    #expect(throws: LinearAlgebraError.self) { try model.summary() }
  }
}
