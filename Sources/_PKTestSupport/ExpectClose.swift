import PKLinearAlgebra
import RealModule
import Testing

/// Expects every element of `actual` to be approximately equal to the same element of
/// `expected`, and on failure records one issue naming the worst element.
///
/// Element i passes when
/// ```
/// actual[i].isApproximatelyEqual(to: expected[i], absoluteTolerance: absoluteTolerance,
///                                relativeTolerance: relativeTolerance)
/// ```
/// With the default absolute tolerance of 0, an expected value of exactly 0 needs exactly 0.
///
/// - Parameters:
///   - actual: the values computed by the code under test.
///   - expected: the reference values.
///   - relativeTolerance: the largest accepted |a − e| / max(|a|, |e|); at most 1.
///   - absoluteTolerance: the largest accepted |a − e| whatever the scale; 0 by default so that
///     a tolerance is never loosened without saying so.
///   - comment: what is being compared, shown in the issue.
/// - Returns: the worst relative error (`maxRelativeError`), so that tests can report margins.
@discardableResult
public func expectClose(
  _ actual: [Double], _ expected: [Double], relativeTolerance: Double,
  absoluteTolerance: Double = 0,
  _ comment: Comment? = nil, sourceLocation: SourceLocation = #_sourceLocation
) -> Double {
  guard actual.count == expected.count else {
    Issue.record(
      "\(comment.map { "\($0): " } ?? "")\(actual.count) values, expected \(expected.count)",
      sourceLocation: sourceLocation)
    return .nan
  }
  var failures = 0
  var worstFailure: Int? = nil
  var worstFailureError = 0.0
  for i in actual.indices
  where !actual[i].isApproximatelyEqual(
    to: expected[i], absoluteTolerance: absoluteTolerance, relativeTolerance: relativeTolerance)
  {
    failures += 1
    let e = (actual[i] - expected[i]).magnitude
    if worstFailure == nil || e.isNaN || e > worstFailureError {
      worstFailure = i
      worstFailureError = e
    }
  }
  if let i = worstFailure {
    Issue.record(
      """
      \(comment.map { "\($0): " } ?? "")\(failures) of \(actual.count) values differ; worst at index \
      \(i): \(actual[i]) vs expected \(expected[i]) (relative error \(relativeError(actual[i], expected[i])), \
      tolerances: relative \(relativeTolerance), absolute \(absoluteTolerance))
      """,
      sourceLocation: sourceLocation)
  }
  return maxRelativeError(actual, expected).error
}

/// Expects `actual` to be approximately equal to `expected`; see the array overload.
@discardableResult
public func expectClose(
  _ actual: Double, _ expected: Double, relativeTolerance: Double, absoluteTolerance: Double = 0,
  _ comment: Comment? = nil, sourceLocation: SourceLocation = #_sourceLocation
) -> Double {
  expectClose(
    [actual], [expected], relativeTolerance: relativeTolerance,
    absoluteTolerance: absoluteTolerance,
    comment, sourceLocation: sourceLocation)
}

/// Expects two matrices of the same shape to agree element by element; see the array overload.
///
/// The issue names the worst element by its column-major index; `(row, column)` is
/// `(index % rows, index / rows)`.
@discardableResult
public func expectClose(
  _ actual: Matrix, _ expected: Matrix, relativeTolerance: Double, absoluteTolerance: Double = 0,
  _ comment: Comment? = nil, sourceLocation: SourceLocation = #_sourceLocation
) -> Double {
  guard actual.rows == expected.rows && actual.columns == expected.columns else {
    Issue.record(
      "\(comment.map { "\($0): " } ?? "")shape \(actual.rows)×\(actual.columns), expected \(expected.rows)×\(expected.columns)",
      sourceLocation: sourceLocation)
    return .nan
  }
  return expectClose(
    actual.elements, expected.elements, relativeTolerance: relativeTolerance,
    absoluteTolerance: absoluteTolerance, comment, sourceLocation: sourceLocation)
}
