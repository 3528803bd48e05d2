import PKLinearAlgebra
import Testing
import _PKTestSupport

/// `BLASThreads.set`: one thread also stops OpenBLAS's idle workers (`blas_thread_shutdown_`);
/// products stay right afterwards, and after more threads are asked for again (OpenBLAS starts
/// its workers anew).
@Suite struct BLASThreadsTests {
  /// A·B for 96 × 96 random matrices (large enough for OpenBLAS to split it over threads when it
  /// has them) against the triple loop, to 1e-12 relative to the largest entry, under one
  /// thread, then two, then one again.
  @Test func productsStayRightWhenTheWorkersStopAndRestart() {
    var g = SeededGenerator(seed: 96)
    let n = 96
    var a = Matrix(rows: n, columns: n)
    var b = Matrix(rows: n, columns: n)
    for k in a.elements.indices {
      a.elements[k] = Double.random(in: -1...1, using: &g)
      b.elements[k] = Double.random(in: -1...1, using: &g)
    }
    var expected = Matrix(rows: n, columns: n)
    for i in 0..<n {
      for j in 0..<n { expected[i, j] = (0..<n).reduce(0.0) { $0 + a[i, $1] * b[$1, j] } }
    }
    let scale = expected.elements.map(abs).max()!
    for threads in [1, 2, 1] {
      BLASThreads.set(threads)
      let product = a * b
      let worst = zip(product.elements, expected.elements).map { abs($0 - $1) }.max()!
      #expect(worst <= 1e-12 * scale, "\(threads) thread(s): largest difference \(worst)")
    }
  }
}
