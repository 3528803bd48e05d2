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
  private var engine: RecordSimulator

  /// Prepares a run of `dataSet` on `model`.
  ///
  /// - Throws: `InputError` naming a covariate the model needs that neither the data set, the
  ///   subject nor a default provides.
  public init(
    model: CompiledModel, dataSet: DataSet, subject: Subject = Subject(),
    convention: CovariateConvention = .nocb, addedTimes: [Double] = []
  ) throws(InputError) {
    self.model = model
    self.file = dataSet.file
    self.addedTimes = addedTimes
    self.convention = convention
    self.engine = RecordSimulator(model: model, convention: convention)
    var sources: [CovariateSource] = []
    for c in model.definition.covariates {
      if let j = dataSet.covariateNames.firstIndex(of: c.name) {
        sources.append(.column(j))
        continue
      }
      let given: Double? =
        switch c.name {
        case Covariate.weight: subject.weight
        case Covariate.age: subject.age
        case Covariate.sex: subject.sex.map { $0 == .female ? 1 : 0 }
        default: nil
        }
      guard let v = given ?? c.defaultValue else {
        throw InputError(
          source: dataSet.file, line: 1, field: c.name,
          message: "the model \(model.definition.name) needs covariate \(c.name) (\(c.description), "
            + "\(c.unit)); add a \(c.name) column"
            + ([Covariate.weight, Covariate.age, Covariate.sex].contains(c.name)
              ? " or give it with --\(["WT": "weight", "AGE": "age", "SEX": "sex"][c.name]!)" : ""))
      }
      sources.append(.constant(v))
    }
    self.sources = sources
  }

  /// The records of one subject with the added output rows merged in: an added time goes after
  /// the records at the same or an earlier time and carries the covariates that govern its
  /// interval (the next record's under NOCB, the previous one's under LOCF), so that it changes
  /// no interval's parameters.
  public func recordsWithAddedTimes(_ subject: DataSubject) -> [DataRecord] {
    guard !addedTimes.isEmpty else { return subject.records }
    let records = subject.records
    var result: [DataRecord] = []
    result.reserveCapacity(records.count + addedTimes.count)
    var k = 0
    for (r, record) in records.enumerated() {
      let governing = convention == .nocb || r == 0 ? record.covariates : records[r - 1].covariates
      while k < addedTimes.count && addedTimes[k] < record.time {
        result.append(
          DataRecord(id: subject.id, time: addedTimes[k], covariates: governing, isAdded: true))
        k += 1
      }
      result.append(record)
      if r == records.count - 1 {
        while k < addedTimes.count {
          if addedTimes[k] >= record.time {
            result.append(
              DataRecord(
                id: subject.id, time: addedTimes[k], covariates: record.covariates, isAdded: true))
          }
          k += 1
        }
      }
    }
    return result
  }

  /// Simulates one subject.
  ///
  /// - Returns: the records simulated (added rows included) and one result row per record.
  /// - Throws: `InputError` for a record the model cannot take (file, line, field);
  ///   `SimulationError` when the numbers fail.
  public mutating func run(_ subject: DataSubject) throws -> (records: [DataRecord], result: SimulationResult)
  {
    let records = recordsWithAddedTimes(subject)
    do {
      return (records, try engine.run(records: records, covariates: sources))
    } catch let error as RecordError {
      throw InputError(
        source: file, line: error.line > 0 ? error.line : nil, field: error.field, message: error.message)
    }
  }
}
