import Foundation

/// Reads a concentration-landmark file (YAML, `Models/landmarks/NAME.yaml`) into `Landmark`s,
/// with located errors (file, line, key path).
///
/// ```yaml
/// version: 1
/// description: "Plasma concentration landmarks of racemic ketamine"
/// landmarks:
///   awakening:                       # the name: a lowercase letter, then letters, digits, - or _
///     description: "awakening from ketamine anaesthesia"
///     low: 640 ng/mL                 # any concentration unit: ng/mL, µg/mL, mg/L, µg/L, µM
///     high: 750 ng/mL                # above low
///     analyte: racemic ketamine      # as the models' `drug`
///     sampling: "plasma; ..."
///     citation: "the publications"
///     note: "conditions and caveats"
/// ```
/// Concentrations are converted to ng/mL (`QuantityParser.concentration`).
public enum LandmarkFileReader {
  /// The keys of one landmark.
  static let landmarkKeys = ["description", "low", "high", "analyte", "sampling", "citation", "note"]

  /// Reads and checks the landmark file at `path`.
  public static func read(path: String) throws(InputError) -> [Landmark] {
    let text: String
    do { text = try String(contentsOfFile: path, encoding: .utf8) } catch {
      throw InputError(source: path, message: "cannot read the landmark file (\(_reason(error)))")
    }
    return try parse(yaml: text, file: path)
  }

  /// Parses landmark YAML; `file` names the source in errors.
  public static func parse(yaml: String, file: String) throws(InputError) -> [Landmark] {
    let root = try LocatedNode.parse(yaml: yaml, file: file)
    try root.checkKeys(["version", "description", "landmarks"])
    let versionNode = try root.required("version", "the file's version, a whole number such as 1")
    guard let version = Int(try versionNode.string()), version >= 1 else {
      throw versionNode.error("expected a whole number of 1 or more, found \(versionNode.kind)")
    }
    _ = try root.required("description", "what the landmarks are, in one sentence").string()
    let list = try root.required("landmarks", "a mapping of landmark names to {low, high, ...}")
    var landmarks: [Landmark] = []
    for (name, node) in try list.mapping() {
      landmarks.append(try _landmark(name, node))
    }
    if landmarks.isEmpty { throw list.error("is empty; expected at least one landmark") }
    return landmarks
  }

  /// One landmark, `name: {description, low, high, analyte, sampling, citation, note}`.
  static func _landmark(_ name: String, _ node: LocatedNode) throws(InputError) -> Landmark {
    guard let first = name.first, first.isASCII && first.isLowercase,
      name.allSatisfy({ $0.isASCII && ($0.isLowercase || $0.isNumber || $0 == "-" || $0 == "_") })
    else {
      throw node.error(
        "'\(name)' is not a landmark name; expected a lowercase letter, then lowercase letters, digits, '-' or '_' (it names metric rows)"
      )
    }
    try node.checkKeys(landmarkKeys)
    func text(_ key: String, _ expected: String) throws(InputError) -> String {
      let n = try node.required(key, expected)
      let s = try n.string()
      guard !s.trimmingCharactersInWhitespace().isEmpty else {
        throw n.error("is empty; expected \(expected)")
      }
      return s
    }
    func concentration(_ key: String) throws(InputError) -> Double {
      let n = try node.required(key, "a concentration with its unit, e.g. 640 ng/mL")
      return try ScenarioFileReader._value(n) { t throws(QuantityError) in try QuantityParser.concentration(t)
      }
    }
    let low = try concentration("low")
    let high = try concentration("high")
    guard low < high else {
      throw node.error(
        "low (\(CSVWriter().format(low)) ng/mL) must lie below high (\(CSVWriter().format(high)) ng/mL)")
    }
    return Landmark(
      name: name, description: try text("description", "what the band is, e.g. surgical anaesthesia"),
      low: low, high: high, analyte: try text("analyte", "the drug measured, e.g. racemic ketamine"),
      sampling: try text("sampling", "where it was measured, e.g. plasma"),
      citation: try text("citation", "the publications the band comes from"),
      note: try text("note", "the conditions of the measurement"))
  }
}
