import Foundation
import Testing

#if canImport(FoundationXML)
  import FoundationXML
#endif

/// Scripts/plot.gp and Scripts/plot.py draw a KetaSim curve, a population summary and
/// per-subject curves. Each test runs where its tool is installed (`.ci/run` installs both) and
/// is skipped, saying why, where it is not.
@Suite struct PlotScriptTests {
  static func has(_ command: String, _ arguments: [String]) -> Bool {
    let p = Process()
    p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    p.arguments = [command] + arguments
    p.standardOutput = FileHandle.nullDevice
    p.standardError = FileHandle.nullDevice
    do { try p.run() } catch { return false }
    p.waitUntilExit()
    return p.terminationStatus == 0
  }
  static let gnuplot = has("gnuplot", ["--version"])
  /// A Python with matplotlib: the one on PATH, else the system's (a pyenv or venv python on
  /// PATH may lack the python3-matplotlib that .ci/run installs for /usr/bin/python3).
  static let python = ["python3", "/usr/bin/python3"].first { has($0, ["-c", "import matplotlib"]) }
  static let matplotlib = python != nil

  /// Runs Scripts/plot.py on `csv` writing `image`, with `extra` arguments after them; returns
  /// its exit status and what it wrote to stderr.
  static func plotPy(_ csv: String, _ image: String, _ extra: [String] = []) throws -> (
    status: Int32, stderr: String
  ) {
    let p = Process()
    p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    p.arguments =
      [python!, CLIRunner.root.appendingPathComponent("Scripts/plot.py").path, csv, "-o", image] + extra
    let err = Pipe()
    p.standardError = err
    try p.run()
    let data = err.fileHandleForReading.readDataToEndOfFile()
    p.waitUntilExit()
    return (p.terminationStatus, String(decoding: data, as: UTF8.self))
  }

  /// The three kinds of CSV, written by the binary into `dir`.
  static func samples(in dir: URL) throws -> [String] {
    let base = [
      "--model", "kamp-2020", "--weight", "70kg", "--dose", "2 mg/kg iv", "--until", "1h", "--every", "5min",
    ]
    var paths: [String] = []
    for (name, extra) in [
      ("single", [String]()),
      ("summary", ["--subjects", "20", "--seed", "1", "--variability", "CL=0.3", "--summary"]),
      ("subjects", ["--subjects", "3", "--seed", "1", "--variability", "CL=0.3"]),
    ] {
      let path = dir.appendingPathComponent("\(name).csv").path
      let r = try CLIRunner.run(["run"] + base + extra + ["-o", path])
      #expect(r.status == 0, "stderr: \(r.stderr)")
      paths.append(path)
    }
    return paths
  }

  /// Parses the file as XML; returns the text it holds (titles, labels).
  static func xmlText(_ path: String) throws -> String? {
    final class Collector: NSObject, XMLParserDelegate {
      var text = ""
      func parser(_ parser: XMLParser, foundCharacters string: String) { text += string }
    }
    let parser = XMLParser(data: try Data(contentsOf: URL(fileURLWithPath: path)))
    let collector = Collector()
    parser.delegate = collector
    return parser.parse() ? collector.text : nil
  }

  @Test(
    .enabled(if: gnuplot, "gnuplot is not installed: Scripts/plot.gp is not run (apt install gnuplot-nox)"))
  func gnuplotScript() throws {
    let dir = try CLIRunner.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: dir) }
    for csv in try Self.samples(in: dir) {
      let svg = csv + ".svg"
      let p = Process()
      p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
      p.arguments = [
        "gnuplot", "-e", "file='\(csv)'; out='\(svg)'; logy=1",
        CLIRunner.root.appendingPathComponent("Scripts/plot.gp").path,
      ]
      try p.run()
      p.waitUntilExit()
      #expect(p.terminationStatus == 0, "\(csv)")
      let text = try Self.xmlText(svg)
      #expect(text != nil, "\(svg) is not well-formed XML")
      #expect(text?.contains("ketamine_ng_per_ml") == true && text?.contains("concentration (ng/mL)") == true)
      #expect(text?.contains("time (min)") == true)
    }
  }

  @Test(.matplotlibInstalled)
  func matplotlibScript() throws {
    let dir = try CLIRunner.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: dir) }
    for csv in try Self.samples(in: dir) {
      for (image, extra) in [(csv + ".png", ["--log"]), (csv + ".svg", [])] {
        let status = try Self.plotPy(csv, image, extra).status
        #expect(status == 0, "\(csv) → \(image)")
      }
      let png = try Data(contentsOf: URL(fileURLWithPath: csv + ".png"))
      #expect(
        png.prefix(8) == Data([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]), "\(csv).png is not a PNG")
      let text = try Self.xmlText(csv + ".svg")
      #expect(text != nil, "\(csv).svg is not well-formed XML")
      // plot.py writes SVG labels as text, so the axes can be checked.
      #expect(text?.contains("concentration (ng/mL)") == true && text?.contains("time (min)") == true)
    }
  }

  /// `plot.py --columns` draws the named outputs; a name the file lacks is refused with the
  /// columns it has, and no image is written.
  @Test(.matplotlibInstalled)
  func matplotlibColumns() throws {
    let dir = try CLIRunner.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: dir) }
    let csv = dir.appendingPathComponent("d.csv").path
    let r = try CLIRunner.run([
      "run", "--model", "domino-1984", "--weight", "70kg", "--dose", "1 mg/kg iv", "--until", "1h", "--every",
      "5min", "-o", csv,
    ])
    #expect(r.status == 0, "stderr: \(r.stderr)")
    let svg = csv + ".svg"
    let good = try Self.plotPy(csv, svg, ["--columns", "ketamine_effect"])
    #expect(good.status == 0, "\(good.stderr)")
    let text = try #require(try Self.xmlText(svg), "not well-formed XML")
    #expect(text.contains("ketamine_effect_ng_per_ml") && !text.contains("ketamine_ng_per_ml"))
    let bad = try Self.plotPy(csv, csv + ".bad.svg", ["--columns", "norketamine"])
    #expect(bad.status != 0 && bad.stderr.contains("no column or output 'norketamine'"), "\(bad.stderr)")
    #expect(!FileManager.default.fileExists(atPath: csv + ".bad.svg"))
  }
}

extension Trait where Self == ConditionTrait {
  /// Runs the test only where a Python with matplotlib is installed, else skips it saying why.
  fileprivate static var matplotlibInstalled: Self {
    .enabled(
      if: PlotScriptTests.matplotlib,
      "matplotlib is not installed: Scripts/plot.py is not run (apt install python3-matplotlib)")
  }
}
