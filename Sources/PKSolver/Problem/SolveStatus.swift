/// How a solve ended. Numerical outcomes are values, not thrown errors.
public enum SolveStatus: Sendable, Equatable {
  /// Every requested output was computed and is finite.
  case success
  /// A state became NaN or infinite at the given time; outputs from there on are not valid.
  case nonFinite(time: Double)
}
