import Foundation
import PKCore
import RealModule
import Testing

@testable import PKScenario

/// Every bundled model loads and simulates; derived quantities agree with the literature file
/// (../shared/reference/ketamine-pk-literature.md §1).
@Suite struct ModelLibraryTests {
  @Test func theFiveRacemicModelsAreBundled() throws {
    let names = try RepositoryPaths.library.names()
    for name in ["domino-1984", "clements-250", "hijazi-2003", "herd-2007", "kamp-2020"] {
      #expect(names.contains(name), "missing bundled model \(name)")
    }
    #expect(names == RepositoryPaths.bundledModelNames)
  }

  @Test(arguments: RepositoryPaths.bundledModelNames)
  func loadsAndSimulates(name: String) throws {
    let definition = try RepositoryPaths.library.load(name)
    #expect(definition.name == name)
    #expect(!definition.citation.isEmpty)
    #expect(!definition.population.isEmpty)
    #expect(definition.samplingSite.hasPrefix("arterial") || definition.samplingSite.hasPrefix("venous"))
    for p in definition.parameters { #expect(!p.description.isEmpty && !p.unit.isEmpty) }
    let subject = Subject(weight: 70, age: 40)
    let model = try definition.instantiate(for: subject)
    var simulator = Simulator(model: model, subject: subject)
    let dose = try RegimenParser.parse("0.5 mg/kg iv over 40 min")
    let times = (0...288).map { Double($0) * 5 / 60 }
    let result = try simulator.run(doses: [dose], outputTimes: times)
    let curve = result.curve()
    #expect(curve.allSatisfy { $0.isFinite && $0 >= 0 })
    #expect(curve[0] == 0)
    let peak = curve.max()!
    #expect(peak > 10 && peak < 10_000, "implausible peak \(peak) ng/mL for \(name)")
    // Mass balance: every state, eliminated included, sums to the dose.
    for k in times.indices {
      let total = result.drugTotal(at: k)
      let given = min(times[k], 40.0 / 60) / (40.0 / 60) * 35
      #expect(total.isApproximatelyEqual(to: given, absoluteTolerance: 1e-10 * 35))
    }
  }

  @Test func dominoDerivedQuantitiesAt70kg() throws {
    let model = try RepositoryPaths.library.load("domino-1984").instantiate(for: Subject(weight: 70))
    let s = try model.summary()
    #expect(abs(s.clearance - 116) <= 1, "CL \(s.clearance) L/h")
    #expect(abs(s.steadyStateVolume - 193) <= 1, "Vss \(s.steadyStateVolume) L")
    let minutes = s.halfLives.map { $0 * 60 }
    #expect(abs(minutes[0] - 0.4) <= 0.05 && abs(minutes[1] - 4.6) <= 0.05 && abs(minutes[2] - 115) <= 0.5)
  }

  @Test func hijaziDerivedQuantities() throws {
    let weight = 70.0
    let model = try RepositoryPaths.library.load("hijazi-2003").instantiate(for: Subject(weight: weight))
    let s = try model.summary()
    let mlPerMinPerKg = s.clearance * 1000 / 60 / weight
    #expect(abs(mlPerMinPerKg - 36.0) <= 0.05, "CL \(mlPerMinPerKg) mL/min/kg")
    #expect(abs(s.halfLives.last! - 4.9) <= 0.05, "terminal t½ \(s.halfLives.last!) h")
  }

  @Test func herdScalesAllometrically() throws {
    let definition = try RepositoryPaths.library.load("herd-2007")
    let cl35 = try definition.value(of: "CL", for: Subject(weight: 35))
    let v35 = try definition.value(of: "V1", for: Subject(weight: 35))
    #expect(cl35.isApproximatelyEqual(to: 90 * Double.pow(0.5, 0.75), relativeTolerance: 1e-14))
    #expect(v35.isApproximatelyEqual(to: 38.7 * 0.5, relativeTolerance: 1e-14))
  }

  @Test func outOfRangeWarns() throws {
    let definition = try RepositoryPaths.library.load("herd-2007")
    #expect(
      definition.validatedRange.warnings(for: Subject(weight: 90, age: 40), model: "herd-2007").count == 2)
    #expect(definition.validatedRange.warnings(for: Subject(weight: 30, age: 8), model: "herd-2007").isEmpty)
  }

  @Test func unknownModelListsTheBundledOnes() {
    #expect {
      _ = try RepositoryPaths.library.load("no-such-model")
    } throws: { error in
      let e = error as! InputError
      return e.message.contains("unknown model 'no-such-model'") && e.message.contains("domino-1984")
    }
  }

  @Test func missingLibraryIsAClearError() {
    let library = ModelLibrary(directory: "/nonexistent/models")
    #expect(throws: InputError.self) { try library.names() }
  }

  /// Without a directory or KETASIM_MODELS the library is found by walking up from the test
  /// binary or the current directory (the package root under `swift test`): this repository's
  /// `Models/`, the same folder `RepositoryPaths` finds.
  @Test func theLibraryIsFoundWithoutBeingNamed() throws {
    let found = try #require(ModelLibrary(environment: [:]).directory)
    #expect(FileManager.default.fileExists(atPath: found + "/README.md"))
    #expect(
      URL(fileURLWithPath: found).resolvingSymlinksInPath().path
        == RepositoryPaths.models.resolvingSymlinksInPath().path)
  }

  /// The path helpers of the search: parents up to the root, joins without doubled slashes.
  @Test func pathHelpers() {
    #expect(ModelLibrary._parent("/a/b/c") == "/a/b")
    #expect(ModelLibrary._parent("/a/b/") == "/a")
    #expect(ModelLibrary._parent("/a") == "/")
    #expect(ModelLibrary._parent("/") == "/")
    #expect(ModelLibrary._parent("a/b") == "a")
    #expect(ModelLibrary._parent("a") == ".")
    #expect(ModelLibrary._join("/", "Models") == "/Models")
    #expect(ModelLibrary._join("/opt/ketasim", "share/ketasim/Models") == "/opt/ketasim/share/ketasim/Models")
    #expect(ModelLibrary._realPath("/nonexistent/ketasim") == nil)
    #expect(ModelLibrary._executablePath() != nil)
  }
}
