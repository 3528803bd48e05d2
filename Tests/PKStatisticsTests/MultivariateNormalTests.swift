import PKLinearAlgebra
import PKStatistics
import RealModule
import Testing
import _PKTestSupport

/// `MultivariateNormal`: the sample moments of N(0, Ω) for a correlated 3 × 3 Ω, the order in
/// which it uses the stream's normals, and its errors for a bad Ω.
@Suite struct MultivariateNormalTests {
  /// ω² = 0.09, 0.16, 0.0625 (ω = 0.3, 0.4, 0.25) with correlations ρ₁₂ = 0.5, ρ₁₃ = −0.3,
  /// ρ₂₃ = 0.2, so Ω_ij = ρ_ij·ω_i·ω_j: 0.06, −0.0225, 0.02.
  static let omega = Matrix([
    [0.09, 0.06, -0.0225],
    [0.06, 0.16, 0.02],
    [-0.0225, 0.02, 0.0625],
  ])
  static let count = 100_000
  /// How many standard errors an estimate may be from its expectation (a correct sampler fails
  /// one element with probability about 6·10⁻⁷; the seed is fixed).
  static let standardErrors = 5.0

  // MARK: Moments

  /// The sample mean is within 5 SE (√(Ω_ii/N)) of 0 and every element of the sample covariance
  /// within 5 SE of Ω_ij, where for normal data SE(S_ij) ≈ √((Ω_ii·Ω_jj + Ω_ij²)/N).
  @Test func sampleMeanAndCovarianceMatchOmega() throws {
    let mvn = try MultivariateNormal(covariance: Self.omega)
    var stream = RandomStream(seed: 20_240_611, subject: 1, stream: 0)
    let draws = (0..<Self.count).map { _ in mvn.sample(from: &stream) }
    let (mean, covariance) = Self.sampleMoments(draws)
    let n = Double(Self.count)
    for i in 0..<3 {
      expectClose(
        mean[i], 0, relativeTolerance: 0,
        absoluteTolerance: Self.standardErrors * (Self.omega[i, i] / n).squareRoot(), "mean[\(i)]")
    }
    let rejected = Self.elementsOutsideTolerance(covariance)
    #expect(rejected.isEmpty, "sample covariance \(covariance.elements) vs Ω: outside at \(rejected)")
  }

  /// The acceptance test above tells a right factor from wrong ones: sampling the same normals
  /// through Lᵀ (the upper factor, Cov = LᵀL), through diag(ω) (correlations dropped) or not at all
  /// (unscaled z, Cov = I) gives a sample covariance it rejects, and the diagonal factor is
  /// caught on every off-diagonal element.
  @Test func wrongFactorsAreRejected() throws {
    let mvn = try MultivariateNormal(covariance: Self.omega)
    let l = mvn.factor.lower
    var upper = Matrix(rows: 3, columns: 3)
    var diagonal = Matrix(rows: 3, columns: 3)
    for i in 0..<3 {
      for j in 0..<3 { upper[i, j] = l[j, i] }
      diagonal[i, i] = Self.omega[i, i].squareRoot()
    }
    let wrongFactors = [
      ("upper factor Lᵀ", upper), ("diag(ω)", diagonal), ("unscaled z", Matrix.identity(3)),
    ]
    for (name, wrong) in wrongFactors {
      var stream = RandomStream(seed: 20_240_611, subject: 1, stream: 0)
      let draws = (0..<Self.count).map { _ in
        let z = (0..<3).map { _ in stream.normal() }
        return (0..<3).map { i in (0..<3).reduce(0.0) { $0 + wrong[i, $1] * z[$1] } }
      }
      let rejected = Self.elementsOutsideTolerance(Self.sampleMoments(draws).covariance)
      #expect(!rejected.isEmpty, "\(name) was accepted")
      if name == "diag(ω)" {
        #expect(rejected.filter { $0.0 != $0.1 }.count == 6, "\(name): off-diagonals outside at \(rejected)")
      }
    }
  }

  // MARK: Draws

  /// A sample is L·z with z the stream's next three normals in component order, and the
  /// allocating and non-allocating forms give the same numbers from the same stream.
  @Test func sampleIsLowerFactorTimesNormalsInComponentOrder() throws {
    let mvn = try MultivariateNormal(covariance: Self.omega)
    #expect(mvn.dimension == 3)
    var a = RandomStream(seed: 1, subject: 2, stream: 3)
    var b = a
    var c = a
    var intoArray = [Double](repeating: .nan, count: 3)
    var intoBuffer = [Double](repeating: .nan, count: 3)
    for draw in 0..<5 {
      let sampled = mvn.sample(from: &a)
      mvn.sample(from: &b, into: &intoArray)
      intoBuffer.withUnsafeMutableBufferPointer { mvn.sample(from: &c, into: $0) }
      var reference = RandomStream(seed: 1, subject: 2, stream: 3)
      for _ in 0..<(3 * draw) { _ = reference.normal() }
      let z = [reference.normal(), reference.normal(), reference.normal()]
      let l = mvn.factor.lower
      let expected = (0..<3).map { i in (0...i).reduce(0.0) { $0 + l[i, $1] * z[$1] } }
      expectClose(sampled, expected, relativeTolerance: 1e-15, "draw \(draw)")
      expectClose(intoArray, sampled, relativeTolerance: 0, "into: array, draw \(draw)")
      expectClose(intoBuffer, sampled, relativeTolerance: 0, "into: buffer, draw \(draw)")
    }
  }

  /// One random effect: η = ω·z.
  @Test func oneDimensionScalesByOmega() throws {
    let mvn = try MultivariateNormal(covariance: Matrix([[0.25]]))
    var a = RandomStream(seed: 5, subject: 6)
    var b = a
    for _ in 0..<10 {
      expectClose(mvn.sample(from: &a), [0.5 * b.normal()], relativeTolerance: 0)
    }
  }

  // MARK: Errors

  @Test func nonSymmetricCovarianceThrowsNamingTheEntry() {
    var omega = Self.omega
    omega[2, 1] = 0.03  // Ω₃₂ ≠ Ω₂₃ = 0.02
    #expect(throws: LinearAlgebraError.notSymmetric(row: 3, column: 2)) {
      try MultivariateNormal(covariance: omega)
    }
    #expect(LinearAlgebraError.notSymmetric(row: 3, column: 2).description.contains("entry (3, 2)"))
  }

  /// A correlation above 1 (ρ₁₂ = 1.2) leaves the leading minor of order 2 negative:
  /// 0.09·0.16 − 0.144² < 0; a zero variance fails at its own order.
  @Test func notPositiveDefiniteCovarianceThrowsNamingTheOrder() {
    var omega = Self.omega
    omega[0, 1] = 1.2 * 0.3 * 0.4
    omega[1, 0] = omega[0, 1]
    #expect(throws: LinearAlgebraError.notPositiveDefinite(order: 2)) {
      try MultivariateNormal(covariance: omega)
    }
    let zeroVariance = Matrix([[0.09, 0, 0], [0, 0.16, 0], [0, 0, 0]])
    #expect(throws: LinearAlgebraError.notPositiveDefinite(order: 3)) {
      try MultivariateNormal(covariance: zeroVariance)
    }
    #expect(LinearAlgebraError.notPositiveDefinite(order: 3).description.contains("order 3"))
  }

  // MARK: Helpers

  /// The sample mean and the (n − 1)-normalised sample covariance of the draws.
  static func sampleMoments(_ draws: [[Double]]) -> (mean: [Double], covariance: Matrix) {
    let m = draws[0].count
    let n = Double(draws.count)
    var mean = [Double](repeating: 0, count: m)
    for x in draws { for i in 0..<m { mean[i] += x[i] / n } }
    var covariance = Matrix(rows: m, columns: m)
    for x in draws {
      for i in 0..<m { for j in 0..<m { covariance[i, j] += (x[i] - mean[i]) * (x[j] - mean[j]) } }
    }
    for k in covariance.elements.indices { covariance.elements[k] /= n - 1 }
    return (mean, covariance)
  }

  /// The (i, j) of the elements of `s` farther than 5·√((Ω_ii·Ω_jj + Ω_ij²)/N) from Ω_ij.
  static func elementsOutsideTolerance(_ s: Matrix) -> [(Int, Int)] {
    let n = Double(count)
    var outside: [(Int, Int)] = []
    for i in 0..<3 {
      for j in 0..<3 {
        let o = omega
        let tolerance = standardErrors * ((o[i, i] * o[j, j] + o[i, j] * o[i, j]) / n).squareRoot()
        if !s[i, j].isApproximatelyEqual(to: o[i, j], absoluteTolerance: tolerance, relativeTolerance: 0) {
          outside.append((i, j))
        }
      }
    }
    return outside
  }
}
