/// Linear systems through LAPACK.
extension Matrix {
  /// Solves A·X = B for X by LU factorisation with partial pivoting (LAPACK `dgesv`).
  ///
  /// - Throws: `LinearAlgebraError.singular` when U has a zero pivot.
  /// - Complexity: O(n³ + n² · B.columns).
  public func solve(_ b: Matrix) throws(LinearAlgebraError) -> Matrix {
    precondition(isSquare, "solve needs a square matrix.")
    precondition(b.rows == rows, "solve needs B.rows == A.rows.")
    guard isFinite, b.isFinite else { throw .nonFinite }
    var x = b
    if rows == 0 || b.columns == 0 { return x }
    try _BLASLAPACK.gesv(elements, n: rows, &x.elements, nrhs: b.columns)
    return x
  }

  /// Solves A·x = b for a vector b.
  public func solve(_ b: [Double]) throws(LinearAlgebraError) -> [Double] {
    try solve(Matrix(rows: b.count, columns: 1, columnMajor: b)).elements
  }
}
