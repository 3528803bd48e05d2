/// Repeats one cached propagator step over a run of equally spaced outputs, with the state held
/// in registers for systems of up to six compartments.
///
/// ```
/// y = x + (D·x + g)   (increment form, D = Φ − I)      or      y = Φ·x + g
/// sᵢ = gᵢ + Σⱼ A[i, j]·xⱼ   summed in the order j = 0, 1, …, n − 1
/// ```
/// The sums are taken in the same order as `ExactLinearStepper`'s general loop, so every state
/// is the same double either way (a zero last column of D, the eliminated amount's, is left out:
/// its terms add +0 and change no sum). With the dimension a compile-time constant (`InlineArray`),
/// the loops unroll and the state never goes through memory between steps: a step costs the
/// latency of one multiply and n + 1 dependent additions, not n² loads and stores.
enum _RegularSteps {
  /// Writes `count` states after the one at `states[0..<n]`, each `n` values after the last.
  ///
  /// - Parameters:
  ///   - a: D or Φ, column-major, n × n.
  ///   - gain: g = Γ·u, or nil for no input.
  ///   - states: the last written state, followed by room for `count` more.
  ///   - increment: whether `a` is D (steps as x + (D·x + g)) rather than Φ.
  /// - Returns: false (and writes nothing) when n has no fixed-size kernel; the caller then
  ///   takes its general loop.
  @inline(__always)
  static func run(
    dimension n: Int, a: UnsafePointer<Double>, gain: UnsafePointer<Double>?,
    states: UnsafeMutablePointer<Double>, count: Int, increment: Bool
  ) -> Bool {
    // In the increment form the last state's column of D is zero when that state never feeds
    // back (a model's eliminated amount): its terms add +0 to sums that are never −0 (each
    // starts from gᵢ ≥ +0 or a product, and round-to-nearest never gives −0 for a nonzero
    // sum), so leaving them out gives the same doubles, and each step's chain of dependent
    // additions is one shorter.
    let skipLast = increment && n > 1 && (0..<n).allSatisfy { a[$0 &+ (n &- 1) &* n] == 0 }
    switch (n, skipLast) {
    case (1, _):
      _run(InlineArray<1, Double>.self, InlineArray<1, Double>.self, a, gain, states, count, increment)
    case (2, false):
      _run(InlineArray<2, Double>.self, InlineArray<2, Double>.self, a, gain, states, count, increment)
    case (2, true):
      _run(InlineArray<2, Double>.self, InlineArray<1, Double>.self, a, gain, states, count, increment)
    case (3, false):
      _run(InlineArray<3, Double>.self, InlineArray<3, Double>.self, a, gain, states, count, increment)
    case (3, true):
      _run(InlineArray<3, Double>.self, InlineArray<2, Double>.self, a, gain, states, count, increment)
    case (4, false):
      _run(InlineArray<4, Double>.self, InlineArray<4, Double>.self, a, gain, states, count, increment)
    case (4, true):
      _run(InlineArray<4, Double>.self, InlineArray<3, Double>.self, a, gain, states, count, increment)
    case (5, false):
      _run(InlineArray<5, Double>.self, InlineArray<5, Double>.self, a, gain, states, count, increment)
    case (5, true):
      _run(InlineArray<5, Double>.self, InlineArray<4, Double>.self, a, gain, states, count, increment)
    case (6, false):
      _run(InlineArray<6, Double>.self, InlineArray<6, Double>.self, a, gain, states, count, increment)
    case (6, true):
      _run(InlineArray<6, Double>.self, InlineArray<5, Double>.self, a, gain, states, count, increment)
    default: return false
    }
    return true
  }

  /// N states, the increment form's sums over the first J of them (J = N, or N − 1 when D's
  /// last column is zero; the direct form always sums all N, so J = N there).
  @inline(__always)
  static func _run<let N: Int, let J: Int>(
    _: InlineArray<N, Double>.Type, _: InlineArray<J, Double>.Type, _ a: UnsafePointer<Double>,
    _ gain: UnsafePointer<Double>?, _ states: UnsafeMutablePointer<Double>, _ count: Int, _ increment: Bool
  ) {
    var m = InlineArray<N, InlineArray<N, Double>>(repeating: InlineArray(repeating: 0))
    var g = InlineArray<N, Double>(repeating: 0)
    var x = InlineArray<N, Double>(repeating: 0)
    for i in 0..<N {
      for j in 0..<N { m[i][j] = a[i &+ j &* N] }
      if let gain { g[i] = gain[i] }
      x[i] = states[i]
    }
    var out = states + N
    if increment {
      for _ in 0..<count {
        var y = x
        for i in 0..<N {
          var s = g[i]
          for j in 0..<J { s += m[i][j] * x[j] }
          y[i] = x[i] + s
        }
        for i in 0..<N { out[i] = y[i] }
        x = y
        out += N
      }
    } else {
      for _ in 0..<count {
        var y = x
        for i in 0..<N {
          var s = g[i]
          for j in 0..<N { s += m[i][j] * x[j] }
          y[i] = s
        }
        for i in 0..<N { out[i] = y[i] }
        x = y
        out += N
      }
    }
  }
}
