/// Eigenvalues through LAPACK.
extension Matrix {
  /// The eigenvalues of a square matrix (LAPACK `dgeev`), as (real, imaginary) pairs in
  /// LAPACK's order.
  ///
  /// - Throws: `LinearAlgebraError.eigenvaluesDidNotConverge` if the QR algorithm fails.
  public func eigenvalues() throws(LinearAlgebraError) -> [(real: Double, imaginary: Double)] {
    precondition(isSquare, "eigenvalues need a square matrix.")
    guard isFinite else { throw .nonFinite }
    if rows == 0 { return [] }
    let (wr, wi) = try _BLASLAPACK.geev(elements, n: rows)
    return (0..<rows).map { (wr[$0], wi[$0]) }
  }
}
