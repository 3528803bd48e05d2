import PKLinearAlgebra
import PKSolver

/// A numerical failure while simulating (not a problem with the input).
public enum SimulationError: Error, Equatable, Sendable, CustomStringConvertible {
  /// A propagator could not be computed.
  case linearAlgebra(LinearAlgebraError)
  /// A state became NaN or infinite.
  case nonFinite(time: Double)
  /// The adaptive integrator stopped (step limit, step too small, non-finite rate), with what
  /// was known about the quantity that failed.
  case integration(IntegrationError, detail: String)

  public var description: String {
    switch self {
    case .linearAlgebra(let e): return "the linear algebra failed: \(e)"
    case .nonFinite(let t): return "the solution stopped being finite at t = \(t) h"
    case .integration(let e, let detail): return "\(e) (time in h)" + (detail.isEmpty ? "" : "; \(detail)")
    }
  }
}
