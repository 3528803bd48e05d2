import PKLinearAlgebra

/// Propagators of one linear system, cached by step length.
///
/// Output grids and dosing intervals repeat a handful of step lengths, so each e^{A h} is
/// computed once. Two steps are taken as the same when they differ by no more than the rounding
/// of the times they were computed from (`tolerance`, an absolute time); the integrator then
/// carries the difference between the time asked for and the time advanced, so such
/// differences never accumulate.
public struct PropagatorCache: Sendable {
  /// The system whose propagators are cached.
  public let system: LinearSystem
  /// The most propagators kept; beyond it the oldest entry is replaced.
  public let capacity: Int
  private var entries: [Propagator] = []
  private var steps: [Double] = []
  private var nextVictim = 0

  public init(system: LinearSystem, capacity: Int = 64) {
    precondition(capacity > 0, "A cache needs room for one propagator.")
    self.system = system
    self.capacity = capacity
  }

  /// The number of propagators currently cached.
  public var count: Int { entries.count }

  /// A propagator whose step is within `tolerance` of `step`, computing it when none is cached.
  ///
  /// - Complexity: O(cached entries) to look up (the steps are searched, not the matrices);
  ///   O(n³) to compute a new one.
  public mutating func propagator(for step: Double, tolerance: Double) throws(LinearAlgebraError)
    -> Propagator
  {
    for i in steps.indices where abs(steps[i] - step) <= tolerance { return entries[i] }
    let p = try Propagator(system: system, step: step)
    if entries.count < capacity {
      entries.append(p)
      steps.append(step)
    } else {
      entries[nextVictim] = p
      steps[nextVictim] = step
      nextVictim = (nextVictim + 1) % capacity
    }
    return p
  }
}
