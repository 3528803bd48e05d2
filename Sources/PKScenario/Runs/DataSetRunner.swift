import PKCore

/// Runs a NONMEM-style data set through a model: one output row per record, in input order,
/// like NONMEM's `$TABLE`, plus, on request, a regular grid of added output rows per subject
/// (mrgsolve's `obsaug`).
///
/// Covariates come from the data set's column of the same name; where the data set has none,
/// `WT`, `AGE` and `SEX` come from `subject` (the CLI's `--weight`, `--age`, `--sex`), and any
/// other covariate from its default in the model file.
public struct DataSetRunner: Sendable {
  /// The compiled model.
  public let model: CompiledModel
  /// The data set's file, for messages.
  public let file: String
  /// Where each model covariate comes from.
  public let sources: [CovariateSource]
  /// Added output times (h) for every subject, or empty.
  public let addedTimes: [Double]
  /// Which record's covariates govern each interval.
  public let convention: CovariateConvention
  /// Draws each subject's random effects from its ID (`--seed` with a model's variability), or
  /// nil for typical values; an `ETA(P)` column of the data set wins over a drawn η.
  public var sampler: SubjectSampler?
  private var engine: RecordSimulator

  /// Prepares a run of `dataSet` on `model`.
  ///
  /// - Throws: `InputError` naming a covariate the model needs that neither the data set, the
  ///   subject nor a default provides.
  public init(
    model: CompiledModel, dataSet: DataSet, subject: Subject = Subject(),
    convention: CovariateConvention = .nocb, addedTimes: [Double] = [],
    solver: SolverOptions = SolverOptions()
  ) throws(InputError) {
    self.model = model
    self.file = dataSet.file
    self.addedTimes = addedTimes
    self.convention = convention
    self.engine = RecordSimulator(model: model, convention: convention, solver: solver)
    var sources: [CovariateSource] = []
    for c in model.inputs {
      if let j = dataSet.covariateNames.firstIndex(of: c.name) {
        sources.append(.column(j))
        continue
      }
      guard let v = subject.covariate(c.name) ?? c.defaultValue else {
        throw InputError(
          source: dataSet.file, line: 1, field: c.name,
          message: "the model \(model.definition.name) needs covariate \(c.name) (\(c.description), "
            + "\(c.unit)); add a \(c.name) column"
            + (Subject.covariateWord(c.name).map { " or give it with --\($0)" } ?? ""))
      }
      sources.append(.constant(v))
    }
    self.sources = sources
  }

  /// Simulates one subject.
  ///
  /// Added output times go after the records at the same or an earlier time, so they belong to
  /// the interval that starts there, governed by the next record's covariates under NOCB (the
  /// last record's after the end) and by the previous record's under LOCF.
  ///
  /// - Returns: the subject's records and the result rows: one per record and per added time,
  ///   in time order (`result.recordIndices` says which record a row reports, −1 if added),
  ///   with the model's concentration–effect and indirect-response curves (`result.effects`,
  ///   from the subject's own parameter values; `DataSetRunner+Effects`).
  /// - Throws: `InputError` for a record the model cannot take (file, line, field);
  ///   `SimulationError` when the numbers fail.
  public mutating func run(_ subject: DataSubject) throws -> (records: [DataRecord], result: SimulationResult)
  {
    var covariates = sources
    if let sampler, !sampler.effects.isEmpty {
      let id =
        subject.id == subject.id.rounded() && abs(subject.id) < 1e15
        ? Int(subject.id) : Int(truncatingIfNeeded: subject.id.bitPattern)
      let drawn = try sampler.subject(id: id, given: Subject()).subject
      for (i, c) in model.inputs.enumerated() {
        if case .constant = covariates[i], let eta = drawn.covariates[c.name], c.name.hasPrefix("ETA(") {
          covariates[i] = .constant(eta)
        }
      }
    }
    var result: SimulationResult
    do {
      result = try engine.run(records: subject.records, covariates: covariates, addedTimes: addedTimes)
    } catch let error as RecordError {
      throw InputError(
        source: file, line: error.line > 0 ? error.line : nil, field: error.field, message: error.message)
    }
    if !model.definition.effectColumnNames.isEmpty {
      result.effects = try _effects(records: subject.records, covariates: covariates, result: result)
    }
    return (subject.records, result)
  }
}
