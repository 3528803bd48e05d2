/// The accuracy an adaptive integrator is asked for, per component.
///
/// ```
/// scale_i = atol + rtol · max(|y_i(t)|, |y_i(t + h)|)
/// err = √( (1/n) Σ (e_i / scale_i)² ) ≤ 1      (the step is accepted)
/// ```
/// Hairer E, Nørsett SP, Wanner G, Solving Ordinary Differential Equations I, 2nd ed. (1993),
/// §II.4, eq. (4.11).
public struct Tolerance: Sendable, Equatable {
  /// The relative tolerance rtol.
  public var relative: Double
  /// The absolute tolerance atol, in the state's units.
  public var absolute: Double

  public init(relative: Double, absolute: Double) {
    precondition(relative > 0 && absolute > 0, "Tolerances must be above 0.")
    self.relative = relative
    self.absolute = absolute
  }

  /// The scaled RMS norm of `error` for states `y0` and `y1`.
  @inlinable
  public func norm(_ error: [Double], _ y0: [Double], _ y1: [Double]) -> Double {
    precondition(y0.count == error.count && y1.count == error.count, "One error per state.")
    return error.withUnsafeBufferPointer { e in
      y0.withUnsafeBufferPointer { a in
        y1.withUnsafeBufferPointer { b in
          norm(e.baseAddress!, a.baseAddress!, b.baseAddress!, count: error.count)
        }
      }
    }
  }

  /// `norm` over raw storage (`count` values each).
  @inlinable
  public func norm(
    _ error: UnsafePointer<Double>, _ y0: UnsafePointer<Double>, _ y1: UnsafePointer<Double>, count: Int
  ) -> Double {
    var sum = 0.0
    for i in 0..<count {
      let scale = absolute + relative * Swift.max(abs(y0[i]), abs(y1[i]))
      let e = error[i] / scale
      sum += e * e
    }
    return (sum / Double(Swift.max(1, count))).squareRoot()
  }
}
