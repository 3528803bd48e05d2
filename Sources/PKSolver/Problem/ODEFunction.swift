/// The right-hand side of an autonomous system of ordinary differential equations.
///
/// ```
/// dy/dt = f(y),   y ∈ ℝⁿ
/// ```
/// Between two stop times (doses, infusion changes) the input of a pharmacokinetic model is
/// constant, so its right-hand side does not depend on t; the conforming type holds the input.
/// A class, so that integrators share one instance and can change its input between segments.
public protocol ODEFunction: AnyObject {
  /// The number of state variables n.
  var dimension: Int { get }

  /// Writes f(y) into `dy` (n values each). Must not allocate (it runs inside the step loop).
  func evaluate(_ y: UnsafePointer<Double>, into dy: UnsafeMutablePointer<Double>)

  /// Writes the Jacobian J = ∂f/∂y (n × n, column-major) into `jacobian`, given f(y) in `f0`;
  /// `scratch` and `scratch2` are n-long work arrays. The default uses central differences.
  func jacobian(
    _ y: [Double], f0: [Double], into jacobian: inout [Double], scratch: inout [Double],
    scratch2: inout [Double])

  /// Writes the Taylor coefficients of the solution through y,
  ///
  /// ```
  /// y_[0] = y,   y_[k+1] = f_[k]/(k + 1),   f_[k] = the k-th coefficient of f(y(t))
  /// ```
  /// rows k = 0…`order` of n values each (row k at k·n), into `coefficients`, and returns true;
  /// returns false when the function cannot (the default), so that `TaylorSeries` is refused.
  /// Must not allocate after its first call (it runs inside the step loop).
  func taylorCoefficients(
    _ y: UnsafePointer<Double>, order: Int, into coefficients: UnsafeMutablePointer<Double>
  )
    -> Bool

  /// Whether `taylorCoefficients` gives the coefficients (false by default): the automatic
  /// method then integrates with the Taylor series method.
  var givesTaylorCoefficients: Bool { get }
}

extension ODEFunction {
  /// `evaluate` on arrays of n values.
  @inlinable
  public func evaluate(_ y: [Double], into dy: inout [Double]) {
    precondition(y.count >= dimension && dy.count >= dimension, "evaluate needs n values.")
    y.withUnsafeBufferPointer { yp in
      dy.withUnsafeMutableBufferPointer { evaluate(yp.baseAddress!, into: $0.baseAddress!) }
    }
  }

  /// The default: no Taylor coefficients.
  @inlinable
  public func taylorCoefficients(
    _ y: UnsafePointer<Double>, order: Int, into coefficients: UnsafeMutablePointer<Double>
  ) -> Bool { false }

  /// The default: no Taylor coefficients.
  @inlinable
  public var givesTaylorCoefficients: Bool { false }

  /// The default: `centralDifferenceJacobian`.
  @inlinable
  public func jacobian(
    _ y: [Double], f0: [Double], into jacobian: inout [Double], scratch: inout [Double],
    scratch2: inout [Double]
  ) {
    centralDifferenceJacobian(self, y, f0: f0, into: &jacobian, scratch: &scratch, scratch2: &scratch2)
  }
}

/// The Jacobian of `f` at y by central differences, column by column:
///
/// ```
/// J[:, j] ≈ (f(y + δ_j e_j) − f(y − δ_j e_j)) / (2δ_j),   δ_j = ε^(1/3) · max(|y_j|, 1e-5)
/// ```
/// Truncation error O(δ²) and rounding O(ε/δ), both about 1e-11 relative (Press WH et al.,
/// Numerical Recipes, 3rd ed. (2007), §5.7). A Rosenbrock method keeps its order only with the
/// exact Jacobian; with this one it is a W-method whose error estimate still controls the
/// step. `scratch` and `scratch2` are n-long work arrays; `f0` is not used.
@inlinable
public func centralDifferenceJacobian<F: ODEFunction>(
  _ f: F, _ y: [Double], f0: [Double], into jacobian: inout [Double], scratch: inout [Double],
  scratch2: inout [Double]
) {
  let n = f.dimension
  for i in 0..<n { scratch[i] = y[i] }
  for j in 0..<n {
    let delta = 6.055454452393343e-06 * Swift.max(abs(y[j]), 1e-5)  // ε^(1/3)
    scratch[j] = y[j] + delta
    let up = scratch[j]
    f.evaluate(scratch, into: &scratch2)
    for i in 0..<n { jacobian[i + j * n] = scratch2[i] }
    scratch[j] = y[j] - delta
    let step = up - scratch[j]
    f.evaluate(scratch, into: &scratch2)
    for i in 0..<n { jacobian[i + j * n] = (jacobian[i + j * n] - scratch2[i]) / step }
    scratch[j] = y[j]
  }
}
