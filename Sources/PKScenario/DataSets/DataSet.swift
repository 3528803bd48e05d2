/// A NONMEM-style data set, read and checked: subjects in file order, each with its records
/// in KetaSim's units (time in h, amounts in mg, rates in mg/h).
///
/// Read one with ``DataSetReader``.
public struct DataSet: Sendable, Equatable {
  /// The file the data set came from, as given to the reader.
  public var file: String
  /// The column names as written in the header, in file order.
  public var columnNames: [String]
  /// The covariate columns (every column that is not a reserved ``DataItem``), with their
  /// exact names, in file order; `DataRecord.covariates` follows this order.
  public var covariateNames: [String]
  /// Whether the reserved columns are written upper or lower case, for output headers in the
  /// same style. When a file mixes the two (`ID,time,amt`), the majority of the reserved
  /// columns other than `C` and `ID` decides, and a tie goes to the case of `TIME`.
  public var nameCase: NameCase
  /// The subjects in file order.
  public var subjects: [DataSubject]
  /// Whole-sentence warnings, each starting with `file:line:`.
  public var warnings: [String]

  public init(
    file: String, columnNames: [String], covariateNames: [String], nameCase: NameCase,
    subjects: [DataSubject], warnings: [String] = []
  ) {
    self.file = file
    self.columnNames = columnNames
    self.covariateNames = covariateNames
    self.nameCase = nameCase
    self.subjects = subjects
    self.warnings = warnings
  }
}
