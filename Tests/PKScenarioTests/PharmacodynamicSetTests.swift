import Foundation
import PKCore
import RealModule
import Testing
import _PKTestSupport

@testable import PKScenario

/// The bundled published PD sets (Models/pharmacodynamics/): each loads, extends its base
/// model, carries its printed values and simulates; `extends` errors are located.
@Suite struct PharmacodynamicSetTests {
  static let folder = RepositoryPaths.models.appendingPathComponent("pharmacodynamics")
  static let names: [String] = {
    let files = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
    return files.filter { $0.hasSuffix(".yaml") }.map { String($0.dropLast(5)) }.sorted()
  }()

  static func load(_ name: String) throws -> ModelDefinition {
    try ModelFileReader.read(path: folder.appendingPathComponent(name + ".yaml").path)
  }

  @Test func theThreeSetsAreBundled() {
    #expect(Self.names == ["dahan-2011", "olofsen-2022", "schuttler-1987"])
  }

  @Test(arguments: names)
  func loadsAndSimulates(name: String) throws {
    let d = try Self.load(name)
    #expect(d.name == name && d.citation.contains("Disposition:") && !d.population.isEmpty)
    #expect(d.samplingSite.hasPrefix("arterial") || d.samplingSite.hasPrefix("venous"))
    for p in d.parameters { #expect(!p.description.isEmpty && !p.unit.isEmpty) }
    let subject = Subject(weight: 70, age: 40)
    var s = Simulator(model: try d.instantiate(for: subject), subject: subject)
    let times = (0...96).map { Double($0) * 5 / 60 }
    let r = try s.run(doses: [try RegimenParser.parse("0.5 mg/kg iv over 40 min")], outputTimes: times)
    #expect(r.curve().allSatisfy { $0.isFinite && $0 >= 0 } && r.curve().max()! > 10)
    for k in times.indices {
      let given = min(times[k], 40.0 / 60) / (40.0 / 60) * 35
      expectClose(r.drugTotal(at: k), given, relativeTolerance: 0, absoluteTolerance: 1e-10 * 35)
    }
  }

  /// The printed values, converted as the files say.
  @Test func printedValues() throws {
    func value(_ d: ModelDefinition, _ name: String) throws -> Double {
      let m = try d.instantiate(for: Subject(weight: 70, age: 40))
      return m.parameterValues[m.compiled.graph.graph.slots[name]!]
    }
    let olofsen = try Self.load("olofsen-2022")
    expectClose(try value(olofsen, "C50"), 0.51 * 237.73, relativeTolerance: 1e-15)
    expectClose(try value(olofsen, "KE0"), Double.log(2) / 8.3, relativeTolerance: 1e-15)
    #expect(olofsen.outputs.map(\.name).contains("s_ketamine_effect"))
    let dahan = try Self.load("dahan-2011")
    #expect(try value(dahan, "C50") == 10.5 && value(dahan, "T12_ONSET_OFFSET") == 10.9)
    #expect(dahan.parameters.first { $0.name == "T12_ONSET_OFFSET" }?.factor == 24)
    let schuttler = try Self.load("schuttler-1987")
    for (name, v) in [
      ("IC50_RAC", 2.0), ("EMAX_RAC", 7.6), ("IC50_S", 0.8), ("EMAX_S", 8.3), ("IC50_R", 1.8),
      ("EMAX_R", 4.4),
    ] {
      #expect(try value(schuttler, name) == v)
    }
    // No set writes a curve whose shape parameters were not published.
    for name in Self.names {
      #expect(try Self.load(name).effects.isEmpty && Self.load(name).responses.isEmpty)
    }
  }

  /// An extension is its base plus what it adds: same curve for the base's outputs.
  @Test func extensionKeepsTheBase() throws {
    let base = try RepositoryPaths.library.load("simons-2022")
    let ext = try Self.load("olofsen-2022")
    #expect(Array(ext.parameters.prefix(base.parameters.count)) == base.parameters)
    #expect(ext.routes == base.routes && ext.variability == base.variability)
    let subject = Subject(weight: 70, age: 40)
    var a = Simulator(model: try base.instantiate(for: subject), subject: subject)
    var b = Simulator(model: try ext.instantiate(for: subject), subject: subject)
    let dose = [try RegimenParser.parse("20 mg iv over 30 min")]
    let times = (0...120).map { Double($0) / 60 }
    expectClose(
      try b.run(doses: dose, outputTimes: times).curve(0),
      try a.run(doses: dose, outputTimes: times).curve(0),
      relativeTolerance: 1e-10, absoluteTolerance: 1e-300)
  }

  @Test(arguments: [
    ("extends: no-such-model", "names model 'no-such-model'"),
    ("extends: ../domino-1984", "expected the name of a model file"),
    ("extends: domino-1984\nroutes: {iv: central}", "a file that extends a model adds no routes"),
  ])
  func badExtends(line: String, message: String) throws {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("ketasim-pd-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: dir) }
    try String(contentsOf: RepositoryPaths.models.appendingPathComponent("domino-1984.yaml"), encoding: .utf8)
      .write(to: dir.appendingPathComponent("domino-1984.yaml"), atomically: true, encoding: .utf8)
    let path = dir.appendingPathComponent("x.yaml").path
    let yaml = TestModelYAML.header("x", timeUnit: nil) + "\n" + line
    #expect {
      _ = try ModelFileReader.parse(yaml: yaml, file: path)
    } throws: { "\($0)".contains(message) }
  }

  /// Two files that extend each other are an error naming the cycle, not a crash.
  @Test func extendsCycleIsRefused() throws {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("ketasim-pd-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: dir) }
    for (name, other) in [("a", "b"), ("b", "a")] {
      try (TestModelYAML.header(name, timeUnit: nil) + "\nextends: \(other)\n")
        .write(to: dir.appendingPathComponent("\(name).yaml"), atomically: true, encoding: .utf8)
    }
    #expect {
      _ = try ModelFileReader.read(path: dir.appendingPathComponent("a.yaml").path)
    } throws: { "\($0)".contains("extend one another in a cycle: a.yaml → b.yaml → a.yaml") }
  }

  /// An extending file cannot replace its base's random effects or residual error (they would
  /// be lost without a word); it may give them to a base without any.
  @Test func extendingKeepsTheBaseVariability() throws {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("ketasim-pd-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: dir) }
    try FileManager.default.createDirectory(
      at: dir.appendingPathComponent("absorption"), withIntermediateDirectories: true)
    for file in ["fanta-otto-2021.yaml", "domino-1984.yaml", "absorption/racemic-ketamine.yaml"] {
      try String(contentsOf: RepositoryPaths.models.appendingPathComponent(file), encoding: .utf8)
        .write(to: dir.appendingPathComponent(file), atomically: true, encoding: .utf8)
    }
    let path = dir.appendingPathComponent("x.yaml").path
    let omega = "variability:\n  source: test\n  effects:\n    CL: {omega2: 0.09}\n"
    #expect {
      _ = try ModelFileReader.parse(
        yaml: TestModelYAML.header("x", timeUnit: nil) + "\nextends: fanta-otto-2021\n" + omega, file: path)
    } throws: { "\($0)".contains("has its own variability, which this would replace") }
    #expect {
      _ = try ModelFileReader.parse(
        yaml: TestModelYAML.header("x", timeUnit: nil)
          + "\nextends: fanta-otto-2021\nresidual_error:\n  source: test\n  outputs:\n    s_ketamine: {proportional_variance: 0.01}\n",
        file: path)
    } throws: { "\($0)".contains("residual error") }
    // domino-1984 has no variability: an extending file may add some.
    let added = try ModelFileReader.parse(
      yaml: TestModelYAML.header("x", timeUnit: nil) + "\nextends: domino-1984\n"
        + "variability:\n  source: test\n  effects:\n    V1: {omega2: 0.09}\n", file: path)
    #expect(added.variability.effects.map(\.parameter) == ["V1"])
  }
}
