import PKLinearAlgebra

/// A linear time-invariant system with piecewise-constant input.
///
/// ```
/// dx/dt = A·x + u(t),   u constant between events
/// ```
///
/// `A` is n × n in 1/time (the caller's time unit); x and u are in amount and amount/time.
public struct LinearSystem: Sendable {
  /// The system matrix A (1/time).
  public let matrix: Matrix

  /// The number of state variables n.
  public var dimension: Int { matrix.rows }

  /// Creates the system dx/dt = A·x + u.
  public init(matrix: Matrix) {
    precondition(matrix.isSquare, "A linear system needs a square matrix.")
    self.matrix = matrix
  }
}
