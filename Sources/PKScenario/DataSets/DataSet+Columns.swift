extension DataSet {
  /// The number of records over all subjects.
  public var recordCount: Int {
    subjects.reduce(0) { $0 + $1.records.count }
  }

  /// The name to write for `item`: the file's own spelling when it has the column, otherwise
  /// the item's name in ``nameCase``.
  public func columnName(for item: DataItem) -> String {
    if let name = columnNames.first(where: { $0.uppercased() == item.name && !_isMixedCase($0) }) {
      return name
    }
    return nameCase.apply(item.name)
  }
}

/// Whether `name` mixes upper- and lower-case letters.
func _isMixedCase(_ name: String) -> Bool {
  name != name.uppercased() && name != name.lowercased()
}
