import Dispatch
import PKCore

extension DataSetRunner {
  /// Subjects simulated and formatted together by one worker.
  public static let batchSize = 64

  /// Simulates every subject of `dataSet` and writes the CSV rows to `sink` in subject order,
  /// using up to `threads` threads.
  ///
  /// Subjects are cut into batches; each thread owns a runner (with its own propagator caches)
  /// and formats its batches into bytes; batches are written in order, a few at a time, so
  /// memory stays bounded whatever the number of subjects. The output is identical for any
  /// thread count.
  ///
  /// A subject whose numbers failed (`SimulationError`: the adaptive integrator's step limit, a
  /// rate that is not finite, …) does not stop the others: its rows are left out and its
  /// message is returned, in subject order.
  ///
  /// - Returns: one message per failed subject, `ID <id>: <what failed, when>`.
  /// - Throws: the first `InputError` in subject order (a bad record); nothing after it is
  ///   written.
  @discardableResult
  public func run(
    _ dataSet: DataSet, writer: DataSetCSVWriter, sink: OutputSink, threads: Int
  ) throws -> [String] {
    let threads = max(1, threads)
    let subjects = dataSet.subjects
    let batches = stride(from: 0, to: subjects.count, by: Self.batchSize).map {
      $0..<min($0 + Self.batchSize, subjects.count)
    }
    var runners = [DataSetRunner](repeating: self, count: threads)
    var failures: [String] = []
    let wave = 4 * threads
    var start = 0
    while start < batches.count {
      let count = min(wave, batches.count - start)
      let first = start
      var results = [Result<([UInt8], [String]), any Error>](repeating: .success(([], [])), count: count)
      runners.withUnsafeMutableBufferPointer { runnerBuffer in
        results.withUnsafeMutableBufferPointer { resultBuffer in
          nonisolated(unsafe) let runnersPointer = runnerBuffer
          nonisolated(unsafe) let resultsPointer = resultBuffer
          DispatchQueue.concurrentPerform(iterations: threads) { worker in
            for k in stride(from: worker, to: count, by: threads) {
              var bytes: [UInt8] = []
              var failed: [String] = []
              do {
                for s in batches[first + k] {
                  let records: [DataRecord]
                  let result: SimulationResult
                  do { (records, result) = try runnersPointer[worker].run(subjects[s]) } catch let e
                    as SimulationError
                  {
                    failed.append("ID \(CSVWriter().format(subjects[s].id)): \(e)")
                    continue
                  }
                  try writer.appendRows(records: records, result: result, to: &bytes)
                }
                resultsPointer[k] = .success((bytes, failed))
              } catch {
                resultsPointer[k] = .failure(error)
              }
            }
          }
        }
      }
      for r in results {
        let (bytes, failed) = try r.get()
        try sink.write(bytes: bytes)
        failures += failed
      }
      start += count
    }
    return failures
  }
}
