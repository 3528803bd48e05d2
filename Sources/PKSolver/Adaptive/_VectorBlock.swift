/// Vectors of one length in one zeroed block of raw memory, owned by a class: the caches of the
/// adaptive methods. Raw pointers keep the stage loops free of bounds and uniqueness checks (so
/// they vectorise); a copy of a method that holds a block shares it, so each integrator (each
/// thread) makes its own.
@usableFromInline
final class _VectorBlock {
  @usableFromInline let base: UnsafeMutablePointer<Double>
  /// The length of each vector (at least 1, so that an empty system still has storage).
  @usableFromInline let length: Int

  /// `count` vectors of `length` doubles, then `extra` more doubles.
  @usableFromInline
  init(count: Int, length: Int, extra: Int = 0) {
    self.length = Swift.max(length, 1)
    let size = count * self.length + extra
    base = .allocate(capacity: Swift.max(size, 1))
    base.initialize(repeating: 0, count: Swift.max(size, 1))
  }

  /// Vector k.
  @inlinable func vector(_ k: Int) -> UnsafeMutablePointer<Double> { base + k * length }

  deinit { base.deallocate() }
}
