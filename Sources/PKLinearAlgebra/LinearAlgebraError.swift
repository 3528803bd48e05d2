/// A failure reported by LAPACK, translated from its `info` code.
///
/// LAPACK returns `info < 0` when argument number `-info` was illegal (a programming error in
/// the caller) and `info > 0` for a numerical outcome whose meaning depends on the routine.
public enum LinearAlgebraError: Error, Equatable, Sendable, CustomStringConvertible {
  /// Argument number `position` (1-based, LAPACK's numbering) had an illegal value.
  case illegalArgument(routine: String, position: Int)
  /// The factorised matrix is exactly singular: U(pivot, pivot) = 0 (dgesv, dgetrf).
  case singular(pivot: Int)
  /// The QR iteration failed to compute all eigenvalues (dgeev); `index` is LAPACK's info.
  case eigenvaluesDidNotConverge(index: Int)
  /// A matrix contained NaN or infinity where finite numbers are required.
  case nonFinite
  /// The leading minor of order `order` (1-based) is not positive, so the matrix is not
  /// positive definite and has no Cholesky factor (dpotrf).
  case notPositiveDefinite(order: Int)
  /// Entry (`row`, `column`) differs from entry (`column`, `row`) (1-based, `row` > `column`),
  /// where a symmetric matrix is required.
  case notSymmetric(row: Int, column: Int)

  public var description: String {
    switch self {
    case .illegalArgument(let routine, let position):
      return "LAPACK \(routine): argument \(position) had an illegal value"
    case .singular(let pivot):
      return "the matrix is singular (zero pivot at position \(pivot))"
    case .eigenvaluesDidNotConverge(let index):
      return "the eigenvalue iteration did not converge (info \(index))"
    case .nonFinite:
      return "the matrix contains NaN or infinity"
    case .notPositiveDefinite(let order):
      return "the matrix is not positive definite (its leading minor of order \(order) is not positive)"
    case .notSymmetric(let row, let column):
      return "the matrix is not symmetric: entry (\(row), \(column)) differs from entry (\(column), \(row))"
    }
  }

  /// Maps a LAPACK `info` code of `routine`; returns nil for success (`info == 0`).
  static func fromInfo(_ info: Int32, routine: String) -> LinearAlgebraError? {
    if info == 0 { return nil }
    if info < 0 { return .illegalArgument(routine: routine, position: Int(-info)) }
    switch routine {
    case "dgesv", "dgetrf": return .singular(pivot: Int(info))
    case "dgeev": return .eigenvaluesDidNotConverge(index: Int(info))
    case "dpotrf": return .notPositiveDefinite(order: Int(info))
    default: return .illegalArgument(routine: routine, position: Int(info))
    }
  }
}
