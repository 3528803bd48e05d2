import Testing

@testable import PKCore

/// `FinitenessProbe`: each kind of non-finite value at every position of the eight lanes and of
/// the tail is found, and the extremes of the finite values are not.
@Suite struct FinitenessProbeTests {
  @Test func everyPositionAndKind() {
    for count in 1...17 {
      for position in 0..<count {
        for bad in [Double.nan, .infinity, -.infinity, .signalingNaN] {
          var values = (0..<count).map { Double($0) * 1e300 - 3e300 }
          values[position] = bad
          let finite = values.withUnsafeBufferPointer {
            FinitenessProbe.allFinite($0.baseAddress!, count: count)
          }
          #expect(!finite, "\(bad) at \(position) of \(count)")
        }
      }
    }
  }

  @Test func finiteExtremes() {
    let values: [Double] = [
      0, -0.0, .greatestFiniteMagnitude, -.greatestFiniteMagnitude, .leastNonzeroMagnitude,
      -.leastNormalMagnitude, 1, 2, 3, 4, -.greatestFiniteMagnitude, .greatestFiniteMagnitude, 5, 6,
    ]
    for count in 0...values.count {
      let finite = values.withUnsafeBufferPointer { FinitenessProbe.allFinite($0.baseAddress!, count: count) }
      #expect(finite, "the first \(count)")
    }
  }
}
