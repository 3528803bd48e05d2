import Foundation
import PKCore
import RealModule
import Testing
import _PKTestSupport

@testable import PKScenario

/// The S-ketamine models fanta-otto-2021, simons-2022, ashraf-2018 and flint-2017: derived
/// properties agree with the literature file (../shared/reference/ketamine-pk-literature.md §2),
/// simulated AUC ratios equal each route's exact F, mass balance holds over parent, metabolites
/// and every elimination path, enzyme activity acts where the model says, and bad fractions in a
/// model file are located errors.
@Suite struct SKetamineModelTests {
  static let names = ["fanta-otto-2021", "simons-2022", "ashraf-2018", "flint-2017"]
  static let adult = Subject(weight: 70, age: 40)

  static func load(_ name: String) throws -> ModelDefinition { try RepositoryPaths.library.load(name) }

  static func value(_ model: String, _ parameter: String, _ subject: Subject = adult) throws -> Double {
    try load(model).value(of: parameter, for: subject)
  }

  @Test(arguments: names)
  func loadsAsAnSKetamineModel(name: String) throws {
    let m = try Self.load(name)
    #expect(m.name == name)
    #expect(m.drug == "S-ketamine (esketamine)")
    #expect(m.outputs.first?.name == "s_ketamine" && m.outputs.first?.compartment == "central")
    #expect(m.outputs.map(\.name).contains("s_norketamine"))
    #expect(m.routes.first?.route == .iv)
    #expect(!m.validatedRange.note.isEmpty)
    for p in m.parameters where p.value != nil {
      #expect(!p.description.isEmpty && !p.unit.isEmpty, "\(name).\(p.name)")
    }
  }

  // MARK: fanta-otto-2021

  /// CL 95.2 L/h at 70 kg (reference §2; Fanta's abstract: 95 L/h/70 kg); only V1 and CL scale.
  @Test func fantaOttoClearanceAndWeightScaling() throws {
    let model = try Self.load("fanta-otto-2021").instantiate(for: Self.adult)
    expectClose(try model.summary().clearance, 95.2, relativeTolerance: 1e-12, "CL at 70 kg")
    let half = Subject(weight: 35)
    expectClose(
      try Self.value("fanta-otto-2021", "CL", half), 95.2 * Double.pow(0.5, 0.75), relativeTolerance: 1e-14)
    expectClose(try Self.value("fanta-otto-2021", "V1", half), 133 * 0.5, relativeTolerance: 1e-14)
    expectClose(
      try Self.value("fanta-otto-2021", "CLNK", half), 57.7 * Double.pow(0.5, 0.75), relativeTolerance: 1e-14)
    #expect(try Self.value("fanta-otto-2021", "VP1", half) == 187)
    #expect(try Self.value("fanta-otto-2021", "Q2", half) == 157)
  }

  /// All S-ketamine clearance forms S-norketamine: at steady state of an infusion R, the
  /// S-norketamine formation rate equals R, so its clearance times its concentration is R.
  @Test func fantaOttoAllClearanceFormsNorketamine() throws {
    let model = try Self.load("fanta-otto-2021").instantiate(for: Self.adult)
    let auc = try model.areaUnderCurvePerDose(output: 1)  // h·mg/L per mg (no conversion)
    expectClose(auc[0] * 57.7, 1, relativeTolerance: 1e-12, "AUC_NK · CL_NK per mg of IV S-ketamine")
  }

  // MARK: ashraf-2018

  /// QH = 3.75·WT^0.75 = 90.8 L/h, EH ≈ 0.82, Fg ≈ 0.74, oral F = Fg·(1 − EH) ≈ 0.13 at 70 kg.
  @Test func ashrafDerivedQuantitiesAt70kg() throws {
    let qh = try Self.value("ashraf-2018", "QH")
    expectClose(qh, 3.75 * Double.pow(70, 0.75), relativeTolerance: 1e-14)
    #expect(abs(qh / 90.8 - 1) <= 1e-3, "QH \(qh)")
    let eh = try Self.value("ashraf-2018", "EH")
    let fg = try Self.value("ashraf-2018", "FG")
    #expect(abs(eh - 0.82) <= 0.01, "EH \(eh)")
    #expect(abs(fg - 0.74) <= 0.01, "Fg \(fg)")
    let model = try Self.load("ashraf-2018").instantiate(for: Self.adult)
    let f = try #require(try model.bioavailability(route: .oral))
    #expect(abs(f - 0.13) <= 0.01, "oral F \(f)")
    expectClose(f, fg * (1 - eh), relativeTolerance: 1e-12, "oral F = Fg·FH")
    expectClose(try model.summary().clearance, qh * eh, relativeTolerance: 1e-12, "CL = QH·EH")
  }

  /// With every enzyme activity 1 the published values are used exactly, and the model is
  /// bitwise the one of a subject who names no activity.
  @Test func ashrafActivityOneChangesNothing() throws {
    let definition = try Self.load("ashraf-2018")
    var unchanged = Self.adult
    for change in [
      EnzymeActivity(enzyme: "CYP3A4", activity: 1), EnzymeActivity(enzyme: "CYP2B6", activity: 1),
      EnzymeActivity(enzyme: "CYP3A4", activity: 1, sites: [.gut]),
    ] {
      try definition.apply(change, to: &unchanged)
    }
    #expect(try definition.value(of: "CLINT_H", for: unchanged) == 301)
    #expect(try definition.value(of: "CLINT_GW", for: unchanged) == 1.19)
    let a = try definition.instantiate(for: Self.adult)
    let b = try definition.instantiate(for: unchanged)
    #expect(a.system.matrix.elements == b.system.matrix.elements)
    #expect(a.parameterValues == b.parameterValues)
  }

  /// Inhibition (activity 0.2) raises the parent AUC, more after oral than after IV dosing
  /// (FG and FH rise as well as CL falling); induction (3) lowers it, more after oral dosing.
  @Test(arguments: [["CYP3A4"], ["CYP2B6"], ["CYP3A4", "CYP2B6"]])
  func ashrafEnzymesActMoreOnOralExposure(enzymes: [String]) throws {
    let definition = try Self.load("ashraf-2018")
    func exposures(_ activity: Double?) throws -> (iv: Double, oral: Double) {
      var s = Self.adult
      if let activity {
        for e in enzymes { try definition.apply(EnzymeActivity(enzyme: e, activity: activity), to: &s) }
      }
      let model = try definition.instantiate(for: s)
      let auc = try model.areaUnderCurvePerDose()
      return (auc[model.routeCompartments[.iv]!], auc[model.routeCompartments[.oral]!])
    }
    let base = try exposures(nil)
    let inhibited = try exposures(0.2)
    let induced = try exposures(3)
    let ivUp = inhibited.iv / base.iv
    let oralUp = inhibited.oral / base.oral
    #expect(ivUp > 1 && oralUp / ivUp > 1, "\(enzymes) at 0.2: IV ×\(ivUp), oral ×\(oralUp)")
    let ivDown = induced.iv / base.iv
    let oralDown = induced.oral / base.oral
    #expect(ivDown < 1 && oralDown < ivDown, "\(enzymes) at 3: IV ×\(ivDown), oral ×\(oralDown)")
  }

  /// The norketamine clearances do not follow enzyme activity.
  @Test func ashrafNorketamineClearanceIgnoresEnzymes() throws {
    let definition = try Self.load("ashraf-2018")
    var s = Self.adult
    try definition.apply(EnzymeActivity(enzyme: "CYP3A4", activity: 0.1), to: &s)
    try definition.apply(EnzymeActivity(enzyme: "CYP2B6", activity: 4), to: &s)
    for name in ["CLH_NK", "FG_NK", "EH_NK"] {
      #expect(
        try definition.value(of: name, for: s) == definition.value(of: name, for: Self.adult), "\(name)")
    }
  }

  // MARK: simons-2022

  /// The film's parent F is its mucosal fraction F1 = 0.263: the swallowed part never reaches
  /// systemic S-ketamine. S-ketamine CL = CLK1 = 1.48 L/min at 70 kg; VN1 = VK1.
  @Test func simonsMucosalBioavailabilityAndClearance() throws {
    let model = try Self.load("simons-2022").instantiate(for: Self.adult)
    let f = try #require(try model.bioavailability(route: .sublingual))
    expectClose(f, 0.263, relativeTolerance: 1e-12, "sublingual F of S-ketamine")
    expectClose(try model.summary().clearance, 1.48 * 60, relativeTolerance: 1e-12, "CL (L/h)")
    let light = Subject(weight: 53)
    #expect(try Self.value("simons-2022", "VN1", light) == Self.value("simons-2022", "VK1", light))
    // value(of:) is in the canonical unit, L/h.
    expectClose(
      try Self.value("simons-2022", "CLK1", light), 1.48 * 60 * Double.pow(53.0 / 70, 0.75),
      relativeTolerance: 1e-14)
  }

  /// Typical 50 mg film at 70 kg against nlmixr2lib's typical-value simulation of the same
  /// reading of the paper (Simons_2022_s_ketamine vignette: S-ketamine Cmax 85.9 ng/mL;
  /// S-norketamine Tmax 61.5 min and AUC0-6h 36287.4 ng·min/mL; S-hydroxynorketamine Tmax 76 min
  /// and AUC0-6h 23367.4; trapezoids on a 0.5-min grid), which its authors checked against
  /// the paper's Table 2 (38497 and 24087 ng·min/mL).
  @Test func simonsFilmMatchesTheTranscribingImplementation() throws {
    let model = try Self.load("simons-2022").instantiate(for: Self.adult)
    var simulator = Simulator(model: model, subject: Self.adult)
    let minutes = (0...720).map { Double($0) / 2 }
    let r = try simulator.run(
      doses: [try RegimenParser.parse("50 mg sublingual")], outputTimes: minutes.map { $0 / 60 })
    func trapezoid(_ c: [Double]) -> Double { zip(c, c.dropFirst()).reduce(0) { $0 + 0.25 * ($1.0 + $1.1) } }
    let k = r.curve(0)
    let nk = r.curve(1)
    let hnk = r.curve(2)
    #expect(abs(k.max()! - 85.9) <= 0.05)
    #expect(minutes[nk.indices.max { nk[$0] < nk[$1] }!] == 61.5)
    #expect(minutes[hnk.indices.max { hnk[$0] < hnk[$1] }!] == 76)
    #expect(abs(trapezoid(nk) - 36287.4) <= 0.05, "S-NK AUC \(trapezoid(nk))")
    #expect(abs(trapezoid(hnk) - 23367.4) <= 0.05, "S-HNK AUC \(trapezoid(hnk))")
  }

  // MARK: flint-2017

  /// CL/Fm of S-norketamine rises 0.870 % per hour of infusion (TINF); the default is 0.
  @Test func flintNorketamineClearanceRisesWithInfusionTime() throws {
    expectClose(try Self.value("flint-2017", "CLNK"), 53.2, relativeTolerance: 1e-14)
    let after48h = Subject(weight: 70, covariates: ["TINF": 48])
    expectClose(
      try Self.value("flint-2017", "CLNK", after48h), 53.2 * (1 + 0.0087 * 48), relativeTolerance: 1e-14)
    let child = Subject(weight: 7, covariates: ["TINF": 10])
    expectClose(
      try Self.value("flint-2017", "CLNK", child), 53.2 * Double.pow(0.1, 0.75) * 1.087,
      relativeTolerance: 1e-14)
    expectClose(try Self.value("flint-2017", "VNK", child), 0.1, relativeTolerance: 1e-14)
    let model = try Self.load("flint-2017").instantiate(for: Self.adult)
    expectClose(try model.summary().clearance, 112, relativeTolerance: 1e-12)
  }

  // MARK: all models

  /// AUC(route)/AUC(IV) from the simulated curves (Gauss–Legendre over the smooth pieces, long
  /// enough that the tail is below rounding) equals the model's exact F to 1e-8.
  @Test(arguments: [("ashraf-2018", "14 mg oral", 600.0), ("simons-2022", "50 mg sublingual", 300.0)])
  func simulatedAUCRatioIsF(name: String, regimen: String, horizon: Double) throws {
    let model = try Self.load(name).instantiate(for: Self.adult)
    let dose = try RegimenParser.parse(regimen)
    let route = dose.route
    func area(_ dose: Dose) throws -> Double {
      let schedule = try DosingSchedule(doses: [dose], model: model, subject: Self.adult)
      // Every dose record's start and end are breakpoints of the curve.
      var breaks: Set<Double> = [0, horizon]
      for r in schedule.records {
        breaks.insert(r.time)
        if r.rate > 0 { breaks.insert(r.time + r.amount / r.rate) }
      }
      var simulator = Simulator(model: model, subject: Self.adult)
      let rule = GaussLegendre(points: 12)
      let a = try rule.integral(breakpoints: breaks.sorted(), panelWidth: 0.25) { times in
        try simulator.run(schedule: schedule, outputTimes: times).curve(0)
      }
      return a / schedule.totalAmount
    }
    let ratio = try area(dose) / area(try RegimenParser.parse("14 mg iv"))
    let f = try #require(try model.bioavailability(route: route))
    expectClose(ratio, f, relativeTolerance: 1e-8, "AUC ratio vs F, \(name) \(regimen)")
  }

  /// Σ compartments + eliminated = amount entering the compartments, to 1e-10 relative, at
  /// every output time once the inputs are complete (route fractions above 1, as simons-2022's
  /// swallowed part, included).
  @Test(arguments: [
    ("fanta-otto-2021", "20 mg iv"), ("fanta-otto-2021", "0.35 mg/kg/h iv for 4 h every 24 h x 3"),
    ("simons-2022", "50 mg sublingual"), ("simons-2022", "20 mg iv over 20 min"),
    ("ashraf-2018", "0.2 mg/kg oral every 8 h x 3"), ("ashraf-2018", "7 mg iv"),
    ("flint-2017", "1 mg/kg/h iv for 48 h"),
  ])
  func massBalance(name: String, regimen: String) throws {
    let model = try Self.load(name).instantiate(for: Self.adult)
    let dose = try RegimenParser.parse(regimen)
    let schedule = try DosingSchedule(doses: [dose], model: model, subject: Self.adult)
    var end = 0.0
    for r in schedule.records {
      let last = r.time + Double(r.additional) * r.interval
      end = max(end, r.rate > 0 ? last + r.amount / r.rate : last)
    }
    var simulator = Simulator(model: model, subject: Self.adult)
    let times = stride(from: end, through: end + 72, by: 0.25).map { $0 }
    let result = try simulator.run(schedule: schedule, outputTimes: times)
    #expect(schedule.enteringAmount > 0)
    for k in times.indices {
      let total = result.drugTotal(at: k)
      expectClose(total, schedule.enteringAmount, relativeTolerance: 1e-10, "\(name) at \(times[k]) h")
    }
    if name == "simons-2022" && dose.route == .sublingual {
      expectClose(schedule.enteringAmount, 50 * (0.263 + 1.16), relativeTolerance: 1e-14)
    }
  }

  /// A fraction above 1 in a model file, in a parameter of unit `fraction` or in an enzyme
  /// pathway, is an error naming it; so are enzyme fractions adding up to more than 1.
  @Test(
    arguments: [
      (
        "ashraf-2018", "    value: 0.70\n    unit: fraction", "    value: 1.70\n    unit: fraction", "'FU'",
        nil
      ),
      ("simons-2022", "    value: 0.263\n", "    value: 1.263\n", "'FMUC'", nil),
      (
        "ashraf-2018", "{CYP2B6: 0.63, CYP3A4: 0.37}", "{CYP2B6: 1.63, CYP3A4: 0.37}", "1.63",
        "parameters.CLINT_H.enzymes.fractions.CYP2B6"
      ),
      ("ashraf-2018", "{CYP2B6: 0.63, CYP3A4: 0.37}", "{CYP2B6: 0.63, CYP3A4: 0.47}", "'CLINT_H'", nil),
    ] as [(String, String, String, String, String?)])
  func fractionAboveOneIsALocatedError(
    name: String, original: String, replacement: String, named: String, field: String?
  ) throws {
    let text = try String(
      contentsOf: RepositoryPaths.models.appendingPathComponent("\(name).yaml"), encoding: .utf8)
    #expect(text.components(separatedBy: original).count == 2, "the edit must hit exactly one place")
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("sketamine-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: dir) }
    try text.replacingOccurrences(of: original, with: replacement)
      .write(to: dir.appendingPathComponent("\(name).yaml"), atomically: true, encoding: .utf8)
    #expect {
      _ = try ModelLibrary(directory: dir.path).load(name)
    } throws: { error in
      guard let e = error as? InputError else { return false }
      return e.source.hasSuffix("\(name).yaml") && "\(e)".contains(named)
        && (field == nil || e.field == field)
    }
  }
}
