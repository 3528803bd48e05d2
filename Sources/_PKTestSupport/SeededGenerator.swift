/// A small, fast, seeded random number generator (SplitMix64), so that "random" test inputs are
/// the same on every run and every platform.
///
/// ```
/// s ← s + 0x9E3779B97F4A7C15
/// z ← (s ⊕ (s ≫ 30)) · 0xBF58476D1CE4E5B9;  z ← (z ⊕ (z ≫ 27)) · 0x94D049BB133111EB;  z ⊕ (z ≫ 31)
/// ```
///
/// Reference: G. L. Steele, D. Lea, C. H. Flood, "Fast splittable pseudorandom number
/// generators", OOPSLA 2014.
public struct SeededGenerator: RandomNumberGenerator, Sendable {
  private var state: UInt64

  /// Creates a generator whose sequence is fixed by `seed`.
  public init(seed: UInt64) {
    self.state = seed
  }

  public mutating func next() -> UInt64 {
    state &+= 0x9E37_79B9_7F4A_7C15
    var z = state
    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    return z ^ (z >> 31)
  }
}
