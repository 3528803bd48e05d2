import RealModule
import Testing
import _PKTestSupport

@testable import PKLinearAlgebra

/// `Matrix.solve` (LAPACK dgesv) on published and hand-checked systems, and its errors.
@Suite struct MatrixSolveTests {
  /// The LAPACK/LAPACKE dgesv example (netlib `example_DGESV_colmajor.c`, Intel MKL examples):
  /// a 5×5 system with three right-hand sides.
  static let a = Matrix([
    [6.80, -6.05, -0.45, 8.32, -9.67],
    [-2.11, -3.30, 2.58, 2.71, -5.14],
    [5.66, 5.36, -2.70, 4.35, -7.26],
    [5.97, -4.44, 0.27, -7.17, 6.08],
    [8.23, 1.08, 9.04, 2.14, -6.87],
  ])
  static let b = Matrix([
    [4.02, -1.56, 9.81],
    [6.19, 4.00, -4.09],
    [-8.22, -8.67, -4.57],
    [-7.57, 1.75, -8.61],
    [-3.03, 2.86, 8.99],
  ])
  /// The solution as the example prints it, to two decimals.
  static let printedSolution = Matrix([
    [-0.80, -0.39, 0.96],
    [-0.70, -0.55, 0.22],
    [0.59, 0.84, 1.90],
    [1.32, -0.10, 5.36],
    [0.57, 0.11, 4.04],
  ])

  @Test func publishedDgesvExampleMatchesPrintedSolution() throws {
    let x = try Self.a.solve(Self.b)
    // The printed values are rounded to 0.01, so they are within 0.005 of the exact solution.
    expectClose(x, Self.printedSolution, relativeTolerance: 0, absoluteTolerance: 0.005)
  }

  @Test func publishedDgesvExampleHasSmallResidual() throws {
    let (a, b) = (Self.a, Self.b)
    let x = try a.solve(b)
    var residual = [Double]()
    for j in 0..<b.columns {
      for i in 0..<a.rows {
        var r = b[i, j]
        for k in 0..<a.columns { r -= a[i, k] * x[k, j] }
        residual.append(r)
      }
    }
    // LU with partial pivoting is backward stable: ‖b − Ax̂‖∞ ≲ c·n·u·‖A‖∞·‖x̂‖∞ (Higham,
    // Accuracy and Stability, Thm 9.4); c = 10 allows for the modest growth factor here.
    let n = Double(a.rows)
    let bound = 10 * n * Double.ulpOfOne / 2 * Self.infinityNorm(a) * Self.infinityNorm(x)
    expectClose(
      residual, [Double](repeating: 0, count: residual.count), relativeTolerance: 0,
      absoluteTolerance: bound)
  }

  /// [[2, 1], [1, 3]]·x = [3, 5] has x = [4/5, 7/5] (by Cramer's rule: det 5, x₁ = (9 − 5)/5,
  /// x₂ = (10 − 3)/5).
  @Test func handCheckedTwoByTwoVector() throws {
    let x = try Matrix([[2, 1], [1, 3]]).solve([3, 5])
    expectClose(x, [4.0 / 5.0, 7.0 / 5.0], relativeTolerance: 4 * Double.ulpOfOne)
  }

  /// The identity leaves B unchanged; an empty right-hand side gives an empty solution.
  @Test func identityAndEmptyRightHandSide() throws {
    let b = Matrix([[1, 2], [3, 4], [5, 6]])
    expectClose(try Matrix.identity(3).solve(b), b, relativeTolerance: 0)
    let empty = try Matrix.identity(3).solve(Matrix(rows: 3, columns: 0))
    #expect(empty.rows == 3 && empty.columns == 0)
  }

  /// [[1, 2], [2, 4]]: partial pivoting swaps the rows, the multiplier is 1/2 and
  /// U(2,2) = 2 − ½·4 = 0 exactly, so dgesv reports info = 2.
  @Test func singularMatrixThrowsSingularWithItsPivot() {
    #expect(throws: LinearAlgebraError.singular(pivot: 2)) {
      try Matrix([[1, 2], [2, 4]]).solve([1, 1])
    }
  }

  @Test func zeroMatrixIsSingularAtTheFirstPivot() {
    #expect(throws: LinearAlgebraError.singular(pivot: 1)) {
      try Matrix(rows: 3, columns: 3).solve([1, 2, 3])
    }
  }

  @Test func nanInTheMatrixThrowsNonFinite() {
    #expect(throws: LinearAlgebraError.nonFinite) {
      try Matrix([[1, 0], [.nan, 1]]).solve([1, 1])
    }
  }

  @Test func infinityInTheRightHandSideThrowsNonFinite() {
    #expect(throws: LinearAlgebraError.nonFinite) {
      try Matrix([[1, 0], [0, 1]]).solve([1, -.infinity])
    }
  }

  @Test func errorsDescribeThemselvesInWords() {
    #expect(LinearAlgebraError.singular(pivot: 2).description.contains("singular"))
    #expect(LinearAlgebraError.nonFinite.description.contains("NaN"))
    #expect(
      LinearAlgebraError.illegalArgument(routine: "dgesv", position: 4).description.contains(
        "argument 4"))
  }

  static func infinityNorm(_ m: Matrix) -> Double {
    var best = 0.0
    for i in 0..<m.rows {
      var s = 0.0
      for j in 0..<m.columns { s += m[i, j].magnitude }
      best = Swift.max(best, s)
    }
    return best
  }

  /// The elimination of the small matrix exponential (`Matrix._solveInPlace`) against dgesv on
  /// random systems of 1 to 14 unknowns with as many right-hand sides (to 1e-12 relative to
  /// the solution's largest entry), and its zero pivot named as dgesv names it.
  @Test func smallEliminationAgreesWithDgesv() throws {
    var g = SeededGenerator(seed: 14)
    for n in 1...14 {
      var a = Matrix(rows: n, columns: n)
      var b = Matrix(rows: n, columns: n)
      for k in a.elements.indices {
        a.elements[k] = Double.random(in: -1...1, using: &g)
        b.elements[k] = Double.random(in: -1...1, using: &g)
      }
      for i in 0..<n { a[i, i] += Double(n) }  // well conditioned
      let expected = try a.solve(b)
      var factors = a.elements
      var x = b.elements
      let pivot = factors.withUnsafeMutableBufferPointer { f in
        x.withUnsafeMutableBufferPointer { Matrix._solveInPlace(f.baseAddress!, $0.baseAddress!, n: n) }
      }
      #expect(pivot == nil)
      let scale = expected.elements.map(abs).max()!
      let worst = zip(x, expected.elements).map { abs($0 - $1) }.max()!
      #expect(worst <= 1e-12 * scale, "n \(n): largest difference \(worst)")
    }
    // Rows 2 and 3 equal (rank 2): the third pivot is zero, position 3 as dgesv reports it.
    var singular = [1.0, 2, 2, 3, 4, 4, 5, 6, 6]  // column-major [[1, 3, 5], [2, 4, 6], [2, 4, 6]]
    var rhs = [Double](repeating: 1, count: 9)
    let pivot = singular.withUnsafeMutableBufferPointer { f in
      rhs.withUnsafeMutableBufferPointer { Matrix._solveInPlace(f.baseAddress!, $0.baseAddress!, n: 3) }
    }
    #expect(pivot == 3)
    #expect(throws: LinearAlgebraError.singular(pivot: 3)) {
      try Matrix(rows: 3, columns: 3, columnMajor: [1, 2, 2, 3, 4, 4, 5, 6, 6]).solve(Matrix.identity(3))
    }
  }
}
