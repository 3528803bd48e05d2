/// An adaptive method advancing a batch of subjects together (states n × S, subject-fastest)
/// with per-subject steps, so that each subject's results are those of its own single run, bit
/// for bit, in any batch: `BatchDormandPrince54`, `BatchTaylorSeries`.
///
/// ```
/// restart(at: t) → advance(y, through: outputs, to: T) → … ;  per subject: failures, stiffSubjects
/// ```
public protocol BatchAdaptiveStepper {
  /// The number of subjects S.
  var batchSize: Int { get }
  /// The states written at each output, ascending (all n by default).
  var reported: [Int] { get set }
  /// The most steps a subject takes between two stop times.
  var stepLimit: Int { get set }
  /// Per-subject integration errors (the subject stops; the others go on).
  var failures: [Int: IntegrationError] { get }
  /// Subjects whose stiffness test fired (left where it fired).
  var stiffSubjects: Set<Int> { get }
  /// Forgets every subject's step history (after doses changed the states or inputs).
  mutating func restart(at time: Double)
  /// Advances every subject to `target` (a stop time), writing the `reported` states at each of
  /// `outputs[range]` (+ `offset`) into the subject's own block: subject s's outputs from
  /// `blocks[s] + statesStart` (`reported.count` values per output).
  mutating func advance(
    _ y: inout [Double], through outputs: [Double], range: Range<Int>, offset: Double, to target: Double,
    blocks: UnsafePointer<UnsafeMutablePointer<Double>>, statesStart: Int)
}

extension BatchAdaptiveStepper {
  /// `advance` writing into one array: subject s's block starts at `s · subjectStride`, and
  /// within it the outputs from `statesStart`.
  @inlinable
  public mutating func advance(
    _ y: inout [Double], through outputs: [Double], range: Range<Int>, offset: Double, to target: Double,
    states: inout [Double], subjectStride: Int, statesStart: Int
  ) {
    let S = batchSize
    precondition(
      range.isEmpty || (S - 1) * subjectStride + statesStart + range.count * reported.count <= states.count,
      "The output block is too short.")
    states.withUnsafeMutableBufferPointer { sp in
      let blocks = (0..<S).map { sp.baseAddress! + $0 * subjectStride }
      blocks.withUnsafeBufferPointer {
        advance(
          &y, through: outputs, range: range, offset: offset, to: target, blocks: $0.baseAddress!,
          statesStart: statesStart)
      }
    }
  }
}
