import Foundation
import Testing

#if canImport(FoundationXML)
  import FoundationXML
#endif

/// `ketasim run … --plot FILE.svg`: well-formed SVG with one curve per output (or percentile
/// bands, a median and a mean per output for a population summary), labelled axes, dose
/// markers and thresholds; bad combinations are refused.
@Suite struct PlotSVGTests {
  /// The elements of an SVG file by name, with their attributes and the text of their
  /// `<title>`/`<text>` children; nil when it is not well-formed XML.
  final class Reader: NSObject, XMLParserDelegate {
    var elements: [(name: String, attributes: [String: String])] = []
    var texts: [String] = []
    var current = ""
    func parser(
      _ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?,
      attributes: [String: String] = [:]
    ) {
      elements.append((name, attributes))
      current = ""
    }
    func parser(_ parser: XMLParser, foundCharacters string: String) { current += string }
    func parser(
      _ parser: XMLParser, didEndElement name: String, namespaceURI: String?, qualifiedName: String?
    ) {
      if name == "text" || name == "title" { texts.append(current) }
      current = ""
    }
    static func read(_ path: String) throws -> Reader? {
      let parser = XMLParser(data: try Data(contentsOf: URL(fileURLWithPath: path)))
      let reader = Reader()
      parser.delegate = reader
      return parser.parse() ? reader : nil
    }
    func count(_ name: String, class c: String) -> Int {
      elements.filter { $0.name == name && $0.attributes["class"] == c }.count
    }
  }

  @Test func singleRun() throws {
    let dir = try CLIRunner.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: dir) }
    let svg = dir.appendingPathComponent("d.svg").path
    let r = try CLIRunner.run([
      "run", "--model", "domino-1984", "--weight", "70kg", "--dose", "1 mg/kg iv", "--dose",
      "0.5 mg/kg iv at 30 min",
      "--until", "2h", "--every", "1min", "--plot", svg, "--log-axis",
    ])
    #expect(r.status == 0, "stderr: \(r.stderr)")
    #expect(r.stdout.hasPrefix("time_min,"))
    let reader = try #require(try Reader.read(svg), "not well-formed XML")
    #expect(reader.count("polyline", class: "series") == 2)
    #expect(reader.count("path", class: "dose") == 2)
    #expect(reader.texts.contains("time (min)") && reader.texts.contains("concentration (ng/mL)"))
    #expect(reader.texts.contains("ketamine_ng_per_ml") && reader.texts.contains("ketamine_effect_ng_per_ml"))
  }

  @Test func populationSummary() throws {
    let dir = try CLIRunner.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: dir) }
    let svg = dir.appendingPathComponent("p.svg").path
    let r = try CLIRunner.run(
      PopulationCLITests.kamp + [
        "--subjects", "30", "--summary", "--fraction-above", "200ng/mL", "-o",
        dir.appendingPathComponent("p.csv").path,
        "--plot", svg,
      ])
    #expect(r.status == 0, "stderr: \(r.stderr)")
    let reader = try #require(try Reader.read(svg), "not well-formed XML")
    #expect(reader.count("polygon", class: "band") == 2)  // p5–p95 and p25–p75
    #expect(reader.count("polyline", class: "series") == 2)  // p50 and mean
    #expect(reader.count("g", class: "threshold") == 1)
    #expect(reader.texts.contains("ketamine p5–p95") && reader.texts.contains("200 ng/mL"))
  }

  @Test(arguments: [
    (["--subjects", "5", "--plot", "x.svg"], "add --summary"),
    (["--log-axis"], "--log-axis goes with --plot"),
  ])
  func refused(extra: [String], message: String) throws {
    let dir = try CLIRunner.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: dir) }
    let r = try CLIRunner.run(
      PopulationCLITests.kamp + extra.map { $0 == "x.svg" ? dir.appendingPathComponent("x.svg").path : $0 })
    #expect(r.status == 2, "exit \(r.status), stderr: \(r.stderr)")
    #expect(r.stderr.contains(message), "stderr: \(r.stderr)")
    #expect(!FileManager.default.fileExists(atPath: dir.appendingPathComponent("x.svg").path))
  }
}
