import PKLinearAlgebra

/// The zero-mean multivariate normal distribution N(0, Ω), sampled through the Cholesky factor of
/// Ω, as for the between-subject random effects η of a population model (NONMEM's $OMEGA).
///
/// ```
/// Ω = L·Lᵀ  (Cholesky),   z = (z_1, …, z_m) ~ N(0, I)  →  η = L·z ~ N(0, Ω)
/// Cov(η) = L·E[z zᵀ]·Lᵀ = L·Lᵀ = Ω
/// ```
/// z_1, …, z_m are the next m standard normals of the stream, in component order, so the draw of
/// a subject is fixed by its `RandomStream` and by the order of Ω's rows.
///
/// Reference: J. E. Gentle, Random Number Generation and Monte Carlo Methods, 2nd ed.,
/// Springer (2003), ch. 5 (multivariate distributions).
public struct MultivariateNormal: Sendable, Equatable {
  /// Ω, m × m, as given.
  public let covariance: Matrix
  /// The Cholesky factorisation Ω = L·Lᵀ.
  public let factor: CholeskyFactorization

  /// The dimension m.
  public var dimension: Int { factor.dimension }

  /// N(0, Ω) for the covariance matrix Ω.
  ///
  /// - Parameter covariance: Ω, square (a precondition), symmetric and positive definite. A
  ///   random effect with zero variance (NONMEM's `0 FIX`) makes Ω singular; leave it out of Ω.
  /// - Throws: `LinearAlgebraError.notSymmetric(row:column:)` naming the first entry (1-based)
  ///   that differs from its mirror, `LinearAlgebraError.notPositiveDefinite(order:)` naming
  ///   the first leading minor (1-based order) that is not positive, or
  ///   `LinearAlgebraError.nonFinite`. Their `description` is a sentence fit for a message.
  /// - Complexity: O(m³).
  public init(covariance: Matrix) throws(LinearAlgebraError) {
    self.factor = try CholeskyFactorization(covariance)
    self.covariance = covariance
  }

  /// One draw L·z, with z the next m standard normals of `stream`.
  public func sample(from stream: inout RandomStream) -> [Double] {
    var x = [Double](repeating: 0, count: dimension)
    sample(from: &stream, into: &x)
    return x
  }

  /// One draw L·z written into `destination` (m values), without allocating.
  public func sample(from stream: inout RandomStream, into destination: inout [Double]) {
    precondition(destination.count == dimension, "A sample of N(0, Ω) needs m values.")
    destination.withUnsafeMutableBufferPointer { sample(from: &stream, into: $0) }
  }

  /// One draw L·z written into the m values of `destination`, without allocating.
  public func sample(from stream: inout RandomStream, into destination: UnsafeMutableBufferPointer<Double>) {
    precondition(destination.count == dimension, "A sample of N(0, Ω) needs m values.")
    for i in 0..<dimension { destination[i] = stream.normal() }
    factor.multiplyByLower(inPlace: destination)
  }
}
