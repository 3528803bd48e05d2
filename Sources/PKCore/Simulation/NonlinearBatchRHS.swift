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
  /// The constant inputs u (n × S, subject-fastest) of the current segment.
  public var input: [Double]
  private let entries: [(row: Int, column: Int)]
  private let entryValues: [Double]  // entry-major: entryValues[e·S + s]
  private let saturable: [(from: Int, to: Int)]
  private let vmax, km, inverseVolume: [Double]  // flow-major: [f·S + s]
  private let expressions: [NonlinearRHS]  // per subject, for rate-expression flows only
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
    input = [Double](repeating: 0, count: m * s)
    var pattern = Set<Int>()
    for r in subjects { for e in r._entries { pattern.insert(e.column * m + e.row) } }
    let ordered = pattern.sorted()  // column-major: the order NonlinearRHS visits its entries
    entries = ordered.map { (row: $0 % m, column: $0 / m) }
    var values = [Double](repeating: 0, count: ordered.count * s)
    for (j, r) in subjects.enumerated() {
      for e in r._entries {
        values[ordered.firstIndex(of: e.column * m + e.row)! * s + j] = e.value
      }
    }
    entryValues = values
    let flows = subjects[0]._saturable
    saturable = flows.map { ($0.from, $0.to) }
    var v = [Double](repeating: 0, count: flows.count * s)
    var k = v
    var w = v
    for (j, r) in subjects.enumerated() {
      for (f, flow) in r._saturable.enumerated() {
        v[f * s + j] = flow.vmax
        k[f * s + j] = flow.km
        w[f * s + j] = flow.inverseVolume
      }
    }
    vmax = v
    km = k
    inverseVolume = w
    expressions = subjects
    hasExpressions = subjects[0]._hasExpressions
    column = [Double](repeating: 0, count: m)
    columnRate = column
  }

  public func evaluate(_ yp: UnsafePointer<Double>, into dp: UnsafeMutablePointer<Double>) {
    let s = batchSize
    let m = dimension
    // Rows rebased once per loop, so that the lane loops index from 0 with no overflow check and
    // vectorise over subjects.
    input.withUnsafeBufferPointer { up in
      dp.update(from: up.baseAddress!, count: m &* s)
    }
    entryValues.withUnsafeBufferPointer { vp in
      for (e, entry) in entries.enumerated() {
        let d = dp + entry.row &* s
        let y = yp + entry.column &* s
        let v = vp.baseAddress! + e &* s
        for j in 0..<s { d[j] += v[j] * y[j] }
      }
    }
    vmax.withUnsafeBufferPointer { vm in
      km.withUnsafeBufferPointer { kp in
        inverseVolume.withUnsafeBufferPointer { iv in
          for (f, flow) in saturable.enumerated() {
            let from = dp + flow.from &* s
            let to = dp + flow.to &* s
            let y = yp + flow.from &* s
            let base = f &* s
            let (vmaxs, kms, ivs) = (vm.baseAddress! + base, kp.baseAddress! + base, iv.baseAddress! + base)
            for j in 0..<s {
              let c = y[j] * ivs[j]
              let r = vmaxs[j] * c / (kms[j] + c)
              from[j] -= r
              to[j] += r
            }
          }
        }
      }
    }
    guard hasExpressions else { return }
    for j in 0..<s {
      for i in 0..<m { column[i] = yp[i * s + j] }
      expressions[j]._addExpressionRates(column, into: &columnRate, start: { i in dp[i * s + j] })
      for i in 0..<m { dp[i * s + j] = columnRate[i] }
    }
  }
}
