import PKLinearAlgebra
import RealModule
import Testing
import _PKTestSupport

/// `CholeskyFactorization` (LAPACK dpotrf) on a hand-checked matrix and random SPD matrices, the
/// product L·z, and the errors for matrices that are not symmetric or not positive definite.
@Suite struct CholeskyFactorizationTests {
  /// A = [[4, 12, −16], [12, 37, −43], [−16, −43, 98]] = L·Lᵀ with L = [[2, 0, 0], [6, 1, 0],
  /// [−8, 5, 3]]: 2² = 4, 6·2 = 12, 6² + 1² = 37, −8·2 = −16, −8·6 + 5·1 = −43, 64 + 25 + 9 = 98.
  /// Every step of the factorisation is exact in binary floating point.
  @Test func handCheckedThreeByThree() throws {
    let a = Matrix([[4, 12, -16], [12, 37, -43], [-16, -43, 98]])
    let c = try CholeskyFactorization(a)
    #expect(c.dimension == 3)
    expectClose(c.lower, Matrix([[2, 0, 0], [6, 1, 0], [-8, 5, 3]]), relativeTolerance: 0)
  }

  /// For random SPD matrices A = B·Bᵀ + n·I (n = 1 … 8), L is lower triangular with a positive
  /// diagonal and L·Lᵀ reproduces A to 1e-12 relative to max |A_ij|. (Cholesky is backward stable:
  /// ‖A − L·Lᵀ‖ ≤ c·n·u·‖A‖, Higham, Accuracy and Stability, Thm 10.3; 1e-12 leaves a wide margin.)
  @Test(arguments: 1...8)
  func lowerTimesLowerTransposeReproducesTheMatrix(n: Int) throws {
    var g = SeededGenerator(seed: UInt64(n))
    var b = Matrix(rows: n, columns: n)
    for k in b.elements.indices { b.elements[k] = Double.random(in: -1...1, using: &g) }
    var a = Matrix(rows: n, columns: n)
    for i in 0..<n {
      for j in 0..<n {
        a[i, j] = (0..<n).reduce(0.0) { $0 + b[i, $1] * b[j, $1] } + (i == j ? Double(n) : 0)
      }
    }
    let l = try CholeskyFactorization(a).lower
    var product = Matrix(rows: n, columns: n)
    for i in 0..<n {
      for j in 0..<n {
        product[i, j] = (0..<n).reduce(0.0) { $0 + l[i, $1] * l[j, $1] }
        if j > i { #expect(l[i, j] == 0, "L(\(i), \(j)) above the diagonal") }
      }
      #expect(l[i, i] > 0, "L(\(i), \(i))")
    }
    let scale = a.elements.map(\.magnitude).max()!
    expectClose(product, a, relativeTolerance: 0, absoluteTolerance: 1e-12 * scale)
  }

  /// L·z by `multiplyByLower`, both forms, equals the dense product.
  @Test func multiplyByLowerMatchesTheDenseProduct() throws {
    let c = try CholeskyFactorization(Matrix([[4, 12, -16], [12, 37, -43], [-16, -43, 98]]))
    let z = [0.5, -1.25, 2.0]
    // [2·0.5, 6·0.5 + 1·(−1.25), −8·0.5 + 5·(−1.25) + 3·2] = [1, 1.75, −4.25]
    let expected = [1.0, 1.75, -4.25]
    expectClose(c.multiplyByLower(z), expected, relativeTolerance: 0)
    var inPlace = z
    c.multiplyByLower(inPlace: &inPlace)
    expectClose(inPlace, expected, relativeTolerance: 0)
  }

  @Test func emptyMatrixHasAnEmptyFactor() throws {
    let c = try CholeskyFactorization(Matrix(rows: 0, columns: 0))
    #expect(c.dimension == 0 && c.lower.rows == 0)
    #expect(c.multiplyByLower([]).isEmpty)
  }

  /// [[1, 2], [2, 1]] has det −3: the minor of order 2 fails. [[1, 1], [1, 1]] is only
  /// semidefinite: 1 − 1·1 = 0 exactly, so order 2 fails too. A zero or negative first
  /// diagonal element fails at order 1.
  @Test func notPositiveDefiniteThrowsTheFailingOrder() {
    #expect(throws: LinearAlgebraError.notPositiveDefinite(order: 2)) {
      try CholeskyFactorization(Matrix([[1, 2], [2, 1]]))
    }
    #expect(throws: LinearAlgebraError.notPositiveDefinite(order: 2)) {
      try CholeskyFactorization(Matrix([[1, 1], [1, 1]]))
    }
    #expect(throws: LinearAlgebraError.notPositiveDefinite(order: 1)) {
      try CholeskyFactorization(Matrix([[0, 0], [0, 1]]))
    }
    #expect(throws: LinearAlgebraError.notPositiveDefinite(order: 1)) {
      try CholeskyFactorization(Matrix([[-1]]))
    }
  }

  /// The first asymmetric pair, column by column below the diagonal, is named 1-based.
  @Test func notSymmetricThrowsTheEntry() {
    #expect(throws: LinearAlgebraError.notSymmetric(row: 2, column: 1)) {
      try CholeskyFactorization(Matrix([[1, 0.5], [0.4, 1]]))
    }
    #expect(throws: LinearAlgebraError.notSymmetric(row: 3, column: 2)) {
      try CholeskyFactorization(Matrix([[4, 1, 0], [1, 4, 1], [0, 2, 4]]))
    }
    // A zero mirrored by a non-zero is asymmetric however small the non-zero is.
    #expect(throws: LinearAlgebraError.notSymmetric(row: 3, column: 1)) {
      try CholeskyFactorization(Matrix([[4, 0, 1e-300], [0, 4, 0], [0, 0, 4]]))
    }
  }

  /// A pair that differs by rounding only (within the default relative 1e-12) is accepted, and
  /// the lower triangle is factored; a tighter tolerance rejects it.
  @Test func roundingLevelAsymmetryIsAccepted() throws {
    let a = Matrix([[4, 2 * (1 + 4 * Double.ulpOfOne)], [2, 5]])
    let c = try CholeskyFactorization(a)
    expectClose(c.lower, Matrix([[2, 0], [1, 2]]), relativeTolerance: 0)
    #expect(throws: LinearAlgebraError.notSymmetric(row: 2, column: 1)) {
      try CholeskyFactorization(a, symmetryTolerance: 0)
    }
  }

  @Test func nonFiniteThrowsNonFinite() {
    #expect(throws: LinearAlgebraError.nonFinite) {
      try CholeskyFactorization(Matrix([[1, .nan], [.nan, 1]]))
    }
    #expect(throws: LinearAlgebraError.nonFinite) {
      try CholeskyFactorization(Matrix([[.infinity]]))
    }
  }

  @Test func errorsDescribeThemselvesInWords() {
    let notPD = LinearAlgebraError.notPositiveDefinite(order: 2).description
    #expect(notPD.contains("not positive definite") && notPD.contains("order 2"))
    let notSymmetric = LinearAlgebraError.notSymmetric(row: 3, column: 1).description
    #expect(notSymmetric.contains("not symmetric") && notSymmetric.contains("(3, 1)"))
  }
}
