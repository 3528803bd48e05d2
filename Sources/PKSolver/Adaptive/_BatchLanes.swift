/// The per-subject (per-lane) bookkeeping of `BatchDormandPrince54` in raw storage owned by a
/// class: clocks, step sizes, errors, controllers, counters and flags, S of each. Raw pointers
/// keep the per-subject loop free of uniqueness and bounds checks; a copy of the stepper shares
/// them, so each thread makes its own stepper.
@usableFromInline
final class _BatchLanes {
  /// Doubles: clock, next step, step being attempted, error norm, taken flag, absolute and
  /// relative tolerance, norm sum, finiteness flag (9 × S).
  @usableFromInline let doubles: UnsafeMutablePointer<Double>
  /// Integers: attempts in this advance, accepted steps, stiffness counters, next output, next
  /// store, the subject in the lane (7 × S).
  @usableFromInline let integers: UnsafeMutablePointer<Int>
  /// Flags: started, active, lands on the stop time (3 × S).
  @usableFromInline let flags: UnsafeMutablePointer<Bool>
  @usableFromInline let controllers: UnsafeMutablePointer<StepController>
  @usableFromInline let count: Int

  @usableFromInline
  init(count: Int, controller: StepController) {
    self.count = count
    let c = Swift.max(count, 1)
    doubles = .allocate(capacity: 9 * c)
    doubles.initialize(repeating: 0, count: 9 * c)
    integers = .allocate(capacity: 7 * c)
    integers.initialize(repeating: 0, count: 7 * c)
    flags = .allocate(capacity: 3 * c)
    flags.initialize(repeating: false, count: 3 * c)
    controllers = .allocate(capacity: c)
    controllers.initialize(repeating: controller, count: c)
  }

  /// Double vector k (0 ..< 9).
  @inlinable func double(_ k: Int) -> UnsafeMutablePointer<Double> { doubles + k * count }
  /// Integer vector k (0 ..< 7).
  @inlinable func integer(_ k: Int) -> UnsafeMutablePointer<Int> { integers + k * count }
  /// Flag vector k (0 ..< 3).
  @inlinable func flag(_ k: Int) -> UnsafeMutablePointer<Bool> { flags + k * count }

  deinit {
    doubles.deallocate()
    integers.deallocate()
    flags.deallocate()
    controllers.deinitialize(count: Swift.max(count, 1))
    controllers.deallocate()
  }
}
