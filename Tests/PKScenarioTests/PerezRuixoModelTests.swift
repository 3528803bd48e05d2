import Foundation
import PKCore
import RealModule
import Testing
import _PKTestSupport

@testable import PKScenario

/// perez-ruixo-2021 (esketamine nasal spray): derived properties agree with the literature file
/// (../shared/reference/ketamine-pk-literature.md §2), routes give exactly their F, the device
/// rule, and mass balance over parent, metabolite and every elimination path.
@Suite struct PerezRuixoModelTests {
  static let definition = try! RepositoryPaths.library.load("perez-ruixo-2021")
  static let subject = Subject(age: 40)
  static let model = try! definition.instantiate(for: subject)

  static func value(_ name: String, _ subject: Subject = subject) throws -> Double {
    try definition.value(of: name, for: subject)
  }

  /// EH = (kel + kmet)·Vh / (Qh + (kel + kmet)·Vh) ≈ 0.72, kmet / (kel + kmet) ≈ 0.71.
  @Test func hepaticExtractionAndMetabolicFraction() throws {
    let k = try Self.value("KEL") + Self.value("KMET")
    let vh = try Self.value("VH")
    let eh = k * vh / (try Self.value("QH") + k * vh)
    #expect(abs(eh - 0.72) < 0.005, "EH \(eh)")
    let kmet = try Self.value("KMET")
    #expect(abs(kmet / k - 0.71) < 0.005)
  }

  /// Oral F = Fgut·(1 − EH) ≈ 0.18 (abstract: 18.6 % of the swallowed part); CL ≈ 109 L/h
  /// (abstract 114 L/h); Vc + Vp1 + Vp2 = 752 L (abstract Vss 752 L).
  @Test func oralBioavailabilityAndClearance() throws {
    let f = try #require(try Self.model.bioavailability(route: .oral))
    #expect(abs(f - 0.18) < 0.005, "oral F \(f)")
    let s = try Self.model.summary()
    #expect(abs(s.clearance - 109) < 1, "CL \(s.clearance)")
    let vc = try Self.value("VC")
    let vp1 = try Self.value("VP1")
    let vp2 = try Self.value("VP2")
    #expect(vc + vp1 + vp2 == 752)
    // The terminal half-life lies in the label's 7-12 h.
    #expect((7...12).contains(s.halfLives.last!))
  }

  /// One device: F = FRn + (1 − FRn)·F_swallowed, with FRn = 0.54.
  @Test func nasalFirstDeviceF() throws {
    let fNasal = try #require(try Self.model.bioavailability(route: .nasal))
    let fOral = try #require(try Self.model.bioavailability(route: .oral))
    expectClose(fNasal, 0.54 + 0.46 * fOral, relativeTolerance: 1e-12)
  }

  /// AUC(route)/AUC(IV) from the simulated curves (Gauss–Legendre over the smooth pieces)
  /// equals the route's F to 1e-8, the swallowed part and first-pass losses included.
  @Test(arguments: [("28 mg nasal", Route.nasal), ("84 mg oral", Route.oral)])
  func simulatedAUCRatioIsF(regimen: String, route: Route) throws {
    func auc(_ text: String, _ breaks: [Double]) throws -> (parent: Double, dose: Double) {
      let dose = try RegimenParser.parse(text)
      var simulator = Simulator(model: Self.model, subject: Self.subject)
      let rule = GaussLegendre(points: 12)
      let horizon = 600.0  // h: 55 terminal half-lives
      let area = try rule.integral(breakpoints: breaks + [horizon], panelWidth: 0.5) { times in
        try simulator.run(doses: [dose], outputTimes: times).curve(0)
      }
      let schedule = try DosingSchedule(doses: [dose], model: Self.model, subject: Self.subject)
      return (area, schedule.totalAmount)
    }
    let ivArea = try auc("28 mg iv", [0])
    let dsw = try Self.value("DSW")
    let dpo = try Self.value("DPO")
    let routeArea = try auc(regimen, route == .nasal ? [0, dsw] : [0, dpo])
    let ratio = (routeArea.parent / routeArea.dose) / (ivArea.parent / ivArea.dose)
    let f = try #require(try Self.model.bioavailability(route: route))
    expectClose(ratio, f, relativeTolerance: 1e-8, "AUC ratio vs F for \(regimen)")
  }

  /// 84 mg nasal = three devices 5 min apart; the second and third absorb FRn × 0.62.
  @Test func eightyFourMilligramsAreThreeDevices() throws {
    let schedule = try DosingSchedule(
      doses: [try RegimenParser.parse("84 mg nasal")], model: Self.model, subject: Self.subject)
    let nasal = schedule.records.filter { $0.compartment == 5 }
    let swallowed = schedule.records.filter { $0.compartment == 6 }
    let expectedTimes: [Double] = [0, 5.0 / 60, 10.0 / 60]
    #expect(nasal.map(\.time) == expectedTimes)
    expectClose(
      nasal.map(\.amount), [28 * 0.54, 28 * 0.54 * 0.62, 28 * 0.54 * 0.62], relativeTolerance: 1e-14)
    expectClose(
      swallowed.map(\.amount), [28 * 0.46, 28 * (1 - 0.54 * 0.62), 28 * (1 - 0.54 * 0.62)],
      relativeTolerance: 1e-14)
    expectClose(swallowed.map(\.rate), swallowed.map { $0.amount / 0.53 }, relativeTolerance: 1e-14)
    #expect(schedule.totalAmount == 84)
    expectClose(schedule.enteringAmount, 84, relativeTolerance: 1e-14)
  }

  @Test func aDoseThatIsNotWholeDevicesIsAnError() {
    #expect {
      _ = try DosingSchedule(
        doses: [try RegimenParser.parse("70 mg nasal")], model: Self.model, subject: Self.subject)
    } throws: { error in
      let text = "\(error)"
      return text.contains("not a whole number of 28 mg devices") && text.contains("56 mg (2 devices)")
        && text.contains("84 mg (3 devices)")
    }
    #expect(throws: ModelError.self) {
      _ = try DosingSchedule(
        doses: [try RegimenParser.parse("56 mg nasal over 10 min")], model: Self.model, subject: Self.subject)
    }
  }

  /// Σ compartments + eliminated = amount entering, to 1e-10, over eight nasal sessions.
  @Test func massBalanceOverParentMetaboliteAndEliminations() throws {
    let dose = try RegimenParser.parse("56 mg nasal every 3.5 d x 8")
    var simulator = Simulator(model: Self.model, subject: Self.subject)
    let times = stride(from: 0.0, through: 28 * 24, by: 0.25).map { $0 }
    let result = try simulator.run(doses: [dose], outputTimes: times)
    for k in times.indices {
      let sessions = min(8, Int((times[k] / 84).rounded(.down)) + 1)
      // Devices of the last session given by this time.
      let sinceLast = times[k] - Double(sessions - 1) * 84
      let devices = sinceLast >= 5.0 / 60 ? 2 : 1
      let given = Double(sessions - 1) * 56 + Double(devices) * 28
      let total = result.drugTotal(at: k)
      // The swallowed part enters at its zero-order rate: count what has entered so far.
      let swallowedNotYet = Self.notYetEntered(at: sinceLast, devices: devices)
      expectClose(total, given - swallowedNotYet, relativeTolerance: 1e-10, absoluteTolerance: 1e-10 * given)
    }
  }

  /// The swallowed amount of the current session still to enter at `t` h after its start.
  static func notYetEntered(at t: Double, devices: Int) -> Double {
    let d = 0.53
    var rest = 0.0
    for k in 0..<devices {
      let start = Double(k) * 5 / 60
      let amount = 28 * (k == 0 ? 0.46 : 1 - 0.54 * 0.62)
      rest += amount * max(0, min(1, 1 - (t - start) / d))
    }
    return rest
  }

  /// Covariates: age above 60 lowers Qh; Asian origin lowers kel and CLn; Japanese raises FRn.
  @Test func covariates() throws {
    expectClose(try Self.value("QH", Subject(age: 70)), 151 - 21.9, relativeTolerance: 1e-14)
    expectClose(try Self.value("QH", Subject(age: 50)), 151, relativeTolerance: 1e-14)
    let asian = Subject(age: 40, covariates: ["ASIAN": 1, "JPN": 1])
    expectClose(try Self.value("KEL", asian), 1.11 * 0.36, relativeTolerance: 1e-14)
    expectClose(try Self.value("CLN", asian), 38 * 0.81, relativeTolerance: 1e-14)
    expectClose(try Self.value("FRN1", asian), 0.54 * 1.34, relativeTolerance: 1e-14)
    #expect(throws: ModelError.self) { _ = try Self.definition.instantiate(for: Subject()) }
  }
}
