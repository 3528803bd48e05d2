// The floor of the solver issue's single-subject job on this machine: Dormand–Prince 5(4) and
// DOP853 written out by hand for the one system of Models/examples/parent-metabolite-mm.yaml,
// with the state in one SIMD8<Double> (five lanes used) and nothing generic left: no model
// interpreter, no record engine, no result arrays but one preallocated block. Each does what
// `ketasim` does for `--dose "200 mg oral" --until 24h --every 1min` at rtol 1e-8, atol 1e-12 of
// the dose (the same error norm, step control and starting step as PKSolver's
// `AdaptiveStepper`) and writes the five states at the 1441 output times.
//
//   swiftc -O Scripts/solver-floor.swift -o /tmp/solver-floor && /tmp/solver-floor
//
// (from the repository root: DOP853's coefficients are read from PKSolver's source)
//
// prints, for each method, the steps taken, the parent at 1 h (the same as `ketasim run` to
// the tolerance) and the best and mean time per solve over 20,000 solves, with the 1441 dense
// outputs and (`no outputs`) with only the end point. Benchmarks/README.md says what it showed.
// Time in hours, amounts in mg, volumes in L.
import Dispatch
import Foundation

#if canImport(Glibc)
  import Glibc
#else
  import Darwin
#endif

typealias V = SIMD8<Double>

// The model: depot, central, peripheral, metabolite, eliminated.
let ka = 2.0
let fp = 0.20
let fm = 0.60
let vc = 70.0
let vp = 200.0
let q = 100.0
let vmax = 16.0
let km = 0.2
let fmet = 0.80
let vm = 150.0
let clm = 20.0
let dose = 200.0

@inline(__always) func f(_ y: V) -> V {
  let c = y[1] / vc
  let r = vmax * c / (km + c)
  let absorbed = ka * y[0]
  var d = V()
  d[0] = -absorbed
  d[1] = fp * absorbed - q / vc * y[1] + q / vp * y[2] - r
  d[2] = q / vc * y[1] - q / vp * y[2]
  d[3] = fm * absorbed + fmet * r - clm / vm * y[3]
  d[4] = (1 - fp - fm) * absorbed + (1 - fmet) * r + clm / vm * y[3]
  return d
}

let lanes = V(1, 1, 1, 1, 1, 0, 0, 0)
let rtol = 1e-8
let atol = 1e-12 * dose

/// The scaled RMS norm of e over the five states.
@inline(__always) func norm(_ e: V, _ y0: V, _ y1: V) -> Double {
  let sc = atol + rtol * pointwiseMax(pointwiseMax(y0, -y0), pointwiseMax(y1, -y1))
  let r = e / sc * lanes
  return ((r * r).sum() / 5).squareRoot()
}

/// Hairer, Nørsett & Wanner's starting step (Solving ODEs I, §II.4), as PKSolver's.
func startingStep(_ y: V, _ f0: V, order p: Int, span: Double) -> Double {
  let sc = atol + rtol * pointwiseMax(y, -y)
  let d0 = (((y / sc * lanes) * (y / sc * lanes)).sum() / 5).squareRoot()
  let d1 = (((f0 / sc * lanes) * (f0 / sc * lanes)).sum() / 5).squareRoot()
  let h0 = min((d0 < 1e-5 || d1 < 1e-5) ? 1e-6 : 0.01 * d0 / d1, span)
  let f1 = f(y + h0 * f0)
  let d2 = ((((f1 - f0) / sc * lanes) * ((f1 - f0) / sc * lanes)).sum() / 5).squareRoot() / h0
  let h1 = max(d1, d2) <= 1e-15 ? max(1e-6, h0 * 1e-3) : pow(0.01 / max(d1, d2), 1 / Double(p + 1))
  return min(100 * h0, h1, span)
}

/// The PI controller: h · min(10, max(0.2, 0.9 · err^(−α) · prev^β)) after an accepted step.
struct Controller {
  let alpha: Double, beta: Double
  var previousLog = log(1e-4)
  mutating func accepted(_ h: Double, _ err: Double) -> Double {
    let e = max(err, 1e-10)
    let logE = log(e)
    let factor = 0.9 * exp(-alpha * logE + beta * previousLog)
    previousLog = e >= 1e-4 ? logE : log(1e-4)
    return h * min(10, max(0.2, factor))
  }
  func rejected(_ h: Double, _ err: Double, order q: Double) -> Double {
    h * min(1, max(0.2, 0.9 * pow(max(err, 1e-10), -1 / q)))
  }
}

/// Dormand & Prince's 5(4) pair (Hairer, Nørsett & Wanner, Solving ODEs I, Table II.5.2) and
/// Shampine's dense output, as rows: stage s's a_sj, the weights b, the error weights b − b̂ (with
/// the FSAL stage last) and the dense-output weights d.
enum DP {
  static let rows: [[Double]] = [
    [1 / 5],
    [3 / 40, 9 / 40],
    [44 / 45, -56 / 15, 32 / 9],
    [19372 / 6561, -25360 / 2187, 64448 / 6561, -212 / 729],
    [9017 / 3168, -355 / 33, 46732 / 5247, 49 / 176, -5103 / 18656],
  ]
  static let (a21, a31, a32) = (rows[0][0], rows[1][0], rows[1][1])
  static let (a41, a42, a43) = (rows[2][0], rows[2][1], rows[2][2])
  static let (a51, a52, a53, a54) = (rows[3][0], rows[3][1], rows[3][2], rows[3][3])
  static let (a61, a62, a63, a64, a65) = (rows[4][0], rows[4][1], rows[4][2], rows[4][3], rows[4][4])
  static let weights: [Double] = [35 / 384, 0, 500 / 1113, 125 / 192, -2187 / 6784, 11 / 84]
  static let (b1, b3, b4, b5, b6) = (weights[0], weights[2], weights[3], weights[4], weights[5])
  static let errors: [Double] = [71 / 57600, 0, -71 / 16695, 71 / 1920, -17253 / 339200, 22 / 525, -1 / 40]
  static let (e1, e3, e4, e5, e6, e7) = (errors[0], errors[2], errors[3], errors[4], errors[5], errors[6])
  static let dense: [Double] = [
    -12_715_105_075 / 11_282_082_432, 0, 87_487_479_700 / 32_700_410_799, -10_690_763_975 / 1_880_347_072,
    701_980_252_875 / 199_316_789_632, -1_453_857_185 / 822_651_844, 69_997_945 / 29_380_423,
  ]
  static let (d1, d3, d4, d5) = (dense[0], dense[2], dense[3], dense[4])
  static let (d6, d7) = (dense[5], dense[6])
}

/// Dormand–Prince 5(4) with Shampine's dense output and DOPRI5's controller (β 0.04, α 0.17).
func dp5(_ out: UnsafeMutablePointer<Double>, _ times: [Double]) -> Int {
  var y = V()
  y[0] = dose
  var t = 0.0
  var k1 = f(y)
  let tEnd = times.last!
  var h = startingStep(y, k1, order: 5, span: tEnd)
  var control = Controller(alpha: 0.17, beta: 0.04)
  var next = 0
  var steps = 0
  while next < times.count && times[next] <= 0 {
    for i in 0..<5 { out[5 * next + i] = y[i] }
    next += 1
  }
  while t < tEnd {
    h = min(h, tEnd - t)
    let k2 = f(y + h * (DP.a21 * k1))
    var s = DP.a31 * k1
    s += DP.a32 * k2
    let k3 = f(y + h * s)
    s = DP.a41 * k1
    s += DP.a42 * k2
    s += DP.a43 * k3
    let k4 = f(y + h * s)
    s = DP.a51 * k1
    s += DP.a52 * k2
    s += DP.a53 * k3
    s += DP.a54 * k4
    let k5 = f(y + h * s)
    s = DP.a61 * k1
    s += DP.a62 * k2
    s += DP.a63 * k3
    s += DP.a64 * k4
    s += DP.a65 * k5
    let k6 = f(y + h * s)
    s = DP.b1 * k1
    s += DP.b3 * k3
    s += DP.b4 * k4
    s += DP.b5 * k5
    s += DP.b6 * k6
    let y1 = y + h * s
    let k7 = f(y1)
    s = DP.e1 * k1
    s += DP.e3 * k3
    s += DP.e4 * k4
    s += DP.e5 * k5
    s += DP.e6 * k6
    s += DP.e7 * k7
    let err = norm(h * s, y, y1)
    if err > 1 {
      h = control.rejected(h, err, order: 5)
      continue
    }
    let tNew = t + h
    if next < times.count && times[next] <= tNew {
      let dy = y1 - y
      let bspl = h * k1 - dy
      let r4 = dy - h * k7 - bspl
      s = DP.d1 * k1
      s += DP.d3 * k3
      s += DP.d4 * k4
      s += DP.d5 * k5
      s += DP.d6 * k6
      s += DP.d7 * k7
      let r5 = h * s
      while next < times.count && times[next] <= tNew {
        let theta = (times[next] - t) / h
        let s1 = 1 - theta
        let v = y + theta * (dy + s1 * (bspl + theta * (r4 + s1 * r5)))
        for i in 0..<5 { out[5 * next + i] = v[i] }
        next += 1
      }
    }
    y = y1
    k1 = k7
    t = tNew
    steps += 1
    h = control.accepted(h, err)
  }
  return steps
}

/// DOP853's coefficients, read from PKSolver's `_DOP853Tableau` (Hairer, Nørsett & Wanner,
/// Solving ODEs I, 2nd ed., §II.10), so that both use the same doubles.
enum T {
  static let source: String = {
    let path = "Sources/PKSolver/Adaptive/_DOP853Tableau.swift"
    guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
      fatalError("run from the repository root (\(path) not found)")
    }
    return text
  }()
  /// The numbers of `static let name: [Double] = [ … ]` in the source.
  static func array(_ name: String) -> [Double] {
    guard let start = source.range(of: "static let \(name): [Double] = [") else { fatalError("no \(name)") }
    let rest = source[start.upperBound...]
    let body = rest[..<rest.firstIndex(of: "]")!]
    return body.split(whereSeparator: { $0 == "," || $0 == "\n" || $0 == " " }).map { Double($0)! }
  }
  static let a = array("a"), b = array("b"), e5 = array("e5"), e3 = array("e3"), d = array("d")
  /// Row s of a as (j, a_sj) for the nonzero entries.
  static let rows: [[(Int, Double)]] = (0..<16).map { s in
    (0..<s).compactMap { j in a[s * 16 + j] == 0 ? nil : (j, a[s * 16 + j]) }
  }
}

/// Σ c_j k_j over the nonzero c_j (two partial sums, so that the additions overlap).
@inline(__always) func combine(_ k: UnsafePointer<V>, _ c: [(Int, Double)]) -> V {
  var s0 = V()
  var s1 = V()
  var i = 0
  while i + 1 < c.count {
    s0 += c[i].1 * k[c[i].0]
    s1 += c[i + 1].1 * k[c[i + 1].0]
    i += 2
  }
  if i < c.count { s0 += c[i].1 * k[c[i].0] }
  return s0 + s1
}

let bSparse = T.b.enumerated().compactMap { $0.element == 0 ? nil : ($0.offset, $0.element) }
let e5Sparse = T.e5.enumerated().compactMap { $0.element == 0 ? nil : ($0.offset, $0.element) }
let e3Sparse = T.e3.enumerated().compactMap { $0.element == 0 ? nil : ($0.offset, $0.element) }
let dSparse = (0..<4).map { m in
  (0..<16).compactMap { j in T.d[m * 16 + j] == 0 ? nil : (j, T.d[m * 16 + j]) }
}
let kBlock = UnsafeMutablePointer<V>.allocate(capacity: 16)

/// DOP853 with its 7th-order dense output (three more stages on steps that hold an output) and
/// PKSolver's controller for it (Gustafsson's α = 0.7/8, β = 0.4/8).
func dop853(_ out: UnsafeMutablePointer<Double>, _ times: [Double]) -> Int {
  let k = kBlock
  var y = V()
  y[0] = dose
  var t = 0.0
  k[0] = f(y)
  let tEnd = times.last!
  var h = startingStep(y, k[0], order: 8, span: tEnd)
  var control = Controller(alpha: 0.7 / 8, beta: 0.4 / 8)
  var next = 0
  var steps = 0
  while next < times.count && times[next] <= 0 {
    for i in 0..<5 { out[5 * next + i] = y[i] }
    next += 1
  }
  while t < tEnd {
    h = min(h, tEnd - t)
    for s in 1..<12 { k[s] = f(y + h * combine(k, T.rows[s])) }
    let y1 = y + h * combine(k, bSparse)
    k[12] = f(y1)
    let s5 = combine(k, e5Sparse)
    let s3 = combine(k, e3Sparse)
    let sc = atol + rtol * pointwiseMax(pointwiseMax(y, -y), pointwiseMax(y1, -y1))
    let r5 = s5 / sc * lanes
    let r3 = s3 / sc * lanes
    let err5 = (r5 * r5).sum()
    let err3 = (r3 * r3).sum()
    let err = err5 == 0 && err3 == 0 ? 0 : abs(h) * err5 / (5 * (err5 + 0.01 * err3)).squareRoot()
    if err > 1 {
      h = control.rejected(h, err, order: 8)
      continue
    }
    let tNew = t + h
    if next < times.count && times[next] <= tNew {
      for s in 13..<16 { k[s] = f(y + h * combine(k, T.rows[s])) }
      let dy = y1 - y
      let bspl = h * k[0] - dy
      let r2 = dy - h * k[12] - bspl
      let c0 = h * combine(k, dSparse[0])
      let c1 = h * combine(k, dSparse[1])
      let c2 = h * combine(k, dSparse[2])
      let c3 = h * combine(k, dSparse[3])
      while next < times.count && times[next] <= tNew {
        let theta = (times[next] - t) / h
        let s1 = 1 - theta
        let inner = c0 + theta * (c1 + s1 * (c2 + theta * c3))
        let v = y + theta * (dy + s1 * (bspl + theta * (r2 + s1 * inner)))
        for i in 0..<5 { out[5 * next + i] = v[i] }
        next += 1
      }
    }
    y = y1
    k[0] = k[12]
    t = tNew
    steps += 1
    h = control.accepted(h, err)
  }
  return steps
}

func now() -> Double { Double(DispatchTime.now().uptimeNanoseconds) * 1e-9 }

let grid = (0...1440).map { Double($0) / 60 }
let out = UnsafeMutablePointer<Double>.allocate(capacity: 5 * grid.count)
let repeats = CommandLine.arguments.count > 1 ? Int(CommandLine.arguments[1])! : 20_000
for (name, solve) in [("dp5", dp5), ("dop853", dop853)]
  as [(String, (UnsafeMutablePointer<Double>, [Double]) -> Int)]
{
  for (label, times) in [("1441 outputs", grid), ("no outputs", [0, 24])] {
    let steps = solve(out, times)
    let parent = times.count > 60 ? out[5 * 60 + 1] / vc * 1000 : .nan
    var best = Double.infinity
    var total = 0.0
    for _ in 0..<repeats {
      let t0 = now()
      _ = solve(out, times)
      let dt = now() - t0
      best = min(best, dt)
      total += dt
    }
    print(
      "\(name), \(label): \(steps) steps, parent at 1 h \(parent) ng/mL, best \((best * 1e6 * 10).rounded() / 10) µs, mean \((total / Double(repeats) * 1e6 * 10).rounded() / 10) µs"
    )
  }
}
