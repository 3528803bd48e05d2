import Foundation

extension ModelLibrary {
  /// The landmark files in `landmarks/` (`*.yaml`), as sorted paths.
  public func landmarkFiles() throws(InputError) -> [String] {
    let dir = URL(fileURLWithPath: try _directory()).appendingPathComponent("landmarks")
    let files = (try? FileManager.default.contentsOfDirectory(atPath: dir.path)) ?? []
    return files.filter { $0.hasSuffix(".yaml") }.sorted().map { dir.appendingPathComponent($0).path }
  }

  /// Every landmark of the files in `landmarks/`, in file order; a name in two files is an error.
  public func landmarks() throws(InputError) -> [Landmark] {
    var all: [Landmark] = []
    var fileOf: [String: String] = [:]
    for path in try landmarkFiles() {
      for landmark in try LandmarkFileReader.read(path: path) {
        if let other = fileOf[landmark.name] {
          throw InputError(
            source: path, field: "landmarks.\(landmark.name)",
            message: "is also defined in \(other); a landmark name must be unique")
        }
        fileOf[landmark.name] = path
        all.append(landmark)
      }
    }
    return all
  }

  /// A threshold from its text: a concentration (`750 ng/mL`, `0.75 µg/mL`) or the name of a
  /// landmark in `landmarks/` (`awakening`).
  ///
  /// - Throws: `InputError` with source `threshold` for an unknown name (listing the known ones)
  ///   or a value that is not a concentration with its unit, for the caller to locate; a bad
  ///   landmark file's own located error.
  public func threshold(_ text: String) throws(InputError) -> Threshold {
    var known: [Landmark]? = nil
    return try threshold(text, landmarks: &known)
  }

  /// `threshold(_:)` for one of several texts: `landmarks` holds the library's landmarks once a
  /// name has needed them (nil before), so that a list of names reads the files once.
  public func threshold(_ text: String, landmarks cache: inout [Landmark]?) throws(InputError) -> Threshold {
    let t = text.trimmingCharactersInWhitespace()
    if let first = t.first, first.isLetter {
      let known: [Landmark]
      if let cache {
        known = cache
      } else {
        known = try landmarks()
        cache = known
      }
      if let landmark = known.first(where: { $0.name == t.lowercased() }) { return .landmark(landmark) }
      throw InputError(
        source: "threshold",
        message: "unknown landmark '\(t)'; known landmarks: "
          + (known.isEmpty
            ? "none (no files in the library's landmarks/ folder)"
            : known.map(\.name).joined(separator: ", "))
          + "; or give a concentration with its unit, e.g. 750 ng/mL")
    }
    do { return .level(try QuantityParser.concentration(t)) } catch {
      throw InputError(source: "threshold", message: error.message)
    }
  }
}
