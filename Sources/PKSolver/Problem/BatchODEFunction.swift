/// The right-hand sides of a batch of independent systems of the same shape (one per subject),
/// evaluated together.
///
/// ```
/// dY/dt = F(Y),   Y = [y_s]  (n × S, stored subject-fastest: Y[i·S + s])
/// ```
/// Each column must be computed with exactly the operations its subject's own `ODEFunction`
/// would use, so that a subject's result never depends on the batch it is in.
public protocol BatchODEFunction: AnyObject {
  /// The number of state variables n per subject.
  var dimension: Int { get }
  /// The number of subjects S.
  var batchSize: Int { get }
  /// Writes F(Y) into `dy` (both n·S long, subject-fastest). Must not allocate.
  func evaluate(_ y: UnsafePointer<Double>, into dy: UnsafeMutablePointer<Double>)
  /// `evaluate` for the first `lanes` subjects only (the rows keep their length S; the other
  /// columns of `dy` may be left as they are). Must not allocate.
  func evaluate(_ y: UnsafePointer<Double>, into dy: UnsafeMutablePointer<Double>, lanes: Int)
  /// Exchanges everything subjects a and b own (their parameters and inputs): the integrator
  /// moves finished subjects to the end of the batch and back.
  func swapLanes(_ a: Int, _ b: Int)
}

extension BatchODEFunction {
  /// Evaluates every subject (a function without a cheaper form for fewer lanes).
  public func evaluate(_ y: UnsafePointer<Double>, into dy: UnsafeMutablePointer<Double>, lanes: Int) {
    evaluate(y, into: dy)
  }
}
