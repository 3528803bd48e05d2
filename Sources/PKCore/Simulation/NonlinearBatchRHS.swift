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
    for e in 0..<entryCount {
      let d = dp + entryRows[e] &* s
      let y = yp + entryColumns[e] &* s
      let v = entryValues + e &* s
      for j in 0..<w { d[j] += v[j] * y[j] }
    }
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
