/// Why an adaptive integration stopped before its target.
public enum IntegrationError: Error, Sendable, Equatable, CustomStringConvertible {
  /// More steps than the limit were needed between two stop times (a system too stiff for the
  /// method, or a tolerance too tight).
  case stepLimit(time: Double, steps: Int)
  /// The step size fell below what the time's precision can resolve.
  case stepTooSmall(time: Double, step: Double)
  /// The right-hand side gave NaN or infinity even for tiny steps from the state at `time`;
  /// `component` is the first state whose rate of change was not finite (−1 if unknown).
  case nonFinite(time: Double, component: Int)
  /// The iteration matrix of a stiff step could not be factored.
  case singularMatrix(time: Double)

  public var description: String {
    switch self {
    case .stepLimit(let t, let steps):
      return
        "the integrator needed more than \(steps) steps after t = \(t) (too stiff for the method, or a tolerance too tight)"
    case .stepTooSmall(let t, let h):
      return "the step size fell to \(h) at t = \(t), too small to resolve"
    case .nonFinite(let t, let i):
      return "the rates of change became NaN or infinite at t = \(t)" + (i >= 0 ? " (state \(i))" : "")
    case .singularMatrix(let t):
      return "the stiff iteration matrix was singular at t = \(t)"
    }
  }
}
