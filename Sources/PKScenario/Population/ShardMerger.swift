import Foundation

/// Combines the outputs of the shards of one run (`ketasim merge`) into exactly what one
/// machine would have written: per-subject curves and exposure tables concatenated in shard
/// (so ID) order, summaries recombined from the shards' exact sums, counts and sketches.
///
/// Each input needs its metadata sidecar (`FILE.json`), which says which shard of which run it
/// is; the inputs must be shards 1…N of one run, each once, in any order.
public enum ShardMerger {
  /// Merges `inputs` into `output` (and its sidecar).
  ///
  /// - Throws: `InputError` naming the file for a missing sidecar, shards of different runs
  ///   or kinds, a missing or repeated shard, or an unreadable file.
  public static func merge(inputs: [String], output: String, commandLine: [String]) throws(InputError) {
    guard !inputs.isEmpty else {
      throw InputError(source: "command line", message: "give the shard files to merge")
    }
    var shards: [(shard: Shard, path: String, metadata: RunMetadata)] = []
    for path in inputs {
      let m = try RunMetadata.read(sidecarOf: path)
      let shard: Shard
      do { shard = try Shard(parsing: m.shard) } catch {
        throw InputError(source: RunMetadata.sidecar(of: path), field: "shard", message: error.message)
      }
      if let first = shards.first {
        guard m.kind == first.metadata.kind else {
          throw InputError(
            source: path,
            message:
              "holds \(m.kind), but \(first.path) holds \(first.metadata.kind); merge files of one kind")
        }
        guard m.isSameRun(as: first.metadata), shard.count == first.shard.count
        else {
          throw InputError(
            source: path,
            message:
              "comes from another run than \(first.path) (model, seed, subjects, doses, grid, solver or summary differ)"
          )
        }
      }
      if let same = shards.first(where: { $0.shard.index == shard.index }) {
        throw InputError(
          source: path, message: "is shard \(m.shard), as is \(same.path); give each shard once")
      }
      shards.append((shard, path, m))
    }
    let total = shards[0].shard.count
    let missing = (1...total).filter { k in !shards.contains { $0.shard.index == k } }
    guard missing.isEmpty else {
      throw InputError(
        source: "command line",
        message:
          "shards \(missing.map { "\($0)/\(total)" }.joined(separator: ", ")) are missing; merge needs all \(total)"
      )
    }
    shards.sort { $0.shard.index < $1.shard.index }
    var metadata = shards[0].metadata
    metadata.shard = Shard.whole.text
    metadata.commandLine = commandLine
    metadata.failedSubjects = shards.reduce(0) { $0 + $1.metadata.failedSubjects }
    let sink = try OutputSink(path: output)
    switch metadata.kind {
    case "summary-shard":
      var merged: ShardSummary? = nil
      for s in shards {
        guard let data = FileManager.default.contents(atPath: s.path) else {
          throw InputError(source: s.path, message: "cannot read the shard file")
        }
        let part: ShardSummary
        do {
          part = try JSONDecoder().decode(ShardSummary.self, from: data)
        } catch DecodingError
          .dataCorrupted(let context)
        {
          throw InputError(
            source: s.path, message: "a shard summary this version cannot use: \(context.debugDescription)")
        } catch {
          throw InputError(source: s.path, message: "not a KetaSim shard summary (\(error))")
        }
        let effects = metadata.effects ?? []
        guard part.summary.effectCount == effects.count else {
          throw InputError(
            source: s.path,
            message:
              "summarises \(part.summary.effectCount) effects, but the model has \(effects.count) (\(effects.joined(separator: ", "))); it was written by another version of KetaSim: run the shard again"
          )
        }
        if let first = merged {
          guard first.summary.isMergeable(with: part.summary) && first.times == part.times else {
            throw InputError(
              source: s.path,
              message:
                "its summary has other settings, times or columns than \(shards[0].path)'s; merge shards of one run"
            )
          }
          merged!.summary.merge(part.summary)
        } else {
          merged = part
        }
      }
      let summary = merged!.summary
      guard summary.count > 0 else {
        throw InputError(
          source: shards[0].path,
          message: "no subject of any shard succeeded, so there is no summary to write")
      }
      try sink.write(
        bytes: PopulationCSVWriter().summary(
          columns: metadata.outputs, effects: metadata.effects ?? [], settings: summary.settings,
          timeUnit: metadata.timeUnit,
          times: merged!.times, rows: (0..<summary.timeCount).map { summary.row($0) }))
      metadata.kind = "summary"
    default:
      var header: String? = nil
      for s in shards {
        guard let text = try? String(contentsOfFile: s.path, encoding: .utf8) else {
          throw InputError(source: s.path, message: "cannot read the shard file")
        }
        let firstLine = text.prefix { $0 != "\n" }
        if let header {
          guard header == firstLine else {
            throw InputError(source: s.path, line: 1, message: "its header differs from \(shards[0].path)'s")
          }
          try sink.write(String(text.dropFirst(firstLine.count + 1)))
        } else {
          header = String(firstLine)
          try sink.write(text)
        }
      }
    }
    try sink.finish()
    if !OutputSink.isDevice(output) {
      try AtomicFileWriter.write(metadata.json(), to: RunMetadata.sidecar(of: output))
    }
  }
}
