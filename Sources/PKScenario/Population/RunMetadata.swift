import Foundation
import PKCore

/// The metadata sidecar of a run's output (`FILE.json` beside `FILE`): what produced it, so
/// that a result can be traced and repeated, and so that `ketasim merge` can check that shard
/// files belong to one run and are all there.
public struct RunMetadata: Codable, Sendable, Equatable {
  /// What the file holds: `curves`, `exposure`, `summary` or `summary-shard`.
  public var kind: String
  public var ketasimVersion: String
  /// The command line, word by word.
  public var commandLine: [String]
  /// The model: name, drug, citation.
  public var model: ModelInfo
  /// Every parameter as the model file gives it (value or expression, unit).
  public var parameters: [ParameterInfo]
  /// The random effects and Ω (row-major).
  public var randomEffects: [RandomEffectInfo]
  public var omega: [Double]
  /// The seed of the random draws, if any.
  public var seed: UInt64?
  /// Subjects in the whole population, and this file's shard.
  public var subjects: Int
  public var shard: String
  /// How covariates were drawn (`WT: normal(…)`), or the subjects file.
  public var covariates: [String]
  /// The doses as given.
  public var doses: [String]
  /// The output grid: times in `timeUnit`.
  public var timeUnit: String
  public var outputTimes: Int
  public var outputs: [String]
  /// The model's effects (concentration–effect models, then indirect responses), columns of
  /// the curves and the summary after the outputs; nil when the model has none (the key is then
  /// left out, as in files written before populations carried effects).
  public var effects: [String]?
  /// The integrator.
  public var solver: SolverInfo
  /// The summary settings and how percentiles were computed (`exact` or `DDSketch`, with its
  /// relative-error bound), when the file is a summary.
  public var summary: SummaryInfo?
  /// The subjects that failed (left out).
  public var failedSubjects: Int

  public struct ModelInfo: Codable, Sendable, Equatable {
    public var name: String
    public var drug: String
    public var citation: String
  }

  public struct ParameterInfo: Codable, Sendable, Equatable {
    public var name: String
    public var value: Double?
    public var expression: String?
    public var unit: String
  }

  public struct RandomEffectInfo: Codable, Sendable, Equatable {
    public var parameter: String
    public var distribution: String
    public var variance: Double
    public var source: String
  }

  public struct SolverInfo: Codable, Sendable, Equatable {
    public var method: String
    public var relativeTolerance: Double
    public var absoluteTolerance: Double
  }

  public struct SummaryInfo: Codable, Sendable, Equatable {
    public var percentiles: [Double]
    public var thresholdsNgPerMl: [Double]
    /// `exact (type 7 linear interpolation of the sorted values)` or `DDSketch`.
    public var percentileMethod: String
    /// The guaranteed relative error of sketch percentiles (nil when exact).
    public var relativeErrorBound: Double?
    public var exactLimit: Int

    public init(
      percentiles: [Double], thresholdsNgPerMl: [Double], percentileMethod: String,
      relativeErrorBound: Double?,
      exactLimit: Int
    ) {
      self.percentiles = percentiles
      self.thresholdsNgPerMl = thresholdsNgPerMl
      self.percentileMethod = percentileMethod
      self.relativeErrorBound = relativeErrorBound
      self.exactLimit = exactLimit
    }
  }

  /// The metadata of a run of `model`.
  public init(
    kind: String, version: String, commandLine: [String], model: ModelDefinition, seed: UInt64?,
    subjects: Int,
    shard: Shard, covariates: [String], doses: [String], grid: OutputGrid, solver: SolverOptions,
    summary: SummaryInfo?, failedSubjects: Int
  ) {
    self.kind = kind
    ketasimVersion = version
    self.commandLine = commandLine
    self.model = ModelInfo(name: model.name, drug: model.drug, citation: model.citation)
    parameters = model.parameters.map { p in
      switch p.definition {
      case .value(let v): return ParameterInfo(name: p.name, value: v, expression: nil, unit: p.unit)
      case .expression(_, let text):
        return ParameterInfo(name: p.name, value: nil, expression: text, unit: p.unit)
      }
    }
    let v = model.variability
    randomEffects = v.effects.enumerated().map { k, e in
      RandomEffectInfo(
        parameter: e.parameter, distribution: e.distribution.rawValue, variance: v.covariance(k, k),
        source: e.source)
    }
    omega = v.covariance
    self.seed = seed
    self.subjects = subjects
    self.shard = shard.text
    self.covariates = covariates
    self.doses = doses
    timeUnit = grid.unit.symbol
    outputTimes = grid.times.count
    outputs = model.outputs.map(\.columnName)
    let effectNames = model.effectColumnNames
    effects = effectNames.isEmpty ? nil : effectNames
    self.solver = SolverInfo(
      method: solver.method.rawValue, relativeTolerance: solver.relativeTolerance,
      absoluteTolerance: solver.absoluteTolerance)
    self.summary = summary
    self.failedSubjects = failedSubjects
  }

  /// Whether `other` comes from the same run (all but the shard, the kind's file and the
  /// command line's shard and output options).
  public func isSameRun(as other: RunMetadata) -> Bool {
    var a = self
    var b = other
    (a.shard, b.shard) = ("", "")
    (a.commandLine, b.commandLine) = ([], [])
    (a.failedSubjects, b.failedSubjects) = (0, 0)
    return a == b
  }

  /// The JSON text (sorted keys, pretty-printed).
  public func json() -> String {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
    return String(decoding: try! encoder.encode(self), as: UTF8.self) + "\n"
  }

  /// The sidecar path of `path`.
  public static func sidecar(of path: String) -> String { path + ".json" }

  /// Reads the sidecar of `path`.
  ///
  /// - Throws: `InputError` when it is missing or not KetaSim metadata.
  public static func read(sidecarOf path: String) throws(InputError) -> RunMetadata {
    let side = sidecar(of: path)
    guard let data = FileManager.default.contents(atPath: side) else {
      throw InputError(
        source: path,
        message:
          "its metadata file '\(side)' is missing; merge needs the .json written beside each shard file")
    }
    do { return try JSONDecoder().decode(RunMetadata.self, from: data) } catch {
      throw InputError(source: side, message: "not a KetaSim metadata file (\(error))")
    }
  }
}
