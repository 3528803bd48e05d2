import PKLinearAlgebra
import PKSolver

/// The steady state of a dosing regimen repeated forever, computed exactly.
struct _SteadyState {
  /// The amount (mg) in each compartment at the dose record's time.
  var amounts: [Double]
  /// Infusions of earlier cycles still running at that time: rate (mg/h) and time left (h).
  var runningInfusions: [(rate: Double, remaining: Double)]
}

extension RecordSimulator {
  /// The most earlier cycles whose infusions may still be running (duration / interval).
  static let maximumOverlappingCycles = 10_000

  /// The steady state at time t of doses given at t + L − k·T for k = 1, 2, … (the record's
  /// own dose, at t + L, follows separately).
  ///
  /// A dose started τ ago contributes y(τ) to the state:
  /// ```
  /// bolus a:            y(τ) = Φ(τ)·a·e_c
  /// infusion R over D:  y(τ) = Γ(τ)·R·e_c                 for τ < D (still running)
  ///                     y(τ) = Φ(τ − D)·Γ(D)·R·e_c        for τ ≥ D
  /// ```
  /// With τ_k = k·T − L, the doses still running are summed one by one, and the rest form a
  /// geometric series in Φ(T), summed exactly by solving (I − Φ(T))·S = y(τ_k₀) with LAPACK
  /// (over the compartments; the eliminated amount has no steady state).
  func _periodicSteadyState(
    system s: Int, compartment c: Int, amount: Double, rate: Double?, duration: Double,
    period: Double, lag: Double, line: Int
  ) throws -> _SteadyState {
    let n = model.compartmentCount
    guard period > 0 else {
      throw RecordError(line: line, field: "II", message: "steady state needs an interval II above 0")
    }
    let system = _stepperSystem(s)
    func propagator(_ h: Double) throws -> Propagator {
      do { return try Propagator(system: system, step: h) } catch {
        throw SimulationError.linearAlgebra(error)
      }
    }
    var amounts = [Double](repeating: 0, count: n)
    var running: [(rate: Double, remaining: Double)] = []
    let d = rate == nil ? 0 : duration
    // First cycle already started: τ_k = k·T − L > 0 (≥ 0 for a bolus).
    var k = 1
    while Double(k) * period - lag < 0 || (rate != nil && Double(k) * period - lag == 0) { k += 1 }
    var tau = Double(k) * period - lag
    if let rate {
      var count = 0
      while tau < d {
        let g = try propagator(tau).inputGain
        for i in 0..<n { amounts[i] += g[i, c] * rate }
        running.append((rate, d - tau))
        k += 1
        tau = Double(k) * period - lag
        count += 1
        guard count <= Self.maximumOverlappingCycles else {
          throw RecordError(
            line: line,
            message: "the infusion lasts more than \(Self.maximumOverlappingCycles) dosing intervals")
        }
      }
    }
    // y(τ_k₀) for the first finished dose.
    var y = [Double](repeating: 0, count: n + 1)
    if let rate {
      let g = try propagator(d).inputGain
      var z = [Double](repeating: 0, count: n + 1)
      for i in 0...n { z[i] = g[i, c] * rate }
      if tau - d > 0 {
        try propagator(tau - d).transition.multiply(z, offset: 0, into: &y, offset: 0)
      } else {
        y = z
      }
    } else {
      var z = [Double](repeating: 0, count: n + 1)
      z[c] = amount
      if tau > 0 { try propagator(tau).transition.multiply(z, offset: 0, into: &y, offset: 0) } else { y = z }
    }
    let phi = try propagator(period).transition
    var m = Matrix(rows: n, columns: n)
    for j in 0..<n { for i in 0..<n { m[i, j] = (i == j ? 1 : 0) - phi[i, j] } }
    let tail: [Double]
    do { tail = try m.solve(Array(y[0..<n])) } catch {
      throw RecordError(
        line: line, field: "SS",
        message: "the model has no steady state for repeated doses (\(error)): some drug is never eliminated")
    }
    for i in 0..<n { amounts[i] += tail[i] }
    return _SteadyState(amounts: amounts, runningInfusions: running)
  }

  /// The steady state of a constant infusion `rate` (mg/h) into compartment c (SS = 1 with
  /// AMT = 0, RATE > 0, II = 0): K_r·S = −R·e_c over the compartments.
  func _constantInfusionSteadyState(system s: Int, compartment c: Int, rate: Double, line: Int) throws
    -> _SteadyState
  {
    let n = model.compartmentCount
    let k = _stepperSystem(s).matrix
    var m = Matrix(rows: n, columns: n)
    for j in 0..<n { for i in 0..<n { m[i, j] = k[i, j] } }
    var rhs = [Double](repeating: 0, count: n)
    rhs[c] = -rate
    do {
      return _SteadyState(amounts: try m.solve(rhs), runningInfusions: [])
    } catch {
      throw RecordError(
        line: line, field: "SS",
        message:
          "the model has no steady state for a constant infusion (\(error)): some drug is never eliminated")
    }
  }
}
