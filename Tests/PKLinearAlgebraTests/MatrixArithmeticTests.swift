import PKLinearAlgebra
import RealModule
import Testing
import _PKTestSupport

/// Products, sums and norms, and agreement of the hand-written and BLAS matrix–vector paths.
@Suite struct MatrixArithmeticTests {
  /// A matrix and vector with entries in [1, 2): all products are positive, so no sum cancels
  /// and every summation order agrees to n·u relative (Higham, Accuracy and Stability, §3.1).
  static func positiveProblem(rows: Int, columns: Int, seed: UInt64) -> (Matrix, [Double]) {
    var rng = SeededGenerator(seed: seed)
    var a = Matrix(rows: rows, columns: columns)
    for i in 0..<rows { for j in 0..<columns { a[i, j] = Double.random(in: 1..<2, using: &rng) } }
    let x = (0..<columns).map { _ in Double.random(in: 1..<2, using: &rng) }
    return (a, x)
  }

  /// y = A·x summed in plain Swift, in row order.
  static func naiveProduct(_ a: Matrix, _ x: [Double]) -> [Double] {
    (0..<a.rows).map { i in
      var s = 0.0
      for j in 0..<a.columns { s += a[i, j] * x[j] }
      return s
    }
  }

  @Test(arguments: [(4, 4), (20, 20), (16, 5), (17, 3)])
  func smallKernelAndBLASAgree(_ shape: (Int, Int)) {
    let (rows, columns) = shape
    let (a, x) = Self.positiveProblem(
      rows: rows, columns: columns, seed: UInt64(rows * 100 + columns))
    let tolerance = 2 * Double(columns) * Double.ulpOfOne
    var viaDispatch = [Double](repeating: .nan, count: rows)
    a.multiply(x, offset: 0, into: &viaDispatch, offset: 0)
    var viaBLAS = [Double](repeating: .nan, count: rows)
    a.multiplyWithBLAS(x, into: &viaBLAS)
    let naive = Self.naiveProduct(a, x)
    expectClose(viaDispatch, viaBLAS, relativeTolerance: tolerance, "dispatch vs BLAS")
    expectClose(viaDispatch, naive, relativeTolerance: tolerance, "dispatch vs naive")
    expectClose(
      a.multiplied(by: x), naive, relativeTolerance: tolerance, "multiplied(by:) vs naive")
  }

  /// Offsets and accumulation on both paths: y[o..] += A·x[o'..], leaving the rest untouched.
  @Test(arguments: [4, 20])
  func offsetsAndAccumulate(_ n: Int) {
    let (a, x) = Self.positiveProblem(rows: n, columns: n, seed: 7)
    let paddedX = [-99.0, -99.0] + x + [-99.0]
    var y = [Double](repeating: 0.5, count: n + 3)
    a.multiply(paddedX, offset: 2, into: &y, offset: 1, accumulate: true)
    let naive = Self.naiveProduct(a, x)
    let expected = [0.5] + naive.map { $0 + 0.5 } + [0.5, 0.5]
    expectClose(y, expected, relativeTolerance: 2 * Double(n + 1) * Double.ulpOfOne)

    var overwritten = [Double](repeating: .nan, count: n + 1)
    a.multiply(paddedX, offset: 2, into: &overwritten, offset: 1)
    expectClose(Array(overwritten[1...]), naive, relativeTolerance: 2 * Double(n) * Double.ulpOfOne)
    #expect(overwritten[0].isNaN, "elements outside the target range are left alone")
  }

  /// The threshold between the two paths is as documented (Benchmarks/README.md: the loop wins
  /// at 4 states, BLAS from 8 on).
  @Test func smallKernelLimitIsSix() {
    #expect(Matrix.smallKernelLimit == 6)
  }

  /// The one-pass step kernel y = A·x + c and y = x + (A·x + c), on both paths.
  @Test(arguments: [4, 10])
  func onePassKernelMatchesTheNaiveProduct(n: Int) {
    var g = SeededGenerator(seed: UInt64(n))
    let a = Matrix(
      rows: n, columns: n, columnMajor: (0..<(n * n)).map { _ in Double.random(in: -1...1, using: &g) })
    let x = (0..<n).map { _ in Double.random(in: -1...1, using: &g) }
    let c = (0..<n).map { _ in Double.random(in: -1...1, using: &g) }
    let naive = Self.naiveProduct(a, x)
    var y = [Double](repeating: .nan, count: n)
    a.multiply(x, adding: c, increment: false, into: &y)
    expectClose(
      y, zip(naive, c).map { $0 + $1 }, relativeTolerance: 0,
      absoluteTolerance: 4 * Double(n) * Double.ulpOfOne)
    a.multiply(x, adding: nil, increment: true, into: &y)
    expectClose(
      y, zip(naive, x).map { $0 + $1 }, relativeTolerance: 0,
      absoluteTolerance: 4 * Double(n) * Double.ulpOfOne)
  }

  @Test func matrixProductMatchesHandComputation() {
    let a = Matrix([[1, 2, 3], [4, 5, 6]])
    let b = Matrix([[7, 8], [9, 10], [11, 12]])
    // Rows of A times columns of B: [1·7+2·9+3·11, 1·8+2·10+3·12] = [58, 64], [139, 154].
    expectClose(a * b, Matrix([[58, 64], [139, 154]]), relativeTolerance: 0)
  }

  /// Both sides of `smallProductLimit` (14): the hand-written loop and `dgemm`.
  @Test(arguments: [4, 8, 14, 15, 20])
  func matrixProductMatchesNaive(_ n: Int) {
    let (a, _) = Self.positiveProblem(rows: n, columns: n, seed: 11)
    let (b, _) = Self.positiveProblem(rows: n, columns: n, seed: 13)
    var expected = Matrix(rows: n, columns: n)
    for i in 0..<n { for j in 0..<n { for k in 0..<n { expected[i, j] += a[i, k] * b[k, j] } } }
    expectClose(a * b, expected, relativeTolerance: 2 * Double(n) * Double.ulpOfOne)
  }

  @Test func sumsDifferencesAndScalarMultiples() {
    let a = Matrix([[1, -2], [3.5, 0]])
    let b = Matrix([[0.25, 2], [-1, 4]])
    expectClose(a + b, Matrix([[1.25, 0], [2.5, 4]]), relativeTolerance: 0)
    expectClose(a - b, Matrix([[0.75, -4], [4.5, -4]]), relativeTolerance: 0)
    expectClose(2 * a, Matrix([[2, -4], [7, 0]]), relativeTolerance: 0)
  }

  @Test func oneNormIsTheLargestAbsoluteColumnSum() {
    let a = Matrix([[1, -7], [-3, 2], [0.5, 0]])
    expectClose(a.oneNorm, 9, relativeTolerance: 0)
    expectClose(Matrix(rows: 2, columns: 2).oneNorm, 0, relativeTolerance: 0)
  }

  @Test func isFiniteDetectsNaNAndInfinity() {
    #expect(Matrix([[1, 2], [3, 4]]).isFinite)
    #expect(!Matrix([[1, .nan], [3, 4]]).isFinite)
    #expect(!Matrix([[1, 2], [-.infinity, 4]]).isFinite)
  }

  @Test func storageIsColumnMajor() {
    let a = Matrix([[1, 2, 3], [4, 5, 6]])
    expectClose(a.elements, [1, 4, 2, 5, 3, 6], relativeTolerance: 0)
    let b = Matrix(rows: 2, columns: 3, columnMajor: [1, 4, 2, 5, 3, 6])
    expectClose(b, a, relativeTolerance: 0)
  }
}
