/// Repeats one cached propagator step over a run of equally spaced outputs for a batch of
/// systems, four lanes (subjects) per vector, and writes the outputs of every step.
///
/// ```
/// y_l = x_l + (D_l·x_l + g_l)   (increment form)      or      y_l = Φ_l·x_l + g_l
/// s_i = g_i + Σ_j A[i, j]·x_j   summed in the order j = 0, 1, …, J − 1, lane by lane
/// output o of lane l at each step:  y_l[c_o] · f_o,l
/// ```
/// Each lane's sums are `_RegularSteps`'s, in its order, so every state is the same double as
/// one subject's exact stepper gives; only four lanes share each instruction. A step of one
/// subject is a chain of n + 1 dependent additions; four of them side by side cost about what
/// one did (`_RegularSteps` is bound by that chain's latency, this loop by throughput).
///
/// Layout: lanes contiguous. Element (i, j) of lane l's matrix at (i + j·n)·L + l, state or
/// gain i of lane l at i·L + l, factor o of lane l at o·L + l, output o of lane l at step q at
/// (q·O + o)·L + l. L is a multiple of 4.
enum _BatchRegularSteps {
  /// How the lanes take their steps: all in the increment form, all directly, or each as its
  /// mask says (−1: increment).
  enum Form: Equatable {
    case increment
    case direct
    case mixed
  }

  /// Writes `count` steps' outputs from the states at `states` (updated to the last step's).
  ///
  /// - Parameters:
  ///   - a: D or Φ per lane (see the layout above).
  ///   - gain: g = Γ·u per lane, or nil for no input.
  ///   - masks: per lane −1 for the increment form, 0 for direct (read for `.mixed` only).
  ///   - skipLast: whether the last state never feeds back: its column is zero in every
  ///     increment-form lane's D and e_{n−1} in every direct lane's Φ. Its terms then add ±0 to
  ///     sums that are never −0 (see `_RegularSteps`) and are left out; only the last state's
  ///     own term 1·x_{n−1} of a direct lane remains, and x_{n−1} + s is then its new value in
  ///     either form (s + x = x + s exactly).
  ///   - outputs: the first output row (count rows are written, row q's output o of lane l at
  ///     (q·O + o)·outputStride + l).
  ///   - probes: per lane, a sum that each output adds 0·output to: it turns NaN when an output
  ///     is not finite (no branch per output).
  /// - Returns: false (and writes nothing) when n has no fixed-size kernel (n > 6).
  static func run(
    dimension n: Int, lanes: Int, a: UnsafePointer<Double>, gain: UnsafePointer<Double>?,
    masks: UnsafePointer<Int64>, form: Form, skipLast: Bool, states: UnsafeMutablePointer<Double>,
    count: Int, outputStates: UnsafePointer<Int>, factors: UnsafePointer<Double>, outputCount: Int,
    outputStride: Int, outputs: UnsafeMutablePointer<Double>, probes: UnsafeMutablePointer<Double>
  ) -> Bool {
    precondition(lanes % 4 == 0, "Lanes come in fours.")
    let skip = skipLast && n > 1
    let k = _Kernel(
      lanes: lanes, a: a, gain: gain, masks: masks, form: form, states: states, count: count,
      outputStates: outputStates, factors: factors, outputCount: outputCount, outputStride: outputStride,
      outputs: outputs, probes: probes)
    switch (n, skip) {
    case (1, _): k.run(InlineArray<1, SIMD4<Double>>.self, InlineArray<1, SIMD4<Double>>.self)
    case (2, false): k.run(InlineArray<2, SIMD4<Double>>.self, InlineArray<2, SIMD4<Double>>.self)
    case (2, true): k.run(InlineArray<2, SIMD4<Double>>.self, InlineArray<1, SIMD4<Double>>.self)
    case (3, false): k.run(InlineArray<3, SIMD4<Double>>.self, InlineArray<3, SIMD4<Double>>.self)
    case (3, true): k.run(InlineArray<3, SIMD4<Double>>.self, InlineArray<2, SIMD4<Double>>.self)
    case (4, false): k.run(InlineArray<4, SIMD4<Double>>.self, InlineArray<4, SIMD4<Double>>.self)
    case (4, true): k.run(InlineArray<4, SIMD4<Double>>.self, InlineArray<3, SIMD4<Double>>.self)
    case (5, false): k.run(InlineArray<5, SIMD4<Double>>.self, InlineArray<5, SIMD4<Double>>.self)
    case (5, true): k.run(InlineArray<5, SIMD4<Double>>.self, InlineArray<4, SIMD4<Double>>.self)
    case (6, false): k.run(InlineArray<6, SIMD4<Double>>.self, InlineArray<6, SIMD4<Double>>.self)
    case (6, true): k.run(InlineArray<6, SIMD4<Double>>.self, InlineArray<5, SIMD4<Double>>.self)
    default: return false
    }
    return true
  }

  /// One call's pointers and sizes.
  struct _Kernel {
    let lanes: Int
    let a: UnsafePointer<Double>
    let gain: UnsafePointer<Double>?
    let masks: UnsafePointer<Int64>
    let form: Form
    let states: UnsafeMutablePointer<Double>
    let count: Int
    let outputStates: UnsafePointer<Int>
    let factors: UnsafePointer<Double>
    let outputCount: Int
    let outputStride: Int
    let outputs: UnsafeMutablePointer<Double>
    let probes: UnsafeMutablePointer<Double>

    /// N states, sums over the first J of them; the form chosen once, outside the loops.
    @inline(__always)
    func run<let N: Int, let J: Int>(
      _ n: InlineArray<N, SIMD4<Double>>.Type, _ j: InlineArray<J, SIMD4<Double>>.Type
    ) {
      switch form {
      case .increment: steps(n, j) { x, s, _ in x + s }
      case .direct: steps(n, j) { _, s, _ in s }
      case .mixed: steps(n, j) { x, s, m in (x + s).replacing(with: s, where: .!m) }
      }
    }

    /// Four lanes at a time: their matrices, gains and states held in vectors for the whole
    /// run, `combine(x_i, s_i, mask)` giving the new state i.
    @inline(__always)
    func steps<let N: Int, let J: Int>(
      _: InlineArray<N, SIMD4<Double>>.Type, _: InlineArray<J, SIMD4<Double>>.Type,
      _ combine: (SIMD4<Double>, SIMD4<Double>, SIMDMask<SIMD4<Int64>>) -> SIMD4<Double>
    ) {
      let raw = UnsafeRawPointer(a)
      let rowStride = outputCount &* outputStride
      for l in stride(from: 0, to: lanes, by: 4) {
        var m = InlineArray<N, InlineArray<N, SIMD4<Double>>>(repeating: InlineArray(repeating: .zero))
        var g = InlineArray<N, SIMD4<Double>>(repeating: .zero)
        var x = InlineArray<N, SIMD4<Double>>(repeating: .zero)
        for i in 0..<N {
          for j in 0..<N {
            m[i][j] = raw.loadUnaligned(
              fromByteOffset: ((i &+ j &* N) &* lanes &+ l) &* 8, as: SIMD4<Double>.self)
          }
          if let gain {
            g[i] = UnsafeRawPointer(gain).loadUnaligned(
              fromByteOffset: (i &* lanes &+ l) &* 8, as: SIMD4<Double>.self)
          }
          x[i] = UnsafeRawPointer(states).loadUnaligned(
            fromByteOffset: (i &* lanes &+ l) &* 8, as: SIMD4<Double>.self)
        }
        let mask =
          UnsafeRawPointer(masks).loadUnaligned(fromByteOffset: l &* 8, as: SIMD4<Int64>.self) .!= 0
        var out = UnsafeMutableRawPointer(outputs + l)
        var probe = SIMD4<Double>.zero
        for _ in 0..<count {
          var y = x
          for i in 0..<N {
            var s = g[i]
            for j in 0..<J { s += m[i][j] * x[j] }
            // (With the last column left out, the last state's own term of a direct lane.)
            y[i] = J < N && i == N &- 1 ? x[i] + s : combine(x[i], s, mask)
          }
          x = y
          for o in 0..<outputCount {
            // The output's state picked without indexing the vectors by a run-time number
            // (which would send them through memory at every step).
            let c = outputStates[o]
            var v = x[0]
            for i in 1..<N where i == c { v = x[i] }
            let f = UnsafeRawPointer(factors).loadUnaligned(
              fromByteOffset: (o &* lanes &+ l) &* 8, as: SIMD4<Double>.self)
            let value = v * f
            out.storeBytes(of: value, toByteOffset: o &* outputStride &* 8, as: SIMD4<Double>.self)
            probe += value * 0
          }
          out += rowStride &* 8
        }
        let p = UnsafeMutableRawPointer(probes).loadUnaligned(fromByteOffset: l &* 8, as: SIMD4<Double>.self)
        UnsafeMutableRawPointer(probes).storeBytes(
          of: p + probe, toByteOffset: l &* 8, as: SIMD4<Double>.self)
        for i in 0..<N {
          UnsafeMutableRawPointer(states).storeBytes(
            of: x[i], toByteOffset: (i &* lanes &+ l) &* 8, as: SIMD4<Double>.self)
        }
      }
    }
  }
}
