import Foundation
import PKCore

extension ModelFileReader {
  /// The base model of a file with `extends: NAME`: `NAME.yaml` beside the file, else in the
  /// folder above it (so `Models/pharmacodynamics/X.yaml` extends a bundled model), read and
  /// validated on its own.
  ///
  /// A labelled combination, such as a bundled disposition with a published PD set, then
  /// writes only what it adds: its own name, citation, population and sampling site, and any
  /// parameters, compartments (effect sites), flows, outputs and effects; it takes the base's
  /// covariates, enzymes, parameters, compartments, flows, outputs, routes, variability,
  /// residual error, effects and (unless given) time unit. Routes and `absorption` come from
  /// the base only.
  ///
  /// - Throws: `InputError` at the `extends` key for a missing or invalid base or a cycle of
  ///   files extending one another (`chain`: the standardized paths of the files that led here),
  ///   or at the key of a route given in the extending file.
  static func _base(_ node: LocatedNode, root: LocatedNode, modelFile: String, chain: [String])
    throws(InputError) -> ModelDefinition
  {
    for key in ["routes", "absorption"] {
      if let n = try root.optional(key) {
        throw n.error("comes from the base model of 'extends'; a file that extends a model adds no \(key)")
      }
    }
    let name = try node.string()
    guard !name.isEmpty, !name.contains("/"), !name.hasPrefix(".") else {
      throw node.error(
        "expected the name of a model file beside this one or in the folder above, e.g. fanta-otto-2021")
    }
    let directory = URL(fileURLWithPath: modelFile).deletingLastPathComponent()
    let candidates = [directory, directory.deletingLastPathComponent()].map {
      $0.appendingPathComponent("\(name).yaml").path
    }
    guard let path = candidates.first(where: { FileManager.default.fileExists(atPath: $0) }) else {
      throw node.error("names model '\(name)', but neither \(candidates.joined(separator: " nor ")) exists")
    }
    let this = URL(fileURLWithPath: modelFile).standardizedFileURL.path
    let base = URL(fileURLWithPath: path).standardizedFileURL.path
    guard base != this else { throw node.error("a model cannot extend itself") }
    let visited = chain + [this]
    if visited.contains(base) {
      let names = (visited + [base]).map { URL(fileURLWithPath: $0).lastPathComponent }
      throw node.error("the files extend one another in a cycle: \(names.joined(separator: " → "))")
    }
    do {
      return try _read(path: path, extending: visited)
    } catch {
      throw node.error("the base model '\(name)' cannot be read: \(error)")
    }
  }
}
