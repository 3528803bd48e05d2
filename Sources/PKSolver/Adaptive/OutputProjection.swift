/// What an adaptive stepper writes at each output time instead of the whole state: listed
/// states, each times its factor.
///
/// ```
/// row_j = y[states_j] · factors_j,   j = 0 ..< states.count   (states.count values a row)
/// ```
/// For example the output compartments' amounts (mg) times 1000/V (1/L): concentrations in
/// ng/mL, written by the method's dense output directly. The Taylor method evaluates its
/// series for the listed states only (p multiply-adds per state and time); the others
/// interpolate the whole state and project it.
public struct OutputProjection: Sendable, Equatable {
  /// The states, in the rows' order (a state may appear more than once).
  public let states: [Int]
  /// Each state's factor.
  public let factors: [Double]

  /// - Precondition: one factor per state, no state negative.
  public init(states: [Int], factors: [Double]) {
    precondition(states.count == factors.count, "One factor per projected state.")
    precondition(states.allSatisfy { $0 >= 0 }, "Projected states are indices of the state.")
    self.states = states
    self.factors = factors
  }

  /// Writes the projection of the state at `y` into `row`.
  @inlinable
  func _project(_ y: UnsafePointer<Double>, into row: UnsafeMutablePointer<Double>) {
    states.withUnsafeBufferPointer { listed in
      factors.withUnsafeBufferPointer { f in
        for j in 0..<listed.count { row[j] = y[listed[j]] * f[j] }
      }
    }
  }
}
