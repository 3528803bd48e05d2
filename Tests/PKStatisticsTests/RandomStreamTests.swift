import PKStatistics
import RealModule
import Testing
import _PKTestSupport

/// `RandomStream`: its counter layout, reproducibility, independence of other streams, and the
/// moments of its uniforms and normals.
///
/// The statistical checks use N = 100,000 draws and accept an estimate within 5 standard errors
/// of its expectation. A correct generator fails such a check with probability about 6·10⁻⁷;
/// the seeds are fixed, so the result is the same on every run.
@Suite struct RandomStreamTests {
  static let count = 100_000
  /// How many standard errors an estimate may be from its expectation.
  static let standardErrors = 5.0

  // MARK: Layout

  /// Seed 0, subject 0, stream 0 starts at counter (0, 0, 0, 0) with key (0, 0): its first two
  /// 64-bit draws are the first Random123 known answer, low word first.
  @Test func firstBlockIsTheZeroKnownAnswer() {
    var s = RandomStream(seed: 0, subject: 0, stream: 0)
    #expect(s.nextBits() == 0xE169_C58D_6627_E8D5)
    #expect(s.nextBits() == 0x9B00_DBD8_BC57_AC4C)
  }

  /// key = (seed low, seed high), counter = (block, stream, subject low, subject high), as
  /// documented, for the first three blocks.
  @Test func counterLayoutIsAsDocumented() {
    let (seed, subject, stream): (UInt64, UInt64, UInt32) = (0x0123_4567_89AB_CDEF, 0xFEDC_BA98_7654_3210, 42)
    var s = RandomStream(seed: seed, subject: subject, stream: stream)
    let philox = Philox4x32(key: SIMD2(0x89AB_CDEF, 0x0123_4567))
    for block in UInt32(0)..<3 {
      let w = philox.block(SIMD4(block, 42, 0x7654_3210, 0xFEDC_BA98))
      #expect(s.nextBits() == UInt64(w[0]) | UInt64(w[1]) << 32, "block \(block), first pair")
      #expect(s.nextBits() == UInt64(w[2]) | UInt64(w[3]) << 32, "block \(block), second pair")
    }
  }

  // MARK: Reproducibility

  @Test func sameKeyGivesTheSameNumbers() {
    var a = RandomStream(seed: 2024, subject: 17, stream: 1)
    var b = RandomStream(seed: 2024, subject: 17, stream: 1)
    for k in 0..<1000 {
      let (x, y) = (a.nextBits(), b.nextBits())
      #expect(x == y, "draw \(k)")
      if x != y { return }
    }
    let (u, v) = ((0..<100).map { _ in a.uniform() }, (0..<100).map { _ in b.uniform() })
    expectClose(u, v, relativeTolerance: 0)
    let (z, w) = ((0..<101).map { _ in a.normal() }, (0..<101).map { _ in b.normal() })
    expectClose(z, w, relativeTolerance: 0)
  }

  /// Different seeds, subjects or streams give different first blocks, including pairs that a
  /// layout mixing subject and stream (or dropping the subject's high word) would confuse.
  @Test func differentSeedSubjectOrStreamGiveDifferentNumbers() {
    let keys: [(seed: UInt64, subject: UInt64, stream: UInt32)] = [
      (1, 0, 0), (2, 0, 0), (1 << 32, 0, 0),
      (1, 1, 0), (1, 0, 1), (1, 1, 1),
      (1, 1 << 32, 0), (1, 1 << 32 | 1, 0), (1, 0, 0xFFFF_FFFF), (1, 0xFFFF_FFFF, 0),
      (1, .max, .max), (1, 2, 0), (1, 0, 2),
    ]
    let firstDraws = keys.map { key -> [UInt64] in
      var s = RandomStream(seed: key.seed, subject: key.subject, stream: key.stream)
      return (0..<4).map { _ in s.nextBits() }
    }
    for i in keys.indices {
      for j in keys.indices where j > i {
        #expect(firstDraws[i] != firstDraws[j], "\(keys[i]) and \(keys[j])")
      }
    }
  }

  /// The value at call k depends only on the key and k: creating and drawing from other streams
  /// in between, even with the same seed and subject, changes nothing.
  @Test func drawsDoNotDependOnOtherStreams() {
    var alone = RandomStream(seed: 99, subject: 5, stream: 0)
    let reference = (0..<200).map { _ in alone.normal() }

    var interleaved = RandomStream(seed: 99, subject: 5, stream: 0)
    var drawn: [Double] = []
    for k in 0..<200 {
      var other = RandomStream(seed: 99, subject: UInt64(k), stream: 1)
      _ = other.uniform()
      var sibling = RandomStream(seed: 99, subject: 5, stream: UInt32(1 + k % 3))
      _ = (0..<k % 7).map { _ in sibling.normal() }
      drawn.append(interleaved.normal())
    }
    expectClose(drawn, reference, relativeTolerance: 0)
  }

  /// A copy of a stream continues exactly where the original was (value semantics).
  @Test func copiesContinueIndependently() {
    var a = RandomStream(seed: 3, subject: 4, stream: 5)
    _ = a.uniform()
    _ = a.normal()
    var b = a
    let fromA = (0..<9).map { _ in a.normal() }
    let fromB = (0..<9).map { _ in b.normal() }
    expectClose(fromB, fromA, relativeTolerance: 0)
  }

  // MARK: Uniforms

  @Test func openUnitIntervalMapsTheExtremesInsideZeroToOne() {
    let smallest = RandomStream.openUnitInterval(0)
    let largest = RandomStream.openUnitInterval(.max)
    expectClose(smallest, 0x1p-53, relativeTolerance: 0)
    expectClose(largest, 1 - 0x1p-53, relativeTolerance: 0)
    #expect(smallest > 0 && largest < 1)
    // x and its complement give u and 1 − u exactly.
    var g = SeededGenerator(seed: 11)
    for _ in 0..<1000 {
      let x = g.next()
      let (u, v) = (RandomStream.openUnitInterval(x), RandomStream.openUnitInterval(~x))
      expectClose(u + v, 1, relativeTolerance: 0)
      if u + v != 1 { return }
    }
  }

  /// All uniforms lie in (0, 1); mean ½ (SE √(1/12/N)) and variance 1/12 (SE √((1/80 − 1/144)/N),
  /// from the fourth central moment 1/80).
  @Test func uniformsAreInTheOpenIntervalWithTheRightMoments() {
    var s = RandomStream(seed: 20_240_611, subject: 1, stream: 0)
    let u = (0..<Self.count).map { _ in s.uniform() }
    #expect(u.allSatisfy { $0 > 0 && $0 < 1 })
    let n = Double(Self.count)
    let (mean, variance) = Self.meanAndVariance(u)
    expectClose(
      mean, 0.5, relativeTolerance: 0, absoluteTolerance: Self.standardErrors * (1.0 / 12 / n).squareRoot(),
      "mean")
    expectClose(
      variance, 1.0 / 12, relativeTolerance: 0,
      absoluteTolerance: Self.standardErrors * ((1.0 / 80 - 1.0 / 144) / n).squareRoot(), "variance")
  }

  // MARK: Normals

  /// Mean 0 (SE 1/√N), variance 1 (SE √(2/N)), fourth moment 3 (SE √(96/N), since E z⁸ = 105),
  /// and no correlation between the two variates of a Box–Muller pair (SE 1/√(N/2)).
  @Test func normalsHaveTheMomentsOfAStandardNormal() {
    var s = RandomStream(seed: 20_240_611, subject: 2, stream: 3)
    let z = (0..<Self.count).map { _ in s.normal() }
    #expect(z.allSatisfy { $0.isFinite && $0.magnitude < 8.6 })
    let n = Double(Self.count)
    let k = Self.standardErrors
    let (mean, variance) = Self.meanAndVariance(z)
    expectClose(mean, 0, relativeTolerance: 0, absoluteTolerance: k * (1 / n).squareRoot(), "mean")
    expectClose(variance, 1, relativeTolerance: 0, absoluteTolerance: k * (2 / n).squareRoot(), "variance")
    let fourth = z.reduce(0) { $0 + $1 * $1 * $1 * $1 } / n
    expectClose(fourth, 3, relativeTolerance: 0, absoluteTolerance: k * (96 / n).squareRoot(), "E z⁴")
    var pairProduct = 0.0
    for i in stride(from: 0, to: z.count, by: 2) { pairProduct += z[i] * z[i + 1] }
    let pairs = n / 2
    expectClose(
      pairProduct / pairs, 0, relativeTolerance: 0, absoluteTolerance: k / pairs.squareRoot(),
      "E z z′ within a pair")
  }

  /// `normal()` is Box–Muller on the next two uniforms, cosine variate first, and keeps the sine
  /// variate for the next `normal()`; a `uniform()` in between takes the following uniform and
  /// leaves the spare alone.
  @Test func normalIsBoxMullerAndKeepsItsSpareAcrossUniforms() {
    var s = RandomStream(seed: 8, subject: 9, stream: 10)
    let z1 = s.normal()
    let u = s.uniform()
    let z2 = s.normal()
    let z3 = s.normal()

    var t = RandomStream(seed: 8, subject: 9, stream: 10)
    let (u1, u2, u3, u4, u5) = (t.uniform(), t.uniform(), t.uniform(), t.uniform(), t.uniform())
    let r = Double.sqrt(-2 * Double.log(u1))
    expectClose(z1, r * Double.cos(2 * Double.pi * u2), relativeTolerance: 0)
    expectClose(z2, r * Double.sin(2 * Double.pi * u2), relativeTolerance: 0)
    expectClose(u, u3, relativeTolerance: 0)
    expectClose(z3, Double.sqrt(-2 * Double.log(u4)) * Double.cos(2 * Double.pi * u5), relativeTolerance: 0)
  }

  static func meanAndVariance(_ x: [Double]) -> (mean: Double, variance: Double) {
    let n = Double(x.count)
    let mean = x.reduce(0, +) / n
    let variance = x.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / (n - 1)
    return (mean, variance)
  }
}
