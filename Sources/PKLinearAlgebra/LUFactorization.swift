/// An LU factorisation with partial pivoting, kept for repeated solves (LAPACK `dgetrf`,
/// `dgetrs`), as a stiff integrator needs for its iteration matrix W = I/(γh) − J.
///
/// ```
/// P·A = L·U,   A·x = b  ⇔  L·U·x = P·b
/// ```
/// Refactoring a matrix of the same size and solving do not allocate.
public struct LUFactorization: Sendable {
  /// The dimension n.
  public let dimension: Int
  private var factors: [Double]
  private var pivots: [Int32]

  /// An empty factorisation of size n (call `factor` before `solve`).
  public init(dimension n: Int) {
    dimension = n
    factors = [Double](repeating: 0, count: n * n)
    pivots = [Int32](repeating: 0, count: n)
  }

  /// Factors the n × n matrix given column-major in `elements`.
  ///
  /// - Throws: `LinearAlgebraError.singular` when U has a zero pivot.
  public mutating func factor(_ elements: [Double]) throws(LinearAlgebraError) {
    precondition(elements.count == dimension * dimension, "factor needs n × n elements.")
    for i in 0..<elements.count { factors[i] = elements[i] }
    try _BLASLAPACK.getrf(&factors, n: dimension, pivots: &pivots)
  }

  /// Solves A·x = b in place (b becomes x).
  public func solve(_ b: inout [Double]) throws(LinearAlgebraError) {
    precondition(b.count == dimension, "solve needs n values.")
    try _BLASLAPACK.getrs(factors, n: dimension, pivots: pivots, &b)
  }
}
