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
  /// - Throws: the first error in subject order (`InputError` for a bad record,
  ///   `SimulationError` for a numerical failure); nothing after it is written.
  public func run(
    _ dataSet: DataSet, writer: DataSetCSVWriter, sink: OutputSink, threads: Int
  ) throws {
    let threads = max(1, threads)
    let subjects = dataSet.subjects
    let batches = stride(from: 0, to: subjects.count, by: Self.batchSize).map {
      $0..<min($0 + Self.batchSize, subjects.count)
    }
    var runners = [DataSetRunner](repeating: self, count: threads)
    let wave = 4 * threads
    var start = 0
    while start < batches.count {
      let count = min(wave, batches.count - start)
      let first = start
      var results = [Result<[UInt8], any Error>](repeating: .success([]), count: count)
      runners.withUnsafeMutableBufferPointer { runnerBuffer in
        results.withUnsafeMutableBufferPointer { resultBuffer in
          nonisolated(unsafe) let runnersPointer = runnerBuffer
          nonisolated(unsafe) let resultsPointer = resultBuffer
          DispatchQueue.concurrentPerform(iterations: threads) { worker in
            for k in stride(from: worker, to: count, by: threads) {
              var bytes: [UInt8] = []
              do {
                for s in batches[first + k] {
                  let (records, result) = try runnersPointer[worker].run(subjects[s])
                  try writer.appendRows(records: records, result: result, to: &bytes)
                }
                resultsPointer[k] = .success(bytes)
              } catch {
                resultsPointer[k] = .failure(error)
              }
            }
          }
        }
      }
      for r in results { try sink.write(bytes: try r.get()) }
      start += count
    }
  }
}
