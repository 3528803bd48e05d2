/// The column layout of a data set, from its header row: where each reserved item is, and
/// which columns are covariates.
struct _DataSetHeader {
  /// The column names as written.
  var names: [String]
  /// The column of each reserved item, indexed like `DataItem.allCases`; −1 when absent.
  var itemColumns: [Int]
  /// The columns holding covariates, in file order.
  var covariateColumns: [Int]
  /// The case the reserved names are written in.
  var nameCase: DataSet.NameCase

  /// Reads the header's `names`; `line` is the header's physical line.
  init(names: [String], file: String, line: Int) throws(InputError) {
    self.names = names
    itemColumns = Array(repeating: -1, count: DataItem.allCases.count)
    covariateColumns = []
    var upper = 0
    var lower = 0
    var timeIsLower = false
    var covariateColumnOfName: [String: Int] = [:]
    func error(_ field: String?, _ message: String) -> InputError {
      InputError(source: file, line: line, field: field, message: message)
    }
    for (column, name) in names.enumerated() {
      guard !name.isEmpty else {
        throw error(nil, "expected a name for column \(column + 1) of the header, found an empty field")
      }
      let item = DataItem(rawValue: name.uppercased())
      guard let item, item != .c || column == 0 else {
        if let previous = covariateColumnOfName[name]
          ?? (item == .c && itemColumns[0] >= 0 ? itemColumns[0] : nil)
        {
          throw error(
            name,
            "expected each column name once, found '\(name)' in columns \(previous + 1) and \(column + 1)")
        }
        covariateColumnOfName[name] = column
        covariateColumns.append(column)
        continue
      }
      guard !_isMixedCase(name) else {
        throw error(
          name,
          "'\(name)' is the NONMEM data item \(item.name); expected it written '\(item.name)' or "
            + "'\(item.name.lowercased())', found '\(name)'")
      }
      let index = item._index
      guard itemColumns[index] < 0 else {
        let previous = itemColumns[index]
        throw error(
          name,
          "expected each column name once, found the data item \(item.name) twice, as '\(names[previous])' "
            + "in column \(previous + 1) and '\(name)' in column \(column + 1)")
      }
      itemColumns[index] = column
      let isLower = name == name.lowercased()
      if item == .time { timeIsLower = isLower }
      if item != .c && item != .id {
        if isLower { lower += 1 } else { upper += 1 }
      }
    }
    nameCase = lower > upper || (lower == upper && timeIsLower) ? .lower : .upper
    for required in [DataItem.id, .time] where column(required) == nil {
      throw error(
        nameCase.apply(required.name),
        "expected a column named \(required.name) or \(required.name.lowercased()), found none; "
          + "the file's columns are \(names.joined(separator: ", "))")
    }
  }

  /// The column of `item`, or nil when the file has none.
  func column(_ item: DataItem) -> Int? {
    let c = itemColumns[item._index]
    return c < 0 ? nil : c
  }

  /// The covariate names, in file order.
  var covariateNames: [String] { covariateColumns.map { names[$0] } }
}
