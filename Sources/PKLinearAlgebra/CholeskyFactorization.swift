/// The lower Cholesky factor L of a symmetric positive-definite matrix (LAPACK `dpotrf`), as
/// needed to draw correlated normal variates x = L·z with z ~ N(0, I), so that Cov(x) = A.
///
/// ```
/// A = L·Lᵀ,   L lower triangular with L(i, i) > 0
/// (L·z)_i = Σ_{j ≤ i} L(i, j)·z_j
/// ```
/// A is checked for symmetry before it is factored, because it usually comes from user input (a
/// covariance matrix Ω written in a model file), and dpotrf would silently read only its lower
/// triangle. Indices in the errors are 1-based, as LAPACK's are.
///
/// Reference: G. H. Golub, C. F. Van Loan, Matrix Computations, 4th ed. (2013), § 4.2.
public struct CholeskyFactorization: Sendable, Equatable {
  /// The dimension n.
  public let dimension: Int
  /// L, n × n, lower triangular with a positive diagonal; its strict upper triangle is 0.
  public let lower: Matrix

  /// Factors the symmetric positive-definite matrix `a`.
  ///
  /// - Parameters:
  ///   - a: a square matrix (a precondition); a 0 × 0 matrix gives a 0 × 0 factor.
  ///   - symmetryTolerance: the largest accepted |A(i, j) − A(j, i)| / max(|A(i, j)|, |A(j, i)|).
  ///     The default 1e-12 lets through a matrix that was computed (for example from standard
  ///     deviations and correlations) and is symmetric up to rounding, and catches any typing
  ///     mistake. The lower triangle is what is factored.
  /// - Throws: `LinearAlgebraError.nonFinite` for NaN or infinity,
  ///   `LinearAlgebraError.notSymmetric(row:column:)` for the first asymmetric pair (column by
  ///   column, row > column), `LinearAlgebraError.notPositiveDefinite(order:)` when the leading
  ///   minor of that order is not positive (for example a zero variance).
  /// - Complexity: O(n³).
  public init(_ a: Matrix, symmetryTolerance: Double = 1e-12) throws(LinearAlgebraError) {
    precondition(a.isSquare, "A Cholesky factorisation needs a square matrix.")
    precondition(symmetryTolerance >= 0, "The symmetry tolerance must not be negative.")
    guard a.isFinite else { throw .nonFinite }
    let n = a.rows
    for j in 0..<n {
      for i in (j + 1)..<n {
        let (lowerEntry, upperEntry) = (a[i, j], a[j, i])
        let scale = max(lowerEntry.magnitude, upperEntry.magnitude)
        if (lowerEntry - upperEntry).magnitude > symmetryTolerance * scale {
          throw .notSymmetric(row: i + 1, column: j + 1)
        }
      }
    }
    var factor = a.elements
    if n > 0 { try _BLASLAPACK.potrf(&factor, n: n) }
    for j in 0..<n {
      for i in 0..<j { factor[i + j * n] = 0 }
    }
    dimension = n
    lower = Matrix(rows: n, columns: n, columnMajor: factor)
  }

  /// L·z.
  ///
  /// - Complexity: O(n²/2).
  public func multiplyByLower(_ z: [Double]) -> [Double] {
    var y = z
    multiplyByLower(inPlace: &y)
    return y
  }

  /// Overwrites z with L·z, without allocating.
  ///
  /// Row i of L·z needs z_0 … z_i only, so the rows are computed from the last to the first and
  /// each z_i is replaced once no later row needs it.
  public func multiplyByLower(inPlace z: inout [Double]) {
    precondition(z.count == dimension, "L·z needs n values.")
    z.withUnsafeMutableBufferPointer { multiplyByLower(inPlace: $0) }
  }

  /// Overwrites the n values of `z` with L·z, without allocating; see the array overload.
  public func multiplyByLower(inPlace z: UnsafeMutableBufferPointer<Double>) {
    precondition(z.count == dimension, "L·z needs n values.")
    let n = dimension
    lower.elements.withUnsafeBufferPointer { l in
      var i = n - 1
      while i >= 0 {
        var sum = 0.0
        for j in 0...i { sum += l[i + j * n] * z[j] }
        z[i] = sum
        i -= 1
      }
    }
  }
}
