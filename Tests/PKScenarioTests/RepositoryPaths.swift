import Foundation
import PKScenario

/// Paths inside the repository, found from this file's location.
enum RepositoryPaths {
  /// The package root (the folder holding Package.swift).
  static let root: URL = {
    var dir = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    while !FileManager.default.fileExists(atPath: dir.appendingPathComponent("Package.swift").path) {
      dir = dir.deletingLastPathComponent()
    }
    return dir
  }()

  static let models = root.appendingPathComponent("Models")
  static let scenarios = models.appendingPathComponent("scenarios")
  static var library: ModelLibrary { ModelLibrary(directory: models.path) }

  /// The ready-made scenario names, from the folder listing.
  static let scenarioNames: [String] = {
    let files = (try? FileManager.default.contentsOfDirectory(atPath: scenarios.path)) ?? []
    return files.filter { $0.hasSuffix(".yaml") }.map { String($0.dropLast(5)) }.sorted()
  }()

  /// The bundled model names, from the folder listing (the test must not trust the library).
  static let bundledModelNames: [String] = {
    let files = (try? FileManager.default.contentsOfDirectory(atPath: models.path)) ?? []
    return files.filter { $0.hasSuffix(".yaml") }.map { String($0.dropLast(5)) }.sorted()
  }()
}
