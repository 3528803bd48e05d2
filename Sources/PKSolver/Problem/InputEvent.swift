/// Something that happens to a linear system at one instant: impulses added to the state
/// and, optionally, a new constant input vector from this instant on.
///
/// Events are the integrator's stop times: no step ever straddles one.
public struct InputEvent: Sendable, Equatable {
  /// When the event happens (the system's time unit).
  public var time: Double
  /// Amounts added to state components at `time`: (component index, amount).
  public var impulses: [Impulse]
  /// The input vector u that holds from `time` until the next event that sets one,
  /// or nil to keep the current input.
  public var input: [Double]?

  /// An amount added instantly to one state component.
  public struct Impulse: Sendable, Equatable {
    /// The index of the state component.
    public var component: Int
    /// The amount added (the state's amount unit).
    public var amount: Double
    public init(component: Int, amount: Double) {
      self.component = component
      self.amount = amount
    }
  }

  public init(time: Double, impulses: [Impulse] = [], input: [Double]? = nil) {
    self.time = time
    self.impulses = impulses
    self.input = input
  }
}
