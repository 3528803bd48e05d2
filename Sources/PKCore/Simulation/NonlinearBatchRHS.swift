import PKLinearAlgebra
import PKSolver

/// The right-hand sides of a batch of subjects of one nonlinear model, evaluated over the batch
/// with states laid out n × S (subject-fastest).
///
/// ```
/// dA_s/dt = K_s·A_s + u_s + Σ_flows r_s(A_s)·(e_to − e_from)      for every subject s
/// ```
/// Per subject, the operations and their order are those of `NonlinearRHS` (input, then the
/// entries of K in column order, then the saturable flows, then the rate expressions), so a
/// subject's result does not depend on its batch. The entries are the union of the subjects'
/// nonzero entries; a subject's zero entry adds an exact zero.
public final class NonlinearBatchRHS: BatchODEFunction, @unchecked Sendable {
  public let dimension: Int
  public let batchSize: Int
  /// The constant inputs u (n × S, subject-fastest) of the current segment, in raw storage
  /// owned by this object (set them before each segment; nothing else writes them).
  public let input: UnsafeMutablePointer<Double>
  // The step loop reads only raw storage, allocated once here: no reference counting per call.
  private let entryCount: Int
  private let entryRows, entryColumns: UnsafeMutablePointer<Int>
  private let entryValues: UnsafeMutablePointer<Double>  // entry-major: entryValues[e·S + s]
  private let flowCount: Int
  private let flowFrom, flowTo: UnsafeMutablePointer<Int>
  private let vmax, km, inverseVolume: UnsafeMutablePointer<Double>  // flow-major: [f·S + s]
  private var expressions: [NonlinearRHS]  // per subject, for rate-expression flows only
  private let hasExpressions: Bool
  private var column: [Double]
  private var columnRate: [Double]
  /// Per saturable flow, the Taylor coefficients of its concentration c and of c/(Km + c)
  /// (`TaylorSeries.maximumOrder + 1` rows of S each), then each flow's 1/(Km + c_[0]) (S),
  /// for `taylorCoefficients`: made at its first call.
  private var _series: UnsafeMutablePointer<Double>? = nil

  /// A batch from one subject's right-hand side each (all of the same model).
  public init(subjects: [NonlinearRHS]) {
    precondition(!subjects.isEmpty, "A batch needs at least one subject.")
    let m = subjects[0].dimension
    let s = subjects.count
    dimension = m
    batchSize = s
    input = .allocate(capacity: m * s)
    input.initialize(repeating: 0, count: m * s)
    var pattern = Set<Int>()
    for r in subjects { for e in r._entries { pattern.insert(e.column * m + e.row) } }
    let ordered = pattern.sorted()  // column-major: the order NonlinearRHS visits its entries
    let position = Dictionary(uniqueKeysWithValues: ordered.enumerated().map { ($0.element, $0.offset) })
    entryCount = ordered.count
    entryRows = .allocate(capacity: Swift.max(ordered.count, 1))
    entryColumns = .allocate(capacity: Swift.max(ordered.count, 1))
    for (e, key) in ordered.enumerated() {
      entryRows[e] = key % m
      entryColumns[e] = key / m
    }
    entryValues = .allocate(capacity: Swift.max(ordered.count * s, 1))
    entryValues.initialize(repeating: 0, count: Swift.max(ordered.count * s, 1))
    for (j, r) in subjects.enumerated() {
      for e in r._entries { entryValues[position[e.column * m + e.row]! * s + j] = e.value }
    }
    let flows = subjects[0]._saturable
    flowCount = flows.count
    flowFrom = .allocate(capacity: Swift.max(flows.count, 1))
    flowTo = .allocate(capacity: Swift.max(flows.count, 1))
    for (f, flow) in flows.enumerated() {
      flowFrom[f] = flow.from
      flowTo[f] = flow.to
    }
    let size = Swift.max(flows.count * s, 1)
    (vmax, km, inverseVolume) = (
      .allocate(capacity: size), .allocate(capacity: size), .allocate(capacity: size)
    )
    for p in [vmax, km, inverseVolume] { p.initialize(repeating: 0, count: size) }
    for (j, r) in subjects.enumerated() {
      for (f, flow) in r._saturable.enumerated() {
        vmax[f * s + j] = flow.vmax
        km[f * s + j] = flow.km
        inverseVolume[f * s + j] = flow.inverseVolume
      }
    }
    expressions = subjects
    hasExpressions = subjects[0]._hasExpressions
    column = [Double](repeating: 0, count: m)
    columnRate = column
  }

  deinit {
    _series?.deallocate()
    for p in [input, entryValues, vmax, km, inverseVolume] { p.deallocate() }
    for p in [entryRows, entryColumns, flowFrom, flowTo] { p.deallocate() }
  }

  public func evaluate(_ yp: UnsafePointer<Double>, into dp: UnsafeMutablePointer<Double>) {
    evaluate(yp, into: dp, lanes: batchSize)
  }

  public func evaluate(_ yp: UnsafePointer<Double>, into dp: UnsafeMutablePointer<Double>, lanes: Int) {
    let s = batchSize
    let m = dimension
    let w = lanes
    // Rows rebased once per loop, so that the lane loops index from 0 with no overflow check and
    // vectorise over subjects.
    for i in 0..<m { (dp + i &* s).update(from: input + i &* s, count: w) }
    _addLinearFlows(yp, into: dp, lanes: w)
    for f in 0..<flowCount {
      let from = dp + flowFrom[f] &* s
      let to = dp + flowTo[f] &* s
      let y = yp + flowFrom[f] &* s
      let base = f &* s
      let (vmaxs, kms, ivs) = (vmax + base, km + base, inverseVolume + base)
      for j in 0..<w {
        let c = y[j] * ivs[j]
        let r = vmaxs[j] * c / (kms[j] + c)
        from[j] -= r
        to[j] += r
      }
    }
    guard hasExpressions else { return }
    for j in 0..<w {
      for i in 0..<m { column[i] = yp[i * s + j] }
      expressions[j]._addExpressionRates(column, into: &columnRate, start: { i in dp[i * s + j] })
      for i in 0..<m { dp[i * s + j] = columnRate[i] }
    }
  }

  /// The Taylor coefficients of each of the first `lanes` subjects (see
  /// `BatchODEFunction.taylorCoefficients`), per subject with the operations of
  /// `NonlinearRHS.taylorCoefficients` in its order:
  ///
  /// ```
  /// y_[k+1] = (K·y_[k] + [k = 0]·u)/(k + 1) + Σ_flows Vmax·w_[k]/(k + 1)·(e_to − e_from)
  /// w_[k] = (c_[k] − (Σ_{j odd} c_[j]·w_[k−j] + Σ_{j even} c_[j]·w_[k−j])) · 1/(Km + c_[0])
  /// ```
  /// each loop running over the subjects (vectorised), so that order after order the batch's
  /// chains of latencies overlap. False for a model with rate expressions. A subject's zero
  /// entry of K adds an exact zero, as in `evaluate`.
  /// True unless the model has rate expressions.
  public var givesTaylorCoefficients: Bool { !hasExpressions }

  public func taylorCoefficients(
    _ y: UnsafePointer<Double>, order: Int, into coefficients: UnsafeMutablePointer<Double>, lanes: Int
  ) -> Bool {
    guard !hasExpressions && order <= TaylorSeries.maximumOrder else { return false }
    let s = batchSize
    let m = dimension
    let w = lanes
    let row = m &* s
    let length = (TaylorSeries.maximumOrder + 1) &* s
    let series: UnsafeMutablePointer<Double>
    if let existing = _series {
      series = existing
    } else {
      let size = Swift.max(flowCount * (2 * length + s), 1)
      series = .allocate(capacity: size)
      series.initialize(repeating: 0, count: size)
      _series = series
    }
    let reciprocals = series + flowCount &* 2 &* length
    for i in 0..<m { (coefficients + i &* s).update(from: y + i &* s, count: w) }
    for k in 0..<order {
      let yk = coefficients + k &* row
      let next = yk + row
      let inverse = 1 / Double(k + 1)
      for i in 0..<m {
        if k == 0 {
          (next + i &* s).update(from: input + i &* s, count: w)
        } else {
          (next + i &* s).update(repeating: 0, count: w)
        }
      }
      _addLinearFlows(yk, into: next, lanes: w)
      for i in 0..<m {
        let d = next + i &* s
        for j in 0..<w { d[j] *= inverse }
      }
      for f in 0..<flowCount {
        let c = series + f &* 2 &* length
        let wv = c + length
        let ck = c + k &* s
        let base = f &* s
        let (vmaxs, kms, ivs, rec) = (vmax + base, km + base, inverseVolume + base, reciprocals + base)
        let x = yk + flowFrom[f] &* s
        for j in 0..<w { ck[j] = x[j] * ivs[j] }
        if k == 0 { for j in 0..<w { rec[j] = 1 / (kms[j] + ck[j]) } }
        let wk = wv + k &* s
        let from = next + flowFrom[f] &* s
        let to = next + flowTo[f] &* s
        // Four subjects at a time with both partial sums in registers, then one at a time: the
        // same operations per subject either way.
        var j = 0
        while j &+ 4 <= w {
          var odd = SIMD4<Double>()
          var even = SIMD4<Double>()
          var q = 1
          while q < k {
            odd += Self._load(c + (q &* s &+ j)) * Self._load(wv + ((k &- q) &* s &+ j))
            even += Self._load(c + ((q &+ 1) &* s &+ j)) * Self._load(wv + ((k &- q &- 1) &* s &+ j))
            q &+= 2
          }
          if q == k { odd += Self._load(c + (q &* s &+ j)) * Self._load(wv + j) }
          let x = (Self._load(ck + j) - (odd + even)) * Self._load(rec + j)
          Self._store(x, wk + j)
          let r = Self._load(vmaxs + j) * x * inverse
          Self._store(Self._load(from + j) - r, from + j)
          Self._store(Self._load(to + j) + r, to + j)
          j &+= 4
        }
        while j < w {
          var odd = 0.0
          var even = 0.0
          var q = 1
          while q < k {
            odd += c[q &* s &+ j] * wv[(k &- q) &* s &+ j]
            even += c[(q &+ 1) &* s &+ j] * wv[(k &- q &- 1) &* s &+ j]
            q &+= 2
          }
          if q == k { odd += c[q &* s &+ j] * wv[j] }
          let x = (ck[j] - (odd + even)) * rec[j]
          wk[j] = x
          let r = vmaxs[j] * x * inverse
          from[j] -= r
          to[j] += r
          j &+= 1
        }
      }
    }
    return true
  }

  /// D += K·Y over the first `lanes` subjects: the entries of K in column order (the order
  /// `NonlinearRHS` visits them), each a loop over the subjects the compiler vectorises.
  @inline(__always)
  private func _addLinearFlows(
    _ y: UnsafePointer<Double>, into d: UnsafeMutablePointer<Double>, lanes w: Int
  ) {
    let s = batchSize
    for e in 0..<entryCount {
      let row = d + entryRows[e] &* s
      let x = y + entryColumns[e] &* s
      let v = entryValues + e &* s
      for j in 0..<w { row[j] += v[j] * x[j] }
    }
  }

  @inline(__always)
  static func _load(_ p: UnsafeMutablePointer<Double>) -> SIMD4<Double> {
    UnsafeRawPointer(p).loadUnaligned(as: SIMD4<Double>.self)
  }

  @inline(__always)
  static func _store(_ v: SIMD4<Double>, _ p: UnsafeMutablePointer<Double>) {
    UnsafeMutableRawPointer(p).storeBytes(of: v, as: SIMD4<Double>.self)
  }

  public func swapLanes(_ a: Int, _ b: Int) {
    let s = batchSize
    for i in 0..<dimension { swap(&input[i * s + a], &input[i * s + b]) }
    for e in 0..<entryCount { swap(&entryValues[e * s + a], &entryValues[e * s + b]) }
    for f in 0..<flowCount {
      swap(&vmax[f * s + a], &vmax[f * s + b])
      swap(&km[f * s + a], &km[f * s + b])
      swap(&inverseVolume[f * s + a], &inverseVolume[f * s + b])
    }
    expressions.swapAt(a, b)
  }
}
