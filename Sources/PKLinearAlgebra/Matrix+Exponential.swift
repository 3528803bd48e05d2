/// The matrix exponential.
extension Matrix {
  /// The matrix exponential e^A by scaling and squaring with a diagonal Padé approximant.
  ///
  /// ```
  /// e^A = (e^{A / 2^s})^{2^s},   e^{B} ≈ r_m(B) = q_m(B)⁻¹ p_m(B),   m ∈ {3, 5, 7, 9, 13}
  /// ```
  ///
  /// The degree m and the scaling s are chosen from ‖A‖₁ as in Higham (2005), so that the
  /// backward error is at most the unit roundoff 2⁻⁵³. The linear system q_m·R = p_m is solved
  /// by LAPACK `dgesv`; products use BLAS `dgemm`. A singular A (for example a compartment model
  /// with an absorbing "eliminated" state) needs no special case.
  ///
  /// Reference: N. J. Higham, "The scaling and squaring method for the matrix exponential
  /// revisited", SIAM J. Matrix Anal. Appl. 26(4):1179–1193, 2005.
  ///
  /// - Throws: `LinearAlgebraError.nonFinite` for a matrix with NaN or infinity, or the error of
  ///   `dgesv` (q_m is nonsingular in exact arithmetic for the chosen degree).
  /// - Complexity: O(n³ · (m-dependent number of products + s)).
  public func exponential() throws(LinearAlgebraError) -> Matrix {
    precondition(isSquare, "The matrix exponential needs a square matrix.")
    guard isFinite else { throw .nonFinite }
    if rows == 0 { return self }
    if let r = try _smallLowDegree(minusIdentity: false) { return r }
    guard let (u, v, s) = _padeParts() else { return .identity(rows) }
    var r = try (v - u).solve(v + u)
    for _ in 0..<s { r = r * r }
    return r
  }

  /// e^A − I, computed without forming e^A, so that it stays accurate when ‖A‖ is small.
  ///
  /// ```
  /// r_m(B) − I = (V − U)⁻¹ · 2U                    (from r_m = (V − U)⁻¹ (V + U))
  /// E_{k+1} = (I + E_k)² − I = 2 E_k + E_k²        (each squaring, s times)
  /// ```
  ///
  /// Propagating x ← x + (e^{Ah} − I)·x over many short steps then rounds the small increment,
  /// not e^{Ah} itself, so the rounding of a cached propagator does not build up step after
  /// step. For large ‖A‖ prefer `exponential()`: an entry of e^A much smaller than 1 is lost in
  /// I + (e^A − I).
  public func exponentialMinusIdentity() throws(LinearAlgebraError) -> Matrix {
    precondition(isSquare, "The matrix exponential needs a square matrix.")
    guard isFinite else { throw .nonFinite }
    if rows == 0 { return self }
    if let e = try _smallLowDegree(minusIdentity: true) { return e }
    guard let (u, v, s) = _padeParts() else { return Matrix(rows: rows, columns: rows) }
    var e = try (v - u).solve(2 * u)
    for _ in 0..<s { e = 2 * e + e * e }
    return e
  }

  /// r_m(A) (or r_m(A) − I) for a matrix of at most `smallProductLimit` rows whose norm takes a
  /// Padé degree m ≤ 9 without scaling, in one pass over scratch memory on the stack; nil for
  /// any other matrix (the general path then runs).
  ///
  /// ```
  /// U = A·Σ b_{2k+1} A^{2k},  V = Σ b_{2k} A^{2k},   (V − U)·X = V + U  (or 2U for r_m − I)
  /// ```
  /// The same approximant, degree and error bound as the general path (Higham 2005); only the
  /// temporaries differ (the general path allocates a matrix for each, which for the propagator
  /// of a small compartment model, computed anew for every subject of a population, cost more
  /// than the arithmetic), and the linear system is solved by Gaussian elimination with partial
  /// pivoting (as LAPACK `dgesv`, not bit for bit).
  ///
  /// - Throws: `LinearAlgebraError.singular` for a zero pivot.
  func _smallLowDegree(minusIdentity: Bool) throws(LinearAlgebraError) -> Matrix? {
    let n = rows
    guard n <= Matrix.smallProductLimit else { return nil }
    let norm = oneNorm
    guard norm > 0, let m = _Pade.thetas.first(where: { norm <= $0.1 })?.0 else { return nil }
    let b = _Pade.coefficients[m]!
    let nn = n * n
    var result = Matrix(rows: n, columns: n)
    let zeroPivot: Int? = elements.withUnsafeBufferPointer { ap in
      withUnsafeTemporaryAllocation(of: Double.self, capacity: 6 * nn) { scratch in
        // Zeroed once, so that every later write is to initialised memory.
        scratch.initialize(repeating: 0)
        let a = ap.baseAddress!
        let power = scratch.baseAddress!  // A^{2k}, the current even power
        let square = power + nn  // A²
        let next = square + nn  // the next even power
        let uInner = next + nn
        let v = uInner + nn
        let u = v + nn
        // C = X·Y (n × n, column-major), summed over k in order. A zero Y[k, j] adds nothing
        // (X is finite, and C never holds −0), so it is skipped: a propagator's augmented
        // matrix has a zero lower half, and so have its powers.
        func multiply(
          _ x: UnsafePointer<Double>, _ y: UnsafePointer<Double>, into c: UnsafeMutablePointer<Double>
        ) {
          c.update(repeating: 0, count: nn)
          for j in 0..<n {
            for k in 0..<n {
              let ykj = y[k &+ j &* n]
              if ykj == 0 { continue }
              for i in 0..<n { c[i &+ j &* n] += x[i &+ k &* n] * ykj }
            }
          }
        }
        multiply(a, a, into: square)
        // k = 0: A⁰ = I.
        uInner.update(repeating: 0, count: nn)
        v.update(repeating: 0, count: nn)
        for i in 0..<n {
          uInner[i &* (n &+ 1)] = b[1]
          v[i &* (n &+ 1)] = b[0]
        }
        power.update(from: square, count: nn)
        for k in 1...(m / 2) {
          if k > 1 {
            multiply(power, square, into: next)
            power.update(from: next, count: nn)
          }
          for e in 0..<nn {
            uInner[e] += b[2 * k + 1] * power[e]
            v[e] += b[2 * k] * power[e]
          }
        }
        multiply(a, uInner, into: u)
        // (V − U)·X = V + U (or 2U): the system in `next`, the right-hand sides in `power`.
        for e in 0..<nn {
          next[e] = v[e] - u[e]
          power[e] = minusIdentity ? 2 * u[e] : v[e] + u[e]
        }
        if let pivot = Self._solveInPlace(next, power, n: n) { return pivot }
        result.elements.withUnsafeMutableBufferPointer { r in
          for e in 0..<nn { r[e] = power[e] }
        }
        return nil
      }
    }
    if let zeroPivot { throw .singular(pivot: zeroPivot) }
    return result
  }

  /// Solves A·X = B in place (A overwritten by its factors, B by X), n × n with n right-hand
  /// sides, column-major, by Gaussian elimination with partial pivoting; the 1-based index of a
  /// zero pivot (as LAPACK's `info`), or nil.
  static func _solveInPlace(_ a: UnsafeMutablePointer<Double>, _ x: UnsafeMutablePointer<Double>, n: Int)
    -> Int?
  {
    for k in 0..<n {
      // The pivot: the largest magnitude in column k at or below the diagonal.
      var p = k
      var largest = abs(a[k &+ k &* n])
      for i in (k &+ 1)..<Swift.max(n, k &+ 1) where abs(a[i &+ k &* n]) > largest {
        largest = abs(a[i &+ k &* n])
        p = i
      }
      guard largest != 0 else { return k &+ 1 }
      if p != k {
        for j in 0..<n {
          (a[k &+ j &* n], a[p &+ j &* n]) = (a[p &+ j &* n], a[k &+ j &* n])
          (x[k &+ j &* n], x[p &+ j &* n]) = (x[p &+ j &* n], x[k &+ j &* n])
        }
      }
      let pivot = a[k &+ k &* n]
      for i in (k &+ 1)..<Swift.max(n, k &+ 1) {
        let l = a[i &+ k &* n] / pivot
        a[i &+ k &* n] = l
        for j in (k &+ 1)..<Swift.max(n, k &+ 1) { a[i &+ j &* n] -= l * a[k &+ j &* n] }
        for j in 0..<n { x[i &+ j &* n] -= l * x[k &+ j &* n] }
      }
    }
    // Back substitution, each right-hand side.
    for j in 0..<n {
      for i in stride(from: n &- 1, through: 0, by: -1) {
        var s = x[i &+ j &* n]
        for k in (i &+ 1)..<Swift.max(n, i &+ 1) { s -= a[i &+ k &* n] * x[k &+ j &* n] }
        x[i &+ j &* n] = s / a[i &+ i &* n]
      }
    }
    return nil
  }

  /// U and V of the Padé approximant of degree m chosen from ‖A‖₁ (Higham 2005, Algorithm 2.3),
  /// for A / 2^s; nil when A = 0.
  private func _padeParts() -> (u: Matrix, v: Matrix, s: Int)? {
    let norm = oneNorm
    if norm == 0 { return nil }
    for (m, theta) in _Pade.thetas where norm <= theta {
      let (u, v) = _padeLowDegree(m)
      return (u, v, 0)
    }
    var s = 0
    var scaled = norm
    while scaled > _Pade.theta13 {
      scaled /= 2
      s += 1
    }
    let (u, v) = ((1.0 / Double(1 << s)) * self)._pade13()
    return (u, v, s)
  }

  /// The odd and even parts U, V of the degree-m Padé approximant, m in {3, 5, 7, 9}:
  /// U = A·Σ_odd b_k A^{k−1}, V = Σ_even b_k A^k.
  private func _padeLowDegree(_ m: Int) -> (u: Matrix, v: Matrix) {
    let b = _Pade.coefficients[m]!
    let n = rows
    let a2 = self * self
    var powers = [Matrix.identity(n), a2]  // A^0, A^2, A^4, ...
    while powers.count <= m / 2 { powers.append(powers[powers.count - 1] * a2) }
    var uInner = Matrix(rows: n, columns: n)
    var v = Matrix(rows: n, columns: n)
    for k in 0...(m / 2) {
      v = v + b[2 * k] * powers[k]
      uInner = uInner + b[2 * k + 1] * powers[k]
    }
    return (self * uInner, v)
  }

  /// U and V of the degree-13 approximant, with the scheme of Higham (2005), eq. (10.2)–(10.3).
  private func _pade13() -> (u: Matrix, v: Matrix) {
    let b = _Pade.coefficients[13]!
    let n = rows
    let id = Matrix.identity(n)
    let a2 = self * self
    let a4 = a2 * a2
    let a6 = a4 * a2
    let uInner =
      a6 * (b[13] * a6 + b[11] * a4 + b[9] * a2)
      + b[7] * a6 + b[5] * a4 + b[3] * a2 + b[1] * id
    let u = self * uInner
    let v =
      a6 * (b[12] * a6 + b[10] * a4 + b[8] * a2)
      + b[6] * a6 + b[4] * a4 + b[2] * a2 + b[0] * id
    return (u, v)
  }
}

/// Padé coefficients and 1-norm thresholds θ_m of Higham (2005), Table 2.3 and eq. (10.1).
enum _Pade {
  static let thetas: [(Int, Double)] = [
    (3, 1.495585217958292e-2),
    (5, 2.539398330063230e-1),
    (7, 9.504178996162932e-1),
    (9, 2.097847961257068e0),
  ]
  static let theta13 = 5.371920351148152e0
  static let coefficients: [Int: [Double]] = [
    3: [120, 60, 12, 1],
    5: [30240, 15120, 3360, 420, 30, 1],
    7: [17_297_280, 8_648_640, 1_995_840, 277_200, 25_200, 1_512, 56, 1],
    9: [
      17_643_225_600, 8_821_612_800, 2_075_673_600, 302_702_400, 30_270_240, 2_162_160,
      110_880, 3_960, 90, 1,
    ],
    13: [
      64_764_752_532_480_000, 32_382_376_266_240_000, 7_771_770_303_897_600,
      1_187_353_796_428_800, 129_060_195_264_000, 10_559_470_521_600, 670_442_572_800,
      33_522_128_640, 1_323_241_920, 40_840_800, 960_960, 16_380, 182, 1,
    ],
  ]
}
