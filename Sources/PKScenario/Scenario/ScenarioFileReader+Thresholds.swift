import Foundation

extension ScenarioFileReader {
  /// A scenario's `thresholds:` list: landmark names (`awakening`) or concentrations (`750 ng/mL`).
  static func _thresholds(_ node: LocatedNode, library: ModelLibrary) throws(InputError) -> [Threshold] {
    var result: [Threshold] = []
    var landmarks: [Landmark]? = nil
    for item in try node.sequence() {
      let text = try item.string()
      do { result.append(try library.threshold(text, landmarks: &landmarks)) } catch {
        throw error.source == "threshold" ? item.error(error.message) : error
      }
    }
    return result
  }

  /// A scenario's `metrics:` file: a path relative to the scenario's folder (or absolute).
  static func _metricsPath(_ node: LocatedNode, baseDirectory: String?, population: Bool) throws(InputError)
    -> String
  {
    let path = try node.string().trimmingCharactersInWhitespace()
    guard !path.isEmpty else { throw node.error("is empty; expected a file path such as metrics.csv") }
    if population {
      throw node.error(
        "is for a single subject's run; a population's exposure table is --exposure FILE on the command line")
    }
    guard !path.hasPrefix("/"), let baseDirectory else { return path }
    return URL(fileURLWithPath: baseDirectory).appendingPathComponent(path).path
  }
}
