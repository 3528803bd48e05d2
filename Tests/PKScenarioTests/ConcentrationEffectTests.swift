import Foundation
import PKCore
import Testing
import _PKTestSupport

@testable import PKScenario

/// Concentration–effect models: each form against its formula, the curves a simulation
/// carries and writes, and the bad-input messages.
@Suite struct ConcentrationEffectTests {
  @Test func forms() {
    typealias E = ConcentrationEffect
    #expect(E.value(.linear, c: 100, e0: 2, emax: 0, ec50: 0, gamma: 0, slope: 0.5) == 52)
    #expect(E.value(.emax, c: 50, e0: 10, emax: 80, ec50: 50, gamma: 0, slope: 0) == 50)
    #expect(E.value(.inhibitoryEmax, c: 50, e0: 10, emax: 8, ec50: 50, gamma: 0, slope: 0) == 6)
    for gamma in [0.5, 1, 3, 40] {
      expectClose(
        E.value(.sigmoidEmax, c: 121, e0: 0, emax: 100, ec50: 121, gamma: gamma, slope: 0), 50,
        relativeTolerance: 1e-15)
      expectClose(
        E.value(.inhibitorySigmoidEmax, c: 2000, e0: 10, emax: 7.6, ec50: 2000, gamma: gamma, slope: 0), 6.2,
        relativeTolerance: 1e-15)
    }
    // γ = 2, C = 2·EC50: 4/5 of Emax; C = 0: the baseline.
    expectClose(
      E.value(.sigmoidEmax, c: 200, e0: 1, emax: 10, ec50: 100, gamma: 2, slope: 0), 9,
      relativeTolerance: 1e-15)
    #expect(E.value(.sigmoidEmax, c: 0, e0: 1, emax: 10, ec50: 100, gamma: 2, slope: 0) == 1)
  }

  static func model(_ effects: String, ec50: String = "0.121 mg/L", gamma: String = "2") -> String {
    TestModelYAML.header("pd") + """

      parameters:
        V: {value: 10, unit: L, description: volume, provenance: derived}
        CL: {value: 5, unit: L/h, description: clearance, provenance: derived}
        KE0: {value: 3, unit: 1/h, description: ke0, provenance: derived}
        E0: {value: 0, unit: "1", description: baseline, provenance: derived}
        EMAX: {value: 100, unit: "1", description: maximum effect, provenance: derived}
        EC50: {value: \(ec50.split(separator: " ")[0]), unit: \(ec50.split(separator: " ")[1]), description: EC50, provenance: derived}
        GAMMA: {value: \(gamma), unit: "1", description: Hill coefficient, provenance: derived}

      """ + TestModelYAML.oneCompartment(effectSite: true, effects: effects)
  }

  /// A sigmoid Emax on the effect-site concentration: every value is the formula at the
  /// simulated Ce (EC50 121 ng/mL given as 0.121 mg/L), and the CSV carries the column.
  @Test func curvesOnTheEffectSite() throws {
    let yaml = Self.model(
      "  - {name: response_percent, unit: '%', output: ketamine_effect, form: sigmoid_emax, e0: E0, emax: EMAX, ec50: EC50, gamma: GAMMA, source: test}"
    )
    let d = try ModelFileReader.parse(yaml: yaml, file: "pd.yaml")
    var s = Simulator(model: try d.instantiate(for: Subject()), subject: Subject())
    let grid = try OutputGrid(until: (6, .hour), every: (10, .minute))
    let r = try s.run(doses: [try RegimenParser.parse("5 mg iv")], outputTimes: grid.hours)
    let e = try #require(r.effects.first)
    #expect(e.name == "response_percent" && e.unit == "%")
    for k in grid.times.indices {
      let ce = r.concentration(1, at: k)
      let expected = ce > 0 ? 100 / (1 + pow(121 / ce, 2)) : 0
      expectClose(e.values[k], expected, relativeTolerance: 1e-12, absoluteTolerance: 1e-300)
    }
    #expect(e.values.max()! > 50, "the response passes EC50")
    let text = try CSVWriter().render(r, grid: grid)
    #expect(text.hasPrefix("time_min,ketamine_ng_per_ml,ketamine_effect_ng_per_ml,response_percent\n"))
    let long = try CSVWriter(format: .long).render(r, grid: grid)
    #expect(long.contains(",response_percent,") && long.contains(",%\n"))
  }

  @Test(arguments: [
    (
      "  - {name: r, unit: '%', output: nothing, form: emax, e0: E0, emax: EMAX, ec50: EC50, source: t}",
      "unknown output"
    ),
    ("  - {name: r, unit: '%', output: ketamine, form: linear, e0: E0, source: t}", "needs a slope"),
    (
      "  - {name: r, unit: '%', output: ketamine, form: sigmoid_emax, e0: E0, emax: EMAX, ec50: EC50, source: t}",
      "needs gamma"
    ),
    ("  - {name: r, unit: '%', output: ketamine, form: hill, e0: E0, source: t}", "expected linear, emax"),
    (
      "  - {name: r, unit: '%', output: ketamine, form: emax, e0: E0, emax: EMAX, ec50: GAMMA, source: t}",
      "to be a concentration"
    ),
    (
      "  - {name: r, unit: '%', output: ketamine, form: linear, e0: E0, slope: EMAX, source: t}\n"
        + "  - {name: r, unit: '%', output: ketamine, form: emax, e0: E0, emax: EMAX, ec50: EC50, source: t}",
      "two effects are named 'r'"
    ),
    (
      "  - {name: ketamine_ng_per_ml, unit: '%', output: ketamine, form: linear, e0: E0, slope: EMAX, source: t}",
      "has the name of an output's column"
    ),
  ])
  func badDefinitions(text: String, message: String) {
    #expect {
      _ = try ModelFileReader.parse(yaml: Self.model(text), file: "pd.yaml")
    } throws: { error in
      "\(error)".contains(message)
    }
  }

  /// EC50 ≤ 0 and a Hill coefficient ≤ 0 are errors naming the parameter, not NaN curves.
  @Test(arguments: [("0 mg/L", "2", "EC50 'EC50'"), ("0.121 mg/L", "-1", "Hill coefficient 'GAMMA'")])
  func badValues(ec50: String, gamma: String, message: String) throws {
    let yaml = Self.model(
      "  - {name: r, unit: '%', output: ketamine, form: sigmoid_emax, e0: E0, emax: EMAX, ec50: EC50, gamma: GAMMA, source: t}",
      ec50: ec50, gamma: gamma)
    let d = try ModelFileReader.parse(yaml: yaml, file: "pd.yaml")
    var s = Simulator(model: try d.instantiate(for: Subject()), subject: Subject())
    #expect {
      _ = try s.run(doses: [try RegimenParser.parse("5 mg iv")], outputTimes: [0, 1])
    } throws: { error in
      "\(error)".contains(message)
    }
  }
}
