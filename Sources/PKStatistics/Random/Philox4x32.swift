/// The counter-based random number generator Philox4x32-10: a keyed bijection of a 128-bit
/// counter, so that block n of a stream is computed directly from n, with no state to carry.
///
/// ```
/// round r (r = 0 … 9), counter X = (X₀, X₁, X₂, X₃), key (k₀, k₁) + r·(W₀, W₁) mod 2³²:
///   (hi₀, lo₀) = M₀·X₀,   (hi₁, lo₁) = M₁·X₂          (64-bit products split in 32-bit halves)
///   X ← (hi₁ ⊕ X₁ ⊕ k₀,  lo₁,  hi₀ ⊕ X₃ ⊕ k₁,  lo₀)
/// M₀ = 0xD2511F53, M₁ = 0xCD9E8D57, W₀ = 0x9E3779B9 (golden ratio), W₁ = 0xBB67AE85 (√3 − 1)
/// ```
/// The authors found seven rounds enough to pass the TestU01 BigCrush battery and recommend ten
/// as a safety margin; the output for counter (0, 0, 0, 0) and key
/// (0, 0) is (0x6627E8D5, 0xE169C58D, 0xBC57AC4C, 0x9B00DBD8), the first of Random123's
/// known-answer vectors.
///
/// Reference: J. K. Salmon, M. A. Moraes, R. O. Dror, D. E. Shaw, "Parallel random numbers: as
/// easy as 1, 2, 3", Proceedings of SC'11 (2011), doi:10.1145/2063384.2063405, § 3.3.
public struct Philox4x32: Sendable, Hashable {
  /// The key (k₀, k₁): which of the 2⁶⁴ bijections this is.
  public var key: SIMD2<UInt32>

  /// The number of rounds, 10.
  public static let rounds = 10

  /// The round multipliers M₀, M₁.
  static let multipliers: (UInt32, UInt32) = (0xD251_1F53, 0xCD9E_8D57)
  /// The key increments W₀, W₁ (Weyl sequence).
  static let keyIncrements: (UInt32, UInt32) = (0x9E37_79B9, 0xBB67_AE85)

  /// The generator for key (k₀, k₁).
  public init(key: SIMD2<UInt32>) {
    self.key = key
  }

  /// The four 32-bit outputs for `counter` (X₀, X₁, X₂, X₃).
  ///
  /// - Complexity: 10 rounds of two 32 × 32 → 64-bit multiplications; no allocation.
  public func block(_ counter: SIMD4<UInt32>) -> SIMD4<UInt32> {
    let (m0, m1) = Self.multipliers
    let (w0, w1) = Self.keyIncrements
    var x = counter
    var k0 = key[0]
    var k1 = key[1]
    for round in 0..<Self.rounds {
      if round > 0 {
        k0 &+= w0
        k1 &+= w1
      }
      let (hi0, lo0) = m0.multipliedFullWidth(by: x[0])
      let (hi1, lo1) = m1.multipliedFullWidth(by: x[2])
      x = SIMD4(hi1 ^ x[1] ^ k0, lo1, hi0 ^ x[3] ^ k1, lo0)
    }
    return x
  }
}
