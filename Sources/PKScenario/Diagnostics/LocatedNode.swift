import Yams

/// A YAML node together with where it came from, so that every error can name its file,
/// line and key path.
struct LocatedNode {
  let node: Node
  let file: String
  let path: String

  var line: Int? { node.mark?.line }

  func error(_ message: String) -> InputError {
    InputError(source: file, line: line, field: path.isEmpty ? nil : path, message: message)
  }

  /// Parses a whole YAML document.
  ///
  /// Scalars are read as text (`string()`, `number()`), never by their YAML tag, so the
  /// document is composed with Yams' basic resolver: the default one matches every scalar
  /// against regular expressions for booleans, numbers, dates and nulls, a few milliseconds of
  /// every run's start-up for tags nobody reads.
  static func parse(yaml: String, file: String) throws(InputError) -> LocatedNode {
    let node: Node?
    do {
      node = try Yams.compose(yaml: yaml, .basic)
    } catch let error as YamlError {
      throw Self.describe(error, file: file)
    } catch {
      throw InputError(source: file, message: "the file is not valid YAML: \(error)")
    }
    guard let node else { throw InputError(source: file, message: "the file is empty") }
    return LocatedNode(node: node, file: file, path: "")
  }

  private static func describe(_ error: YamlError, file: String) -> InputError {
    switch error {
    case .scanner(_, let problem, let mark, _), .parser(_, let problem, let mark, _),
      .composer(_, let problem, let mark, _):
      return InputError(source: file, line: mark.line, message: "the file is not valid YAML: \(problem)")
    case .duplicatedKeysInMapping(let duplicates, _):
      return InputError(
        source: file, message: "a key appears twice: \(duplicates.sorted().joined(separator: ", "))")
    default:
      return InputError(source: file, message: "the file is not valid YAML: \(error)")
    }
  }

  // MARK: Shape

  /// The key–value pairs of a mapping, in file order.
  func mapping() throws(InputError) -> [(key: String, value: LocatedNode)] {
    guard let m = node.mapping else { throw error("expected a mapping of keys to values, found \(kind)") }
    var result: [(String, LocatedNode)] = []
    for (k, v) in m {
      let key = k.string ?? "?"
      result.append((key, LocatedNode(node: v, file: file, path: path.isEmpty ? key : "\(path).\(key)")))
    }
    return result
  }

  /// The elements of a sequence.
  func sequence() throws(InputError) -> [LocatedNode] {
    guard let s = node.sequence else { throw error("expected a list, found \(kind)") }
    return s.enumerated().map { LocatedNode(node: $1, file: file, path: "\(path)[\($0 + 1)]") }
  }

  /// The child at `key` of a mapping, or nil.
  func optional(_ key: String) throws(InputError) -> LocatedNode? {
    guard let m = node.mapping else { throw error("expected a mapping of keys to values, found \(kind)") }
    guard let v = m[key] else { return nil }
    return LocatedNode(node: v, file: file, path: path.isEmpty ? key : "\(path).\(key)")
  }

  /// The child at `key` of a mapping; an error naming the key when it is missing.
  func required(_ key: String, _ expected: String) throws(InputError) -> LocatedNode {
    guard let v = try optional(key) else {
      let p = path.isEmpty ? key : "\(path).\(key)"
      throw InputError(source: file, line: line, field: p, message: "is missing; expected \(expected)")
    }
    return v
  }

  /// Rejects keys that are not in `allowed` (catches typos such as `dose:` for `doses:`).
  func checkKeys(_ allowed: [String]) throws(InputError) {
    for (key, value) in try mapping() where !allowed.contains(key) {
      throw value.error("is not a known key; expected one of: \(allowed.joined(separator: ", "))")
    }
  }

  // MARK: Scalars

  /// The scalar as text.
  func string() throws(InputError) -> String {
    guard let s = node.scalar?.string else { throw error("expected a single value, found \(kind)") }
    return s
  }

  /// The scalar as a finite number.
  func number() throws(InputError) -> Double {
    let s = try string()
    guard let x = parseNumber(s) else { throw error("expected a number, found '\(s)'") }
    return x
  }

  var kind: String {
    switch node {
    case .scalar(let s): return "'\(s.string)'"
    case .mapping: return "a mapping"
    case .sequence: return "a list"
    case .alias: return "an alias"
    }
  }
}

/// A finite decimal number ("12", "-0.5", "1e-3"); nil for anything else (including
/// "nan", "inf" and hexadecimal).
func parseNumber(_ s: some StringProtocol) -> Double? {
  let t = s.trimmingCharactersInWhitespace()
  guard !t.isEmpty,
    t.allSatisfy({ $0.isASCII && ($0.isNumber || "+-.eE".contains($0)) }),
    let x = Double(t), x.isFinite
  else { return nil }
  return x
}

extension StringProtocol {
  func trimmingCharactersInWhitespace() -> String {
    var s = Substring(self)
    while let f = s.first, f.isWhitespace { s.removeFirst() }
    while let l = s.last, l.isWhitespace { s.removeLast() }
    return String(s)
  }
}
