import Foundation
import PKCore

/// Reads a CSV of subjects for a population run: an `ID` column and covariate columns.
///
/// ```text
/// ID,WT,AGE,SEX,ASIAN
/// 1,72.5,34,1,0
/// 2,81,51,0,1
/// ```
/// `WT` is the weight in kg, `AGE` the age in years, `SEX` 1 for female and 0 for male (or
/// `F`/`M`); any other column is a covariate by the model's name. IDs are whole numbers,
/// unique; rows are used in ID order. `#` starts a comment line; fields may be quoted.
public enum SubjectTableReader {
  /// Reads the subjects at `path`, in ID order.
  ///
  /// - Throws: `InputError` naming the file, line and column for a missing or duplicate ID, a
  ///   field that is not a number, a row of the wrong length, or an empty table.
  public static func read(path: String) throws(InputError) -> [PopulationSubject] {
    let text: String
    do { text = try String(contentsOfFile: path, encoding: .utf8) } catch {
      throw InputError(source: path, message: "cannot read the subjects file (\(_reason(error)))")
    }
    return try parse(text, file: path)
  }

  /// Parses subjects CSV text; `file` names the source in errors.
  public static func parse(_ text: String, file: String) throws(InputError) -> [PopulationSubject] {
    var header: [String]? = nil
    var rows: [PopulationSubject] = []
    var lines: [Int: Int] = [:]
    var lineNumber = 0
    for raw in text.split(separator: "\n", omittingEmptySubsequences: false) {
      lineNumber += 1
      var line = Substring(raw)
      if line.hasSuffix("\r") { line = line.dropLast() }
      if lineNumber == 1 && line.hasPrefix("\u{FEFF}") { line = line.dropFirst() }
      let trimmed = line.trimmingCharactersInWhitespace()
      if trimmed.isEmpty || trimmed.hasPrefix("#") { continue }
      let fields = trimmed.split(separator: ",", omittingEmptySubsequences: false).map {
        var f = $0.trimmingCharactersInWhitespace()
        if f.count >= 2 && f.hasPrefix("\"") && f.hasSuffix("\"") { f = String(f.dropFirst().dropLast()) }
        return f
      }
      guard let names = header else {
        let upper = fields.map { $0.uppercased() }
        guard upper.contains("ID") else {
          throw InputError(
            source: file, line: lineNumber,
            message: "the header needs an ID column, found \(fields.joined(separator: ","))")
        }
        var seen = Set<String>()
        for name in fields where !seen.insert(name.uppercased()).inserted {
          throw InputError(source: file, line: lineNumber, field: name, message: "the column appears twice")
        }
        header = fields.map { ["ID", "WT", "AGE", "SEX"].contains($0.uppercased()) ? $0.uppercased() : $0 }
        continue
      }
      guard fields.count == names.count else {
        throw InputError(
          source: file, line: lineNumber,
          message: "expected \(names.count) fields as in the header, found \(fields.count)")
      }
      var id: Int? = nil
      var subject = Subject()
      for (name, field) in zip(names, fields) {
        if name == "SEX" {
          switch field.uppercased() {
          case "1", "F", "FEMALE": subject.sex = .female
          case "0", "M", "MALE": subject.sex = .male
          default:
            throw InputError(
              source: file, line: lineNumber, field: name,
              message: "expected 1 or F (female), 0 or M (male), found '\(field)'")
          }
          continue
        }
        guard let value = parseNumber(field) else {
          throw InputError(
            source: file, line: lineNumber, field: name,
            message: field.isEmpty || field == "."
              ? "the value is missing" : "expected a number, found '\(field)'")
        }
        switch name {
        case "ID":
          guard value == value.rounded(), abs(value) < 1e15 else {
            throw InputError(
              source: file, line: lineNumber, field: name,
              message: "expected a whole number, found '\(field)'")
          }
          id = Int(value)
        case "WT":
          guard value > 0 else {
            throw InputError(
              source: file, line: lineNumber, field: name,
              message: "expected a weight above 0 kg, found \(field)")
          }
          subject.weight = value
        case "AGE":
          guard value >= 0 else {
            throw InputError(
              source: file, line: lineNumber, field: name,
              message: "expected an age of 0 years or more, found \(field)")
          }
          subject.age = value
        default: subject.covariates[name] = value
        }
      }
      let found = id!
      if let first = lines[found] {
        throw InputError(
          source: file, line: lineNumber, field: "ID",
          message: "ID \(found) appears twice (first on line \(first))")
      }
      lines[found] = lineNumber
      rows.append(PopulationSubject(id: found, subject: subject))
    }
    guard !rows.isEmpty else { throw InputError(source: file, message: "the subjects file has no subjects") }
    return rows.sorted { $0.id < $1.id }
  }
}
