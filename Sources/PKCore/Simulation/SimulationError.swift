import PKLinearAlgebra

/// A numerical failure while simulating (not a problem with the input).
public enum SimulationError: Error, Equatable, Sendable, CustomStringConvertible {
  /// A propagator could not be computed.
  case linearAlgebra(LinearAlgebraError)
  /// A state became NaN or infinite.
  case nonFinite(time: Double)

  public var description: String {
    switch self {
    case .linearAlgebra(let e): return "the linear algebra failed: \(e)"
    case .nonFinite(let t): return "the solution stopped being finite at t = \(t) h"
    }
  }
}
