import Foundation
import PKCore
import RealModule
import Testing

@testable import PKScenario

/// The non-IV routes of the five racemic IV models (`Models/absorption/racemic-ketamine.yaml`):
/// F·dose enters `central` at constant rate over the published Tmax.
///
/// Known answers, from the absorption file's sources:
/// ```
/// route       F     duration (= published Tmax)
/// im          0.93  20 min    Clements 1982
/// nasal       0.45  20 min    Yanagihara 2003 (F), Malinovsky 1996 (Tmax)
/// oral        0.17  0.96 h    Clements 1982 (F), Chong 2006/2009 (Tmax)
/// sublingual  0.29  0.75 h    Rolan 2014
/// rectal      0.25  42 min    Malinovsky 1996
/// ```
@Suite struct RacemicRoutesTests {
  /// A non-IV route with its published F and input duration (h).
  struct Expected: Sendable, CustomTestStringConvertible {
    var route: Route
    var bioavailability: Double
    var duration: Double
    var testDescription: String { route.rawValue }
  }

  static let models = ["domino-1984", "clements-250", "hijazi-2003", "herd-2007", "kamp-2020"]

  static let routes: [Expected] = [
    Expected(route: .im, bioavailability: 0.93, duration: 20.0 / 60),
    Expected(route: .nasal, bioavailability: 0.45, duration: 20.0 / 60),
    Expected(route: .oral, bioavailability: 0.17, duration: 0.96),
    Expected(route: .sublingual, bioavailability: 0.29, duration: 0.75),
    Expected(route: .rectal, bioavailability: 0.25, duration: 42.0 / 60),
  ]

  static let subject = Subject(weight: 70, age: 40)
  static let dose = 50.0

  static func model(_ name: String) throws -> CompartmentModel {
    try RepositoryPaths.library.load(name).instantiate(for: subject)
  }

  /// One dose of `dose` mg by `route` at time 0, simulated at `times` (h).
  static func simulate(_ model: CompartmentModel, _ route: Route, times: [Double]) throws
    -> SimulationResult
  {
    var simulator = Simulator(model: model, subject: subject)
    return try simulator.run(
      doses: [Dose(route: route, delivery: .bolus(DoseAmount(milligrams: dose)))], outputTimes: times)
  }

  /// Σ compartments + eliminated (mg) at output k.
  static func total(_ r: SimulationResult, at k: Int) -> Double {
    r.drugTotal(at: k)
  }

  @Test(arguments: models)
  func everyRouteIsDeclaredWithItsSource(name: String) throws {
    let definition = try RepositoryPaths.library.load(name)
    #expect(definition.routes.map(\.route) == [.iv, .im, .nasal, .oral, .sublingual, .rectal])
    for r in definition.routes where r.route != .iv {
      #expect(
        r.source?.hasPrefix("absorption/racemic-ketamine: ") == true, "\(r.route): \(r.source ?? "nil")")
      #expect(r.inputs.count == 1 && r.inputs[0].compartment == "central")
    }
  }

  /// F = AUC(route)/AUC(IV) from the system matrix equals the published F.
  @Test(arguments: models, routes)
  func bioavailabilityIsThePublishedF(name: String, expected: Expected) throws {
    let model = try Self.model(name)
    let f = try #require(try model.bioavailability(route: expected.route))
    #expect(
      f.isApproximatelyEqual(to: expected.bioavailability, relativeTolerance: 1e-8),
      "\(name) \(expected.route): F = \(f)")
  }

  /// The same ratio from simulations: every model eliminates only from `central`, so
  /// AUC·CL = amount eliminated, and long after the dose (80 terminal half-lives, a residue
  /// below 2⁻⁸⁰ of the dose) AUC(route)/AUC(IV) = eliminated(route)/eliminated(IV).
  @Test(arguments: models, routes)
  func simulatedAreaRatioIsThePublishedF(name: String, expected: Expected) throws {
    let definition = try RepositoryPaths.library.load(name)
    let eliminating = definition.flows.filter { $0.to == nil }
    #expect(!eliminating.isEmpty && eliminating.allSatisfy { $0.from == "central" })
    let model = try definition.instantiate(for: Self.subject)
    let horizon = 80 * (try model.summary().halfLives.max()!)
    let eliminated = model.compartmentCount
    let iv = try Self.simulate(model, .iv, times: [horizon]).amount(eliminated, at: 0)
    let byRoute = try Self.simulate(model, expected.route, times: [horizon]).amount(eliminated, at: 0)
    #expect(iv.isApproximatelyEqual(to: Self.dose, relativeTolerance: 1e-10), "\(name): IV eliminated \(iv)")
    #expect(
      (byRoute / iv).isApproximatelyEqual(to: expected.bioavailability, relativeTolerance: 1e-8),
      "\(name) \(expected.route): ratio \(byRoute / iv)")
  }

  /// The peak of the central concentration is at the input duration: the largest value on a
  /// grid of T/50 steps over [0, 3T], and above its values 1 s before and after.
  @Test(arguments: models, routes)
  func tmaxIsTheInputDuration(name: String, expected: Expected) throws {
    let model = try Self.model(name)
    let t = expected.duration
    let step = 1.0 / 3600
    var times = (0...150).map { Double($0) / 50 * t }
    times.insert(contentsOf: [t - step], at: 50)
    times.insert(contentsOf: [t + step], at: 52)
    #expect(times[51] == t)
    let curve = try Self.simulate(model, expected.route, times: times).curve()
    let peak = curve.indices.max { curve[$0] < curve[$1] }!
    #expect(peak == 51, "\(name) \(expected.route): peak at \(times[peak] * 60) min, expected \(t * 60) min")
    #expect(curve[51] > curve[50] && curve[51] > curve[52])
  }

  /// Σ compartments + eliminated = F × dose × min(t/T, 1), to 1e-10 relative.
  @Test(arguments: models, routes)
  func massBalance(name: String, expected: Expected) throws {
    let model = try Self.model(name)
    let t = expected.duration
    let times = [0.3 * t, t, 1.7 * t, 5 * t, 24]
    let r = try Self.simulate(model, expected.route, times: times)
    #expect(r.totalDose == Self.dose)
    for (k, time) in times.enumerated() {
      let entered = expected.bioavailability * Self.dose * min(time / t, 1)
      let sum = Self.total(r, at: k)
      #expect(
        sum.isApproximatelyEqual(to: entered, relativeTolerance: 1e-10),
        "\(name) \(expected.route) at \(time) h: \(sum) mg, expected \(entered) mg")
    }
  }

  /// A zero-order route cannot also be infused: the error says so.
  @Test func aRouteDoseCannotBeAnInfusion() throws {
    let model = try Self.model("domino-1984")
    var simulator = Simulator(model: model, subject: Self.subject)
    #expect {
      _ = try simulator.run(
        doses: [Dose(route: .oral, delivery: .infusion(DoseAmount(milligrams: 50), hours: 2))],
        outputTimes: [1])
    } throws: { error in
      (error as? ModelError)?.description.contains(
        "the dose: route 'oral' into 'central' is a zero-order input over 0.96 h") == true
    }
  }

  /// A model file that declares only `iv` rejects every other route, listing the supported one.
  @Test func unsupportedRouteListsTheSupportedOnes() throws {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent(
      "ketasim-routes-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: dir) }
    let path = dir.appendingPathComponent("iv-only.yaml").path
    try ModelFileReaderTests.valid.write(toFile: path, atomically: true, encoding: .utf8)
    let model = try ModelFileReader.read(path: path).instantiate(for: Subject())
    #expect(model.supportedRoutes == [.iv])
    for expected in Self.routes {
      var simulator = Simulator(model: model, subject: Subject())
      #expect {
        _ = try simulator.run(
          doses: [Dose(route: expected.route, delivery: .bolus(DoseAmount(milligrams: 10)))], outputTimes: [1]
        )
      } throws: { error in
        guard let e = error as? ModelError, e == .unsupportedRoute(expected.route, supported: [.iv]) else {
          return false
        }
        return e.description
          == "route '\(expected.route.rawValue)' is not supported by this model; it supports: iv"
      }
      #expect(try model.bioavailability(route: expected.route) == nil)
    }
  }
}
