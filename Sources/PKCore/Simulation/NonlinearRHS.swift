import PKLinearAlgebra
import PKSolver

/// The right-hand side of a compartment model with nonlinear flows, for one subject's
/// parameter values and a constant input.
///
/// ```
/// dA/dt = K·A + u + Σ_flows r(A)·(e_to − e_from)
/// r = Vmax·C/(Km + C),  C = A_from / V_from          (saturable)
/// r = expression(parameters, A_·, C_·)               (general rate, mg/h)
/// ```
/// K holds the linear flows (as for the exact solver); the last state is the amount
/// eliminated, so mass balance holds for any rates. Michaelis L, Menten ML, Biochem Z
/// 1913;49:333-369; in pharmacokinetics e.g. Wagner JG, J Pharmacokinet Biopharm 1973;1:103-121.
///
/// A class (the integrator shares it); each simulation run makes its own, so threads never
/// share one.
public final class NonlinearRHS: ODEFunction, @unchecked Sendable {
  public let dimension: Int
  /// The constant input (mg/h per state) of the current segment: raw storage owned by this
  /// object, so that reading it in the step loop needs no exclusivity check.
  private let _input: UnsafeMutableBufferPointer<Double>
  /// The constant input (mg/h per state) of the current segment.
  public var input: [Double] {
    get { Array(_input) }
    set {
      precondition(newValue.count == dimension, "The input needs one rate per state.")
      for i in 0..<dimension { _input[i] = newValue[i] }
    }
  }
  /// The last evaluation error of a rate expression (its rate was taken as NaN).
  public private(set) var lastError: (flow: String, error: EvaluationError)?

  /// Forgets `lastError`, for a right-hand side used again in a new run.
  func _forgetError() { lastError = nil }

  private let matrix: [Double]
  /// The nonzero entries of K: row, column, value (K is sparse: a few flows per compartment).
  private let entries: [(row: Int, column: Int, value: Double)]
  /// The same entries by row (compressed sparse rows), in raw storage owned by this object:
  /// row i's entries are `rowStart[i]..<rowStart[i + 1]`, in column order. Summing a row in a
  /// register gives the same result, bit for bit, as adding the entries in column order into
  /// `dy` (each row receives the same additions in the same order), without a store and reload
  /// per entry.
  private let rowStart: UnsafeMutablePointer<Int>
  private let rowColumns: UnsafeMutablePointer<Int>
  private let rowValues: UnsafeMutablePointer<Double>
  /// For systems of at most eight states, K's nonzero columns as vectors of eight rows (zeros
  /// below the last state) for `taylorCoefficients`: column q (state `columnStates[q]`) at
  /// `columnValues[q]`. Empty for larger systems.
  private let columnStates: [Int]
  private let columnValues: [SIMD8<Double>]
  private let saturable: [(from: Int, to: Int, vmax: Double, km: Double, inverseVolume: Double)]
  private let expressions: [(from: Int, to: Int, rate: CompiledExpression, text: String)]
  private var buffer: [Double]
  /// Per saturable flow, the Taylor coefficients of its concentration c and of c/(Km + c)
  /// (`TaylorSeries.maximumOrder + 1` each), then each flow's 1/(Km + c_[0]), for
  /// `taylorCoefficients`: made at its first call, so that the other methods never allocate it.
  private var _series: UnsafeMutablePointer<Double>? = nil
  private let slotCount: Int
  private let inverseVolumes: [Double]

  /// - Throws: `ModelError.invalidModel` for a Vmax below 0 or a Km of 0 or less, naming the
  ///   parameter.
  public init(model: CompiledModel, values: [Double], system: LinearSystem, volumes: [Double?])
    throws(ModelError)
  {
    let n = model.compartmentCount
    dimension = n + 1
    _input = .allocate(capacity: n + 1)
    _input.initialize(repeating: 0)
    matrix = system.matrix.elements
    // (The arrays are built with the stored properties' labels: an array of unlabelled tuples
    // assigned to them is converted element by element through a runtime cast.)
    var nonzero: [(row: Int, column: Int, value: Double)] = []
    nonzero.reserveCapacity((n + 1) * (n + 1))
    for j in 0..<(n + 1) {
      for i in 0..<(n + 1) where system.matrix[i, j] != 0 { nonzero.append((i, j, system.matrix[i, j])) }
    }
    entries = nonzero
    // By row, each row in column order: a counting pass over the entries, which come column by
    // column (no sort).
    rowStart = .allocate(capacity: n + 2)
    rowStart.initialize(repeating: 0, count: n + 2)
    rowColumns = .allocate(capacity: Swift.max(nonzero.count, 1))
    rowValues = .allocate(capacity: Swift.max(nonzero.count, 1))
    for entry in nonzero { rowStart[entry.row + 1] += 1 }
    for i in 0..<(n + 1) { rowStart[i + 1] += rowStart[i] }
    var next = [Int](repeating: 0, count: n + 1)
    for i in 0..<(n + 1) { next[i] = rowStart[i] }
    for entry in nonzero {
      rowColumns[next[entry.row]] = entry.column
      rowValues[next[entry.row]] = entry.value
      next[entry.row] += 1
    }
    let columns = n + 1 <= 8 ? (0...n).filter { j in (0...n).contains { system.matrix[$0, j] != 0 } } : []
    columnStates = columns
    columnValues = columns.map { j in
      var v = SIMD8<Double>()
      for i in 0...n { v[i] = system.matrix[i, j] }
      return v
    }
    slotCount = model.slotCount
    inverseVolumes = volumes.map { $0.map { 1 / $0 } ?? 0 }
    var sat: [(from: Int, to: Int, vmax: Double, km: Double, inverseVolume: Double)] = []
    var expr: [(from: Int, to: Int, rate: CompiledExpression, text: String)] = []
    let names = model.definition.parameters
    for f in model.nonlinearFlows {
      switch f.rate {
      case .saturable(let vmaxSlot, let kmSlot, let volumeSlot):
        let vmax = model.canonical(vmaxSlot, values)
        let km = model.canonical(kmSlot, values)
        let name = { (slot: CompiledModel.Slot) in
          names.first { model.graph.graph.slots[$0.name] == slot.index }?.name ?? "?"
        }
        guard vmax >= 0 && vmax.isFinite else {
          throw .invalidModel("Vmax '\(name(vmaxSlot))' is \(vmax) mg/h; expected 0 or more")
        }
        guard km > 0 && km.isFinite else {
          throw .invalidModel("Km '\(name(kmSlot))' is \(km) mg/L; expected a concentration above 0")
        }
        sat.append((f.from, f.to, vmax, km, 1 / model.canonical(volumeSlot, values)))
      case .expression(let e, let text):
        expr.append((f.from, f.to, e, text))
      }
    }
    saturable = sat
    expressions = expr
    buffer = values + [Double](repeating: 0, count: 2 * n)
  }

  deinit {
    _input.deallocate()
    rowStart.deallocate()
    rowColumns.deallocate()
    rowValues.deallocate()
    _series?.deallocate()
  }

  // For `NonlinearBatchRHS`: the pieces a batch lays out per subject.
  var _entries: [(row: Int, column: Int, value: Double)] { entries }
  var _saturable: [(from: Int, to: Int, vmax: Double, km: Double, inverseVolume: Double)] { saturable }
  var _hasExpressions: Bool { !expressions.isEmpty }

  /// Adds the rate-expression flows to the partial derivatives `start(i)` of state `y` (the
  /// linear and saturable parts already summed), writing the totals into `dy`, with the same
  /// operations as `evaluate`.
  func _addExpressionRates(_ y: [Double], into dy: inout [Double], start: (Int) -> Double) {
    for i in 0..<dimension { dy[i] = start(i) }
    y.withUnsafeBufferPointer { yp in
      dy.withUnsafeMutableBufferPointer { _expressionRates(yp.baseAddress!, into: $0.baseAddress!) }
    }
  }

  private func _expressionRates(_ y: UnsafePointer<Double>, into dy: UnsafeMutablePointer<Double>) {
    let n = dimension - 1
    for i in 0..<n {
      buffer[slotCount + i] = y[i]
      buffer[slotCount + n + i] = y[i] * inverseVolumes[i]
    }
    for f in expressions {
      let r: Double
      do { r = try f.rate.evaluate(buffer) } catch {
        // Keep the first cause: later stages fail only because of it.
        if case .nonFiniteInput = error.reason, lastError != nil {} else { lastError = (f.text, error) }
        r = .nan
      }
      dy[f.from] -= r
      if f.to >= 0 { dy[f.to] += r }
    }
  }

  public func evaluate(_ y: UnsafePointer<Double>, into dy: UnsafeMutablePointer<Double>) {
    let m = dimension
    for i in 0..<m {
      var sum = _input[i]
      for e in rowStart[i]..<rowStart[i + 1] { sum += rowValues[e] * y[rowColumns[e]] }
      dy[i] = sum
    }
    saturable.withUnsafeBufferPointer { sp in
      for f in sp {
        let c = y[f.from] * f.inverseVolume
        let r = f.vmax * c / (f.km + c)
        dy[f.from] -= r
        dy[f.to] += r
      }
    }
    guard !expressions.isEmpty else { return }
    _expressionRates(y, into: dy)
  }

  /// The Taylor coefficients of the solution through y (see `ODEFunction.taylorCoefficients`):
  /// the linear flows, the input and the saturable rates; false for a model with rate
  /// expressions.
  ///
  /// ```
  /// y_[k+1] = f_[k]/(k + 1) = (K·y_[k] + [k = 0]·u)/(k + 1) + Σ_flows r_[k]/(k + 1)·(e_to − e_from)
  /// c = A_from/V,   w = c/(Km + c):   w_[k] = (c_[k] − Σ_{j=1}^{k} c_[j]·w_[k−j]) · 1/(Km + c_[0])
  /// r_[k] = Vmax·w_[k]
  /// ```
  /// (the quotient rule of Taylor arithmetic: w·(Km + c) = c, coefficient by coefficient;
  /// Jorba & Zou, Exp. Math. 2005;14:99–117, §2). Mass balance holds for every coefficient.
  /// True unless the model has rate expressions.
  public var givesTaylorCoefficients: Bool { expressions.isEmpty }

  public func taylorCoefficients(
    _ y: UnsafePointer<Double>, order: Int, into coefficients: UnsafeMutablePointer<Double>
  ) -> Bool {
    guard expressions.isEmpty && order <= TaylorSeries.maximumOrder else { return false }
    let m = dimension
    let stride = TaylorSeries.maximumOrder + 1
    let series: UnsafeMutablePointer<Double>
    if let existing = _series {
      series = existing
    } else {
      // c and w of each saturable flow, then each flow's 1/(Km + c_[0]).
      let count = Swift.max(saturable.count * (2 * stride + 1), 1)
      series = .allocate(capacity: count)
      series.initialize(repeating: 0, count: count)
      _series = series
    }
    let reciprocals = series + 2 * saturable.count * stride
    for i in 0..<m { coefficients[i] = y[i] }
    saturable.withUnsafeBufferPointer { sp in
      for k in 0..<order {
        let yk = coefficients + k * m
        let next = yk + m
        // Each term divided by k + 1 where it is written: a pass that scaled the row after the
        // saturable flows' single writes read them back as pairs, which the processor could
        // not forward from the stores (a stall of each order).
        let inverse = 1 / Double(k + 1)
        if m <= 8 {
          // All rows at once, column after column: each row's sum takes the same terms in the
          // same order as the sparse sum below, plus zeros, which change no sum of finite terms.
          var sum = SIMD8<Double>()
          if k == 0 { for i in 0..<m { sum[i] = _input[i] } }
          columnStates.withUnsafeBufferPointer { states in
            columnValues.withUnsafeBufferPointer { values in
              for q in 0..<states.count { sum += values[q] * yk[states[q]] }
            }
          }
          sum *= inverse
          for i in 0..<m { next[i] = sum[i] }
        } else {
          for i in 0..<m {
            var sum = k == 0 ? _input[i] : 0
            for e in rowStart[i]..<rowStart[i + 1] { sum += rowValues[e] * yk[rowColumns[e]] }
            next[i] = sum * inverse
          }
        }
        for s in 0..<sp.count {
          let f = sp[s]
          let c = series + 2 * s * stride
          let w = c + stride
          let ck = yk[f.from] * f.inverseVolume
          c[k] = ck
          if k == 0 { reciprocals[s] = 1 / (f.km + ck) }
          // Σ c_[j]·w_[k−j] in two chains, subtracted from c_[k] at the end: order after order
          // is one chain of latencies, and this sum, one term after another, was its longest
          // link.
          var odd = 0.0
          var even = 0.0
          var j = 1
          while j < k {
            odd += c[j] * w[k - j]
            even += c[j + 1] * w[k - j - 1]
            j += 2
          }
          if j == k { odd += c[j] * w[0] }
          let wk = (ck - (odd + even)) * reciprocals[s]
          w[k] = wk
          let r = f.vmax * wk * inverse
          next[f.from] -= r
          next[f.to] += r
        }
      }
    }
    return true
  }

  /// The Jacobian: K, plus the analytic derivative of each saturable rate,
  /// ∂r/∂A_from = Vmax·Km/(Km + C)² / V; central differences when the model has rate
  /// expressions.
  public func jacobian(
    _ y: [Double], f0: [Double], into jacobian: inout [Double], scratch: inout [Double],
    scratch2: inout [Double]
  ) {
    guard expressions.isEmpty else {
      centralDifferenceJacobian(self, y, f0: f0, into: &jacobian, scratch: &scratch, scratch2: &scratch2)
      return
    }
    let m = dimension
    for k in 0..<(m * m) { jacobian[k] = matrix[k] }
    for f in saturable {
      let c = y[f.from] * f.inverseVolume
      let d = f.vmax * f.km / ((f.km + c) * (f.km + c)) * f.inverseVolume
      jacobian[f.from + f.from * m] -= d
      jacobian[f.to + f.from * m] += d
    }
  }
}
