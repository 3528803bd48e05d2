import Foundation
import PKCore
import Testing

@testable import PKScenario

/// `ketasim models show NAME --graph`: for every bundled model the DOT text is one digraph
/// whose edges join declared nodes: one per flow, per route input, per output and per effect site.
@Suite struct ModelGraphTests {
  @Test(arguments: RepositoryPaths.bundledModelNames)
  func everyModelGivesAWellFormedGraph(name: String) throws {
    let model = try RepositoryPaths.library.load(name)
    let text = ModelGraph.dot(model)
    let lines = text.split(separator: "\n").map(String.init)
    #expect(lines.first == "digraph \"\(name)\" {" && lines.last == "}")
    var nodes = Set<String>()
    var edges: [(String, String)] = []
    let quoted = try NSRegularExpression(pattern: "\"((?:[^\"\\\\]|\\\\.)*)\"")
    for line in lines.dropFirst().dropLast() {
      let names = quoted.matches(in: line, range: NSRange(line.startIndex..., in: line)).map {
        String(line[Range($0.range(at: 1), in: line)!])
      }
      if line.contains(" -> ") {
        edges.append((names[0], names[1]))
      } else if line.hasSuffix("];"), let first = names.first, line.hasPrefix("  \"") {
        nodes.insert(first)
      }
    }
    for (a, b) in edges {
      #expect(nodes.contains(a) && nodes.contains(b), "\(name): edge \(a) -> \(b) joins an undeclared node")
    }
    let expected =
      model.flows.count + model.routes.reduce(0) { $0 + $1.inputs.count } + model.outputs.count
      + model.compartments.filter { $0.effect != nil }.count
    #expect(edges.count == expected, "\(name): \(edges.count) edges, expected \(expected)")
    #expect(text.filter { $0 == "{" }.count == 1 && text.filter { $0 == "}" }.count == 1)
  }
}
