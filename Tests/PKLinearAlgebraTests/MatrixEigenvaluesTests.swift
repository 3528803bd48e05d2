import PKLinearAlgebra
import RealModule
import Testing
import _PKTestSupport

/// `Matrix.eigenvalues()` (LAPACK dgeev) on matrices with known spectra.
@Suite struct MatrixEigenvaluesTests {
  /// dgeev is backward stable; for a symmetric (or well-conditioned) spectrum the eigenvalues
  /// are accurate to a small multiple of ‖A‖·u, relative to the largest one.
  static func tolerance(_ a: Matrix) -> Double {
    16 * Double(a.rows) * a.oneNorm * Double.ulpOfOne / 2
  }

  /// [[2, 0, 0], [0, 3, 4], [0, 4, 9]]: the lower block has trace 12 and determinant 11,
  /// so the spectrum is {1, 2, 11}.
  @Test func symmetricThreeByThree() throws {
    let a = Matrix([[2, 0, 0], [0, 3, 4], [0, 4, 9]])
    let values = try a.eigenvalues()
    let real = values.map(\.real).sorted()
    expectClose(real, [1, 2, 11], relativeTolerance: 0, absoluteTolerance: Self.tolerance(a))
    expectClose(values.map(\.imaginary), [0, 0, 0], relativeTolerance: 0)
  }

  /// The rotation generator θ·[[0, −1], [1, 0]] has eigenvalues ±iθ.
  @Test func rotationGeneratorHasImaginaryPair() throws {
    let theta = 2.0
    let a = Matrix([[0, -theta], [theta, 0]])
    let values = try a.eigenvalues()
    let bound = Self.tolerance(a)
    expectClose(values.map(\.real), [0, 0], relativeTolerance: 0, absoluteTolerance: bound)
    expectClose(
      values.map(\.imaginary).sorted(), [-theta, theta], relativeTolerance: 0,
      absoluteTolerance: bound)
  }

  /// A 2-compartment rate matrix has eigenvalues −α, −β, the disposition exponents from the
  /// closed-form quadratic (computed without LAPACK by the reference model).
  @Test func twoCompartmentRateMatrix() throws {
    let m = MammillaryModel.twoCompartmentExample
    let (k10, k12, k21) = (m.k10, m.peripherals[0].fromCentral, m.peripherals[0].toCentral)
    let a = Matrix([[-(k10 + k12), k21], [k12, -k21]])
    let real = try a.eigenvalues().map { -$0.real }.sorted(by: >)
    expectClose(real, m.exponents, relativeTolerance: Self.tolerance(a))
  }

  @Test func upperTriangularEigenvaluesAreTheDiagonal() throws {
    let a = Matrix([[-3, 5, 7], [0, -0.5, 11], [0, 0, -0.01]])
    let real = try a.eigenvalues().map(\.real).sorted()
    expectClose(
      real, [-3, -0.5, -0.01], relativeTolerance: 0, absoluteTolerance: Self.tolerance(a))
  }

  @Test func emptyMatrixHasNoEigenvalues() throws {
    #expect(try Matrix(rows: 0, columns: 0).eigenvalues().isEmpty)
  }

  @Test func nanGivesNonFinite() {
    #expect(throws: LinearAlgebraError.nonFinite) {
      try Matrix([[1, 2], [.nan, 3]]).eigenvalues()
    }
  }
}
