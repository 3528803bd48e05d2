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
    guard let (u, v, s) = _padeParts() else { return Matrix(rows: rows, columns: rows) }
    var e = try (v - u).solve(2 * u)
    for _ in 0..<s { e = 2 * e + e * e }
    return e
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
