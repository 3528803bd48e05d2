import PKLinearAlgebra
import RealModule
import Testing
import _PKTestSupport

/// `Matrix.exponential()` against matrices whose exponential is known in closed form.
///
/// Tolerances: Higham's scaling and squaring has a backward error of at most u = 2⁻⁵³ per
/// application, so for the well-conditioned matrices here the forward relative error is a small
/// multiple of ‖A‖₁·u. Each tolerance is stated with the bound it comes from.
@Suite struct MatrixExponentialTests {
  /// Unit roundoff of Double.
  static let u = Double.ulpOfOne / 2

  /// c·max(1, ‖A‖₁)·u: the error grows with ‖A‖₁ through scaling, and never drops below the
  /// rounding of the result itself (and of `exp` in the reference), a few u.
  static func bound(_ c: Double, _ a: Matrix) -> Double { c * Swift.max(1, a.oneNorm) * u }

  @Test func zeroMatrixGivesTheIdentity() throws {
    let e = try Matrix(rows: 3, columns: 3).exponential()
    expectClose(e, .identity(3), relativeTolerance: 0)
  }

  @Test func emptyMatrixGivesEmpty() throws {
    let e = try Matrix(rows: 0, columns: 0).exponential()
    #expect(e.rows == 0 && e.columns == 0)
  }

  /// e^{diag(d)} = diag(e^{d_i}); the zeros off the diagonal stay exactly zero.
  @Test(arguments: [[-1.0, 0.5, 3.0], [-0.001, 0.002, 0.0], [-40.0, 2.0, 10.0]])
  func diagonal(_ d: [Double]) throws {
    var a = Matrix(rows: d.count, columns: d.count)
    var expected = Matrix(rows: d.count, columns: d.count)
    for i in d.indices {
      a[i, i] = d[i]
      expected[i, i] = Double.exp(d[i])
    }
    // Squaring s times multiplies the relative error of each diagonal entry by up to 2^s; the
    // largest norm here (40) needs s = 3, so 64·max(1, ‖A‖₁)·u covers every case.
    let tolerance = Self.bound(64, a)
    expectClose(try a.exponential(), expected, relativeTolerance: tolerance)
  }

  /// N = [[0, 1], [0, 0]] has N² = 0, so e^N = I + N exactly.
  @Test func nilpotent() throws {
    let n = Matrix([[0, 1], [0, 0]])
    expectClose(try n.exponential(), Matrix([[1, 1], [0, 1]]), relativeTolerance: 4 * Self.u)
  }

  /// A strictly upper-triangular 3×3 N (N³ = 0): e^{tN} = I + tN + t²N²/2.
  @Test func nilpotentThreeByThree() throws {
    let t = 2.5
    let n = Matrix([[0, 1, 2], [0, 0, 3], [0, 0, 0]])
    let expected = Matrix([[1, t, 2 * t + 3 * t * t / 2], [0, 1, 3 * t], [0, 0, 1]])
    expectClose(try (t * n).exponential(), expected, relativeTolerance: Self.bound(16, t * n))
  }

  /// The generator of plane rotations: e^{θ[[0, −1], [1, 0]]} = [[cos θ, −sin θ], [sin θ, cos θ]].
  @Test(arguments: [0.01, 1.0, 2.5, 30.0])
  func rotationGenerator(_ theta: Double) throws {
    let a = Matrix([[0, -theta], [theta, 0]])
    let (c, s) = (Double.cos(theta), Double.sin(theta))
    let expected = Matrix([[c, -s], [s, c]])
    // A is normal, so squaring does not amplify the error beyond 2^s·u ≤ 8·θ·u; entries near
    // zero (cos 30 ≈ 0.15) are compared absolutely against that bound.
    let bound = 16 * Swift.max(1, theta) * Self.u
    expectClose(try a.exponential(), expected, relativeTolerance: bound, absoluteTolerance: bound)
  }

  /// An upper-triangular 2×2: e^{[[a, b], [0, c]]} = [[e^a, b·(e^a − e^c)/(a − c)], [0, e^c]].
  @Test func upperTriangularTwoByTwo() throws {
    let (a, b, c) = (-0.7, 1.3, 0.4)
    let m = Matrix([[a, b], [0, c]])
    let expected = Matrix([
      [Double.exp(a), b * (Double.exp(a) - Double.exp(c)) / (a - c)],
      [0, Double.exp(c)],
    ])
    expectClose(try m.exponential(), expected, relativeTolerance: Self.bound(16, m))
  }

  /// A symmetric 2×2: e^{[[a, b], [b, a]]} = e^a·[[cosh b, sinh b], [sinh b, cosh b]].
  @Test func symmetricTwoByTwo() throws {
    let (a, b) = (0.3, -1.7)
    let m = Matrix([[a, b], [b, a]])
    let ea = Double.exp(a)
    let expected = Matrix([
      [ea * Double.cosh(b), ea * Double.sinh(b)],
      [ea * Double.sinh(b), ea * Double.cosh(b)],
    ])
    expectClose(try m.exponential(), expected, relativeTolerance: Self.bound(16, m))
  }

  /// A = S·D·S⁻¹ with ‖A‖₁ = 162, which needs scaling by 2⁵ before the degree-13 Padé approximant.
  ///
  /// S = [[1, 2], [1, 3]] (det 1), S⁻¹ = [[3, −2], [−1, 1]], D = diag(2, −30), so
  /// A = [[66, −64], [96, −94]] and e^A = S·diag(e², e⁻³⁰)·S⁻¹, evaluated here in scalars.
  static let s = [[1.0, 2.0], [1.0, 3.0]]
  static let sInverse = [[3.0, -2.0], [-1.0, 1.0]]
  static let d = [2.0, -30.0]
  static let largeNorm = Matrix([[66, -64], [96, -94]])

  @Test func largeNormAgainstTheDiagonalisedForm() throws {
    let a = Self.largeNorm
    #expect(a.oneNorm > 5.371920351148152 * 16, "the example must exercise scaling and squaring")
    var expected = Matrix(rows: 2, columns: 2)
    for i in 0..<2 {
      for j in 0..<2 {
        for k in 0..<2 {
          expected[i, j] += Self.s[i][k] * Double.exp(Self.d[k]) * Self.sInverse[k][j]
        }
      }
    }
    // Forward error ≲ κ₁(S)·‖A‖₁·u (Higham 2005, §3; Moler & Van Loan 2003) with κ₁(S) = 25.
    let bound = Self.bound(25, a)
    expectClose(try a.exponential(), expected, relativeTolerance: bound)
  }

  /// e^A = (e^{A/2})²: the algorithm's own squaring, one level further out.
  @Test func largeNormAgainstSquaredHalf() throws {
    let a = Self.largeNorm
    let half = try (0.5 * a).exponential()
    let bound = Self.bound(25, a)
    expectClose(try a.exponential(), half * half, relativeTolerance: bound)
  }

  /// A compartment matrix with an absorbing state is singular; its exponential is
  /// [[e^{−kt}, 0], [1 − e^{−kt}, 1]].
  @Test(arguments: [0.1, 1.0, 3.0, 25.0])
  func singularCompartmentMatrix(_ kt: Double) throws {
    let a = Matrix([[-kt, 0], [kt, 0]])
    #expect(throws: LinearAlgebraError.self) { try a.solve([1, 1]) }
    let expected = Matrix([[Double.exp(-kt), 0], [-Double.expMinusOne(-kt), 1]])
    // e^{−25} is computed by 2⁴ squarings of a number near e^{−1.6}: relative error ≤ 2^s·‖A‖₁·u.
    let bound = Self.bound(64, a)
    expectClose(try a.exponential(), expected, relativeTolerance: bound)
  }

  @Test func nanGivesNonFinite() {
    let a = Matrix([[1, .nan], [0, 1]])
    #expect(throws: LinearAlgebraError.nonFinite) { try a.exponential() }
  }

  @Test func infinityGivesNonFinite() {
    let a = Matrix([[1, 0], [.infinity, 1]])
    #expect(throws: LinearAlgebraError.nonFinite) { try a.exponential() }
  }
}
