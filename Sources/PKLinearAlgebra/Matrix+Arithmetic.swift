/// Products, sums and norms of `Matrix`.
extension Matrix {
  /// The matrix product A·B: a hand-written loop when every dimension is at most
  /// `smallProductLimit` (a compartment model's matrices, and the 2n × 2n ones of its propagator,
  /// whose matrix exponential takes several products per subject of a population: there a
  /// `dgemm` call cost more than its arithmetic), BLAS `dgemm` above.
  ///
  /// ```
  /// C[i, j] = Σₖ A[i, k]·B[k, j]   (the small loop sums k = 0, 1, … in order)
  /// ```
  /// - Complexity: O(rows × columns × other.columns).
  public static func * (a: Matrix, b: Matrix) -> Matrix {
    precondition(a.columns == b.rows, "Matrix product needs a.columns == b.rows.")
    var c = Matrix(rows: a.rows, columns: b.columns)
    if a.rows == 0 || b.columns == 0 || a.columns == 0 { return c }
    let limit = Matrix.smallProductLimit
    if a.rows <= limit && a.columns <= limit && b.columns <= limit {
      let (m, n, l) = (a.rows, b.columns, a.columns)
      a.elements.withUnsafeBufferPointer { ap in
        b.elements.withUnsafeBufferPointer { bp in
          c.elements.withUnsafeMutableBufferPointer { cp in
            for j in 0..<n {
              for k in 0..<l {
                let bkj = bp[k &+ j &* l]
                for i in 0..<m { cp[i &+ j &* m] += ap[i &+ k &* m] * bkj }
              }
            }
          }
        }
      }
      return c
    }
    _BLASLAPACK.gemm(a.elements, b.elements, into: &c.elements, m: a.rows, n: b.columns, k: a.columns)
    return c
  }

  /// The element-wise sum A + B.
  public static func + (a: Matrix, b: Matrix) -> Matrix {
    precondition(a.rows == b.rows && a.columns == b.columns, "Matrix sum needs equal shapes.")
    var c = a
    for i in c.elements.indices { c.elements[i] += b.elements[i] }
    return c
  }

  /// The element-wise difference A − B.
  public static func - (a: Matrix, b: Matrix) -> Matrix {
    precondition(a.rows == b.rows && a.columns == b.columns, "Matrix difference needs equal shapes.")
    var c = a
    for i in c.elements.indices { c.elements[i] -= b.elements[i] }
    return c
  }

  /// The scalar multiple s·A.
  public static func * (s: Double, a: Matrix) -> Matrix {
    var c = a
    for i in c.elements.indices { c.elements[i] *= s }
    return c
  }

  /// The matrix–vector product A·x, as a new array.
  public func multiplied(by x: [Double]) -> [Double] {
    var y = [Double](repeating: 0, count: rows)
    multiply(x, offset: 0, into: &y, offset: 0)
    return y
  }

  /// Writes y[yOffset ..< yOffset + rows] = A · x[xOffset ..< xOffset + columns], or adds
  /// A·x to what is there when `accumulate` is true.
  ///
  /// Small matrices (up to `smallKernelLimit` rows) use a hand-written loop, which beats the
  /// call overhead of BLAS `dgemv` at the sizes of compartment models; larger ones call `dgemv`
  /// (Benchmarks/README.md: the loop wins at 4 states, BLAS from 8 on).
  /// Benchmarks/README.md compares both paths. It does not allocate.
  @inlinable
  public func multiply(
    _ x: [Double], offset xOffset: Int, into y: inout [Double], offset yOffset: Int,
    accumulate: Bool = false
  ) {
    precondition(xOffset >= 0 && xOffset + columns <= x.count, "x is too short.")
    precondition(yOffset >= 0 && yOffset + rows <= y.count, "y is too short.")
    if rows <= Matrix.smallKernelLimit {
      _smallMultiply(x, xOffset, &y, yOffset, accumulate)
    } else {
      _blasMultiply(x, xOffset, &y, yOffset, accumulate)
    }
  }

  /// Largest row count handled by the hand-written matrix–vector loop.
  public static let smallKernelLimit = 6

  /// Largest dimension handled by the hand-written matrix–matrix loop (the augmented matrix of
  /// a six-compartment model's propagator, with its eliminated state, is 14 × 14).
  public static let smallProductLimit = 14

  @usableFromInline
  func _smallMultiply(_ x: [Double], _ xo: Int, _ y: inout [Double], _ yo: Int, _ accumulate: Bool) {
    let m = rows
    let n = columns
    elements.withUnsafeBufferPointer { a in
      x.withUnsafeBufferPointer { xs in
        y.withUnsafeMutableBufferPointer { ys in
          if !accumulate { for i in 0..<m { ys[yo + i] = 0 } }
          for j in 0..<n {
            let xj = xs[xo + j]
            let col = j * m
            for i in 0..<m { ys[yo + i] += a[col + i] * xj }
          }
        }
      }
    }
  }

  @usableFromInline
  func _blasMultiply(_ x: [Double], _ xo: Int, _ y: inout [Double], _ yo: Int, _ accumulate: Bool) {
    _BLASLAPACK.gemv(
      elements, m: rows, n: columns, x, xOffset: xo, into: &y, yOffset: yo,
      beta: accumulate ? 1 : 0)
  }

  /// Writes y = A·x + c, or y = x + (A·x + c) when `increment` is true, for a square A; `c`
  /// may be nil (no addition). The sum for each row is formed first and added once.
  ///
  /// The one-pass kernel of a propagation step: small matrices use a row-wise loop without
  /// allocation (the compartment models' 3–6 states), larger ones BLAS `dgemv`.
  @inlinable
  public func multiply(_ x: [Double], adding c: [Double]?, increment: Bool, into y: inout [Double]) {
    let n = rows
    precondition(isSquare && x.count >= n && y.count >= n && (c?.count ?? n) >= n, "Bad sizes.")
    if n > Matrix.smallKernelLimit {
      if let c { for i in 0..<n { y[i] = c[i] } } else { for i in 0..<n { y[i] = 0 } }
      _blasMultiply(x, 0, &y, 0, true)
      if increment { for i in 0..<n { y[i] += x[i] } }
      return
    }
    elements.withUnsafeBufferPointer { a in
      x.withUnsafeBufferPointer { xs in
        y.withUnsafeMutableBufferPointer { ys in
          if let c {
            c.withUnsafeBufferPointer { cs in
              for i in 0..<n {
                var s = cs[i]
                for j in 0..<n { s += a[i &+ j &* n] * xs[j] }
                ys[i] = increment ? xs[i] + s : s
              }
            }
          } else {
            for i in 0..<n {
              var s = 0.0
              for j in 0..<n { s += a[i &+ j &* n] * xs[j] }
              ys[i] = increment ? xs[i] + s : s
            }
          }
        }
      }
    }
  }

  /// Writes y = A·x through BLAS `dgemv` whatever the size (for benchmarks comparing paths).
  public func multiplyWithBLAS(_ x: [Double], into y: inout [Double]) {
    _blasMultiply(x, 0, &y, 0, false)
  }

  /// The 1-norm: the largest absolute column sum, ‖A‖₁ = max_j Σ_i |a_ij|.
  public var oneNorm: Double {
    var best = 0.0
    for j in 0..<columns {
      var s = 0.0
      for i in 0..<rows { s += abs(self[i, j]) }
      best = Swift.max(best, s)
    }
    return best
  }

  /// Whether every element is finite.
  public var isFinite: Bool { elements.allSatisfy { $0.isFinite } }
}
