import Foundation
import PKCore
import Testing
import _PKTestSupport

@testable import PKScenario

/// Enzyme activities and interacting drugs: activity 1 changes nothing; inhibition raises and
/// induction lowers parent exposure, more after oral than after IV dosing; bad input is a clear
/// error. Model: perez-ruixo-2021 (hepatic first pass in its structure).
@Suite struct EnzymeInteractionTests {
  static let definition = try! RepositoryPaths.library.load("perez-ruixo-2021")

  /// Parent AUC per mg (h·mg/L) after IV and after oral dosing for `subject`.
  static func exposures(_ subject: Subject) throws -> (iv: Double, oral: Double) {
    let model = try definition.instantiate(for: subject)
    let auc = try model.areaUnderCurvePerDose()
    let iv = auc[model.routeCompartments[.iv]!]
    return (iv, iv * (try model.bioavailability(route: .oral)!))
  }

  static func subject(_ changes: [EnzymeActivity]) throws -> Subject {
    var s = Subject(age: 40)
    for c in changes { try definition.apply(c, to: &s) }
    return s
  }

  @Test func shippedInteractionFilesLoad() throws {
    let names = try RepositoryPaths.library.interactionNames()
    #expect(names == ["clarithromycin", "grapefruit-juice", "itraconazole", "rifampicin", "st-johns-wort"])
    for name in names {
      let i = try RepositoryPaths.library.interaction(name)
      #expect(i.name == name && !i.citation.isEmpty && !i.derivation.isEmpty)
      #expect(i.activities.allSatisfy { $0.activity > 0 })
    }
  }

  @Test func activityOneChangesNothing() throws {
    let normal = Subject(age: 40)
    let unchanged = try Self.subject([
      EnzymeActivity(enzyme: "CYP3A4", activity: 1), EnzymeActivity(enzyme: "CYP2B6", activity: 1),
    ])
    let dose = try RegimenParser.parse("56 mg nasal every 3.5 d x 2")
    let times = stride(from: 0.0, through: 168, by: 0.5).map { $0 }
    var a = Simulator(model: try Self.definition.instantiate(for: normal), subject: normal)
    var b = Simulator(model: try Self.definition.instantiate(for: unchanged), subject: unchanged)
    let ra = try a.run(doses: [dose], outputTimes: times)
    let rb = try b.run(doses: [dose], outputTimes: times)
    #expect(ra.concentrations == rb.concentrations)
    #expect(ra.amounts == rb.amounts)
  }

  @Test(arguments: ["CYP3A4", "CYP2B6"])
  func inhibitionRaisesAndInductionLowersExposureMoreAfterOralDosing(enzyme: String) throws {
    let base = try Self.exposures(Subject(age: 40))
    let inhibited = try Self.exposures(try Self.subject([EnzymeActivity(enzyme: enzyme, activity: 0.2)]))
    let induced = try Self.exposures(try Self.subject([EnzymeActivity(enzyme: enzyme, activity: 3)]))
    let ivUp = inhibited.iv / base.iv
    let oralUp = inhibited.oral / base.oral
    #expect(ivUp > 1 && oralUp > ivUp, "inhibited: IV ×\(ivUp), oral ×\(oralUp)")
    let ivDown = induced.iv / base.iv
    let oralDown = induced.oral / base.oral
    #expect(ivDown < 1 && oralDown < ivDown, "induced: IV ×\(ivDown), oral ×\(oralDown)")
  }

  /// Grapefruit juice acts in the gut wall only: IV exposure is exactly unchanged.
  @Test func grapefruitJuiceChangesOnlyOralExposure() throws {
    var s = Subject(age: 40)
    let skipped = try Self.definition.apply(
      try RepositoryPaths.library.interaction("grapefruit-juice"), to: &s)
    #expect(skipped.isEmpty)
    #expect(s.enzymeActivities == ["CYP3A4_GUT": 0.38])
    let base = try Self.exposures(Subject(age: 40))
    let juice = try Self.exposures(s)
    #expect(juice.iv == base.iv)
    #expect(juice.oral > base.oral * 1.1)
  }

  /// Two changes of one enzyme multiply.
  @Test func changesCompound() throws {
    let s = try Self.subject([
      EnzymeActivity(enzyme: "CYP3A4", activity: 0.5), EnzymeActivity(enzyme: "CYP3A4", activity: 0.4),
    ])
    expectClose(s.enzymeActivities["CYP3A4"]!, 0.2, relativeTolerance: 1e-15)
    expectClose(s.enzymeActivities["CYP3A4_GUT"]!, 0.2, relativeTolerance: 1e-15)
  }

  @Test func badEnzymeChangesAreClearErrors() throws {
    var s = Subject(age: 40)
    #expect {
      try Self.definition.apply(EnzymeActivity(enzyme: "CYP2C9", activity: 0.5), to: &s)
    } throws: { "\($0)".contains("does not name enzyme 'CYP2C9'") && "\($0)".contains("CYP2B6, CYP3A4") }
    #expect {
      try Self.definition.apply(EnzymeActivity(enzyme: "CYP3A4", activity: 0), to: &s)
    } throws: { "\($0)".contains("expected a number above 0") }
    let domino = try RepositoryPaths.library.load("domino-1984")
    #expect {
      _ = try domino.apply(try RepositoryPaths.library.interaction("clarithromycin"), to: &s)
    } throws: { "\($0)".contains("names no enzymes") }
    #expect { _ = try RepositoryPaths.library.interaction("aspirin") } throws: {
      ($0 as! InputError).message.contains("unknown interacting drug 'aspirin'")
        && ($0 as! InputError).message.contains("clarithromycin")
    }
    #expect(throws: QuantityError.self) { _ = try AssignmentParser.enzyme("CYP3A4=-1") }
    #expect(throws: QuantityError.self) { _ = try AssignmentParser.enzyme("CYP3A4") }
  }

  /// Scenario files take `enzymes:` and `with:`; a bad entry is located at its line.
  @Test func scenarioFileEnzymesAndInteractions() throws {
    let base = "model: perez-ruixo-2021\nsubject: {age: 40 y}\n"
    let tail = "doses: [84 mg oral]\noutput: {until: 24 h, every: 1 h}\n"
    let ok = try ScenarioFileReader.parse(
      yaml: base + "enzymes: {CYP2B6: 0.5}\nwith: [clarithromycin]\n" + tail, file: "s.yaml",
      library: RepositoryPaths.library)
    #expect(ok.subject.enzymeActivities["CYP2B6"] == 0.5)
    expectClose(ok.subject.enzymeActivities["CYP3A4"]!, 0.346, relativeTolerance: 1e-15)
    for (line, message) in [
      ("enzymes: {CYP2C9: 0.5}", "does not name enzyme 'CYP2C9'"), ("enzymes: {CYP3A4: 0}", "above 0"),
      ("with: [aspirin]", "unknown interacting drug"),
    ] {
      #expect {
        _ = try ScenarioFileReader.parse(
          yaml: base + line + "\n" + tail, file: "s.yaml", library: RepositoryPaths.library)
      } throws: { error in
        let e = error as! InputError
        return e.line == 3 && e.message.contains(message)
      }
    }
  }

  /// The ready-made pair: clarithromycin raises oral S-ketamine exposure on ashraf-2018 and lowers
  /// the norketamine/ketamine ratio (Hagelberg 2010 saw ×2.6 and −54 %; the model's numbers follow
  /// from its enzyme fractions and the probe-derived activities, not from that study).
  @Test func clarithromycinScenarioRaisesOralSKetamine() throws {
    func exposures(_ name: String) throws -> (parent: Double, metabolite: Double) {
      let path = RepositoryPaths.scenarios.appendingPathComponent(name + ".yaml").path
      let scenario = try ScenarioFileReader.read(path: path, library: RepositoryPaths.library)
      let model = try scenario.model.instantiate(for: scenario.subject)
      let f = try model.bioavailability(route: .oral)!
      let parent = f * (try model.areaUnderCurvePerDose(output: 0))[model.routeCompartments[.iv]!]
      var simulator = Simulator(model: model, subject: scenario.subject)
      let result = try simulator.run(doses: scenario.doses, outputTimes: scenario.grid.hours)
      return (parent, result.curve(1).reduce(0, +))
    }
    let plain = try exposures("oral-s-ketamine")
    let with = try exposures("oral-s-ketamine-clarithromycin")
    #expect(with.parent / plain.parent > 1.3, "parent ×\(with.parent / plain.parent)")
    #expect(with.metabolite / with.parent < plain.metabolite / plain.parent)
  }
}
