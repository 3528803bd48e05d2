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
  /// Writes the Taylor coefficients of each of the first `lanes` subjects' solutions through
  /// its column of y (see `ODEFunction.taylorCoefficients`): row k (n × S, subject-fastest) at
  /// k·n·S, rows 0…`order`, each column with exactly the operations of its subject's own
  /// function; returns false when the function cannot (the default), so that
  /// `BatchTaylorSeries` is refused. Must not allocate after its first call.
  func taylorCoefficients(
    _ y: UnsafePointer<Double>, order: Int, into coefficients: UnsafeMutablePointer<Double>, lanes: Int
  ) -> Bool
  /// Whether `taylorCoefficients` gives the coefficients (false by default).
  var givesTaylorCoefficients: Bool { get }
}

extension BatchODEFunction {
  /// Evaluates every subject (a function without a cheaper form for fewer lanes).
  public func evaluate(_ y: UnsafePointer<Double>, into dy: UnsafeMutablePointer<Double>, lanes: Int) {
    evaluate(y, into: dy)
  }

  /// The default: no Taylor coefficients.
  public func taylorCoefficients(
    _ y: UnsafePointer<Double>, order: Int, into coefficients: UnsafeMutablePointer<Double>, lanes: Int
  ) -> Bool { false }

  /// The default: no Taylor coefficients.
  public var givesTaylorCoefficients: Bool { false }
}
