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

  /// `--plot-outputs` draws only the outputs it names (by name or column name).
  @Test func chosenOutputs() throws {
    let dir = try CLIRunner.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: dir) }
    let svg = dir.appendingPathComponent("e.svg").path
    let r = try CLIRunner.run([
      "run", "--model", "domino-1984", "--weight", "70kg", "--dose", "1 mg/kg iv", "--until", "1h", "--every",
      "1min", "--plot", svg, "--plot-outputs", "ketamine_effect",
    ])
    #expect(r.status == 0, "stderr: \(r.stderr)")
    let reader = try #require(try Reader.read(svg), "not well-formed XML")
    #expect(reader.count("polyline", class: "series") == 1)
    #expect(
      reader.texts.contains("ketamine_effect_ng_per_ml") && !reader.texts.contains("ketamine_ng_per_ml"))
    let p = try CLIRunner.run(
      PopulationCLITests.kamp + [
        "--subjects", "10", "--summary", "-o", dir.appendingPathComponent("p.csv").path, "--plot", svg,
        "--plot-outputs", "ketamine_ng_per_ml",
      ])
    #expect(p.status == 0, "stderr: \(p.stderr)")
    let population = try #require(try Reader.read(svg), "not well-formed XML")
    #expect(population.count("polygon", class: "band") == 2)
  }

  /// A plot of an output the model does not have names it and lists the outputs it has, before
  /// anything is written.
  @Test func unknownOutputIsRefused() throws {
    let dir = try CLIRunner.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: dir) }
    let (svg, csv) = (dir.appendingPathComponent("x.svg").path, dir.appendingPathComponent("x.csv").path)
    let r = try CLIRunner.run([
      "run", "--model", "domino-1984", "--weight", "70kg", "--dose", "1 mg/kg iv", "--until", "1h", "--every",
      "1min", "--plot", svg, "--plot-outputs", "norketamine", "-o", csv,
    ])
    #expect(r.status != 0)
    #expect(
      r.stderr.contains("--plot-outputs") && r.stderr.contains("no output 'norketamine'")
        && r.stderr.contains("ketamine, ketamine_effect"), "stderr: \(r.stderr)")
    #expect(!FileManager.default.fileExists(atPath: svg) && !FileManager.default.fileExists(atPath: csv))
    let lonely = try CLIRunner.run(PopulationCLITests.kamp + ["--plot-outputs", "ketamine"])
    #expect(
      lonely.status == 2 && lonely.stderr.contains("--plot-outputs goes with --plot"), "\(lonely.stderr)")
  }

  /// A population's --plot draws --threshold bands and lines, as a single run's does.
  @Test func populationThresholds() throws {
    let dir = try CLIRunner.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: dir) }
    let svg = dir.appendingPathComponent("t.svg").path
    let r = try CLIRunner.run(
      PopulationCLITests.kamp + [
        "--subjects", "10", "--summary", "-o", dir.appendingPathComponent("t.csv").path, "--plot", svg,
        "--threshold", "awakening", "--threshold", "100ng/mL",
      ])
    #expect(r.status == 0, "stderr: \(r.stderr)")
    let reader = try #require(try Reader.read(svg), "not well-formed XML")
    #expect(reader.count("g", class: "landmark") == 1)
    #expect(reader.count("g", class: "threshold") == 1)
    #expect(reader.texts.contains("awakening 640–750 ng/mL"))
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
    (["--threshold", "awakening"], "--threshold goes with --plot FILE.svg for a population"),
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

/// `--metrics FILE`: the exact AUC from the engine equals dose/CL for a one-compartment bolus.
@Suite struct MetricsCLITests {
  @Test func exactAUCToInfinityIsDoseOverClearance() throws {
    let dir = try CLIRunner.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: dir) }
    let model = try CLIRunner.writeOneCompartmentModel(in: dir, name: "one")  // V 10 L, CL 5 L/h
    let metrics = dir.appendingPathComponent("m.csv").path
    let r = try CLIRunner.run([
      "run", "--model", model, "--dose", "100 mg iv", "--until", "24h", "--every", "1min", "--metrics",
      metrics,
      "--threshold", "1000ng/mL",
    ])
    #expect(r.status == 0, "stderr: \(r.stderr)")
    var rows: [String: Double] = [:]
    for line in try String(contentsOfFile: metrics, encoding: .utf8).split(separator: "\n").dropFirst() {
      let f = line.split(separator: ",", omittingEmptySubsequences: false)
      rows[String(f[1])] = Double(f[2])
    }
    let exact = try #require(rows["auc_0_inf_exact"])
    #expect(abs(exact - 20_000) <= 1e-6 * 20_000, "AUC0-inf \(exact) ng·h/mL, expected dose/CL = 20000")
    #expect(abs(rows["auc_0_end_exact"]! - 20_000 * (1 - exp(-12))) <= 1e-9 * 20_000)
    #expect(abs(rows["falls_below_1000"]! - log(10) / 0.5 * 60) < 0.01, "minutes")
    // Cut short while the infusion still runs: no terminal phase, NA with the reason.
    let short = try CLIRunner.run([
      "run", "--model", model, "--dose", "100 mg iv over 2 h", "--until", "1h", "--every", "10min",
      "--metrics", metrics,
    ])
    #expect(short.status == 0 && short.stderr.contains("cannot be estimated"))
    let text = try String(contentsOfFile: metrics, encoding: .utf8)
    #expect(text.contains("auc_0_inf,NA,ng*h/mL,not estimable"))
    let refused = try CLIRunner.run([
      "run", "--model", model, "--dose", "1 mg iv", "--until", "1h", "--every", "10min", "--threshold",
      "1ng/mL",
    ])
    #expect(refused.status == 2 && refused.stderr.contains("--threshold goes with --metrics"))
  }
}
