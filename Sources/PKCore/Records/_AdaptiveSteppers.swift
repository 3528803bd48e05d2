import PKSolver

/// The adaptive steppers a record engine keeps from one run to the next, one per system
/// (parameter set) of the last run, in a box that an engine uses only while it holds the box's
/// only reference.
///
/// A stepper's right-hand side and caches are objects that its steps write into, so two
/// engines must never share one. `RecordSimulator` is a value: a copy (say, on another thread)
/// holds the same box. Each run therefore checks that its box is uniquely referenced and makes
/// a new one otherwise (copy on write, without the copy): a simulator run many times builds
/// its `NonlinearRHS` and stepper once, not at every run (about 5 % of a Taylor solve on the
/// solver issue's scenario). Only the last run's systems are kept: an engine that runs a data
/// set meets new systems subject after subject, and keeping them all would cost memory and a
/// pass over all of them at every run.
final class _AdaptiveSteppers: @unchecked Sendable {
  /// The last run's steppers, each with its system.
  var kept: [(system: Int, stepper: AdaptiveStepper<NonlinearRHS>)] = []
}
