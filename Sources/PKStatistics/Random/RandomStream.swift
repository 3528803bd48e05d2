import RealModule

/// A reproducible stream of uniform and normal variates for one subject and one purpose, drawn
/// from Philox4x32-10 so that it depends only on (seed, subject, stream) and on the order of
/// the calls made on it, never on other streams, threads or the order subjects are simulated in.
///
/// ```
/// key     = (seed mod 2³², ⌊seed / 2³²⌋)
/// counter = (b, stream, subject mod 2³², ⌊subject / 2³²⌋)        b = 0, 1, 2, … (block index)
/// words   w_{4b}, …, w_{4b+3} = Philox4x32-10_key(counter)
/// bits    x_k = w_{2k} + 2³²·w_{2k+1}                               (k-th call of nextBits)
/// uniform u_k = (⌊x_k / 2¹²⌋ + ½)·2⁻⁵²  ∈ [2⁻⁵³, 1 − 2⁻⁵³] ⊂ (0, 1)
/// normal  (z, z′) = √(−2 ln u_k)·(cos 2πu_{k+1}, sin 2πu_{k+1})       (Box–Muller)
/// ```
/// Each of the four counter words holds one field in full, so the map (subject, stream, b) →
/// counter is one-to-one: two different (subject, stream) pairs never share a block, for any
/// number of draws up to 2³² blocks (2³³ uniforms) per stream, far beyond any simulation
/// (crossing it is a precondition failure). Use `stream` to separate purposes for one subject,
/// e.g. 0 for the random effects η and 1 for residual error ε, so that adding observations
/// never changes the η drawn.
///
/// The uniforms keep 52 random bits rather than 53: (k + ½)·2⁻⁵³ with k < 2⁵³ is not
/// representable near 1 and rounds to exactly 1 for the largest k, whereas every
/// (k + ½)·2⁻⁵² with k < 2⁵² is a double, strictly between 0 and 1, and 1 − u is one too.
/// `normal()` draws two uniforms, returns the cosine variate and keeps the sine variate for the
/// next call to `normal()`; `uniform()` and `nextBits()` do not touch that spare, so a sequence
/// of calls gives the same numbers every time. The bits and uniforms are identical on every
/// platform; the normals go through the platform's `log`, `cos` and `sin` and may differ in the
/// last bit between C libraries.
///
/// References: J. K. Salmon, M. A. Moraes, R. O. Dror, D. E. Shaw, "Parallel random numbers: as
/// easy as 1, 2, 3", SC'11 (2011); G. E. P. Box, M. E. Muller, "A note on the generation of
/// random normal deviates", Ann. Math. Stat. 29:610–611 (1958).
public struct RandomStream: Sendable {
  /// The run's seed, the generator's key.
  public let seed: UInt64
  /// The subject the stream belongs to.
  public let subject: UInt64
  /// Which of the subject's streams this is.
  public let stream: UInt32

  /// The number of 128-bit blocks one stream can draw, 2³².
  public static let blockLimit: UInt64 = 1 << 32

  private let generator: Philox4x32
  /// The block index b of the next block to compute.
  private var nextBlock: UInt64 = 0
  /// The current block's four words.
  private var words: SIMD4<UInt32> = .zero
  /// How many 64-bit pairs of `words` are still unused (0, 1 or 2).
  private var unusedPairs = 0
  /// The sine variate of the last Box–Muller pair, until `normal()` returns it.
  private var spareNormal: Double? = nil

  /// The stream for `subject` and `stream` in a run with `seed`, at its first draw.
  ///
  /// - Parameters:
  ///   - seed: the run's seed (the CLI's `--seed`).
  ///   - subject: a number that identifies the subject within the run (e.g. its index or ID).
  ///   - stream: the purpose of the draws; 0 by default.
  public init(seed: UInt64, subject: UInt64, stream: UInt32 = 0) {
    self.seed = seed
    self.subject = subject
    self.stream = stream
    self.generator = Philox4x32(key: SIMD2(UInt32(truncatingIfNeeded: seed), UInt32(seed >> 32)))
  }

  /// The next 64 random bits, x_k = w_{2k} + 2³²·w_{2k+1}.
  public mutating func nextBits() -> UInt64 {
    if unusedPairs == 0 {
      precondition(nextBlock < Self.blockLimit, "A RandomStream can draw at most 2³² blocks.")
      let counter = SIMD4(
        UInt32(nextBlock), stream, UInt32(truncatingIfNeeded: subject), UInt32(subject >> 32))
      words = generator.block(counter)
      nextBlock += 1
      unusedPairs = 2
    }
    let first = 4 - 2 * unusedPairs
    unusedPairs -= 1
    return UInt64(words[first]) | UInt64(words[first + 1]) << 32
  }

  /// The next uniform variate in the open interval (0, 1), from 52 random bits.
  ///
  /// ```
  /// u = (⌊x / 2¹²⌋ + ½)·2⁻⁵²,   x = nextBits()
  /// ```
  public mutating func uniform() -> Double {
    Self.openUnitInterval(nextBits())
  }

  /// The next standard normal variate N(0, 1) (Box–Muller, both variates of a pair used).
  ///
  /// ```
  /// r = √(−2 ln u₁),  θ = 2π·u₂:   z = r·cos θ  (returned),   z′ = r·sin θ  (next call)
  /// ```
  /// |z| ≤ √(−2 ln 2⁻⁵³) ≈ 8.57. Box GEP, Muller ME, Ann Math Stat 1958;29:610–611.
  public mutating func normal() -> Double {
    if let z = spareNormal {
      spareNormal = nil
      return z
    }
    let u1 = uniform()
    let u2 = uniform()
    let r = Double.sqrt(-2 * Double.log(u1))
    let theta = 2 * Double.pi * u2
    spareNormal = r * Double.sin(theta)
    return r * Double.cos(theta)
  }

  /// Maps 64 random bits to (0, 1), keeping the top 52: (⌊x / 2¹²⌋ + ½)·2⁻⁵², exactly.
  ///
  /// The result lies in [2⁻⁵³, 1 − 2⁻⁵³]; x and ~x give u and 1 − u.
  public static func openUnitInterval(_ bits: UInt64) -> Double {
    Double(bits >> 12) * 0x1p-52 + 0x1p-53
  }
}
