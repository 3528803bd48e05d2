import Foundation
import PKCore
import Testing
import _PKTestSupport

@testable import PKScenario

/// The `variability` section of model files: each way to write a variance, correlations, how a
/// random effect changes its parameter, and every bad-input message.
@Suite struct VariabilityFileTests {
  static func model(_ variability: String) -> String {
    """
    name: v
    version: 1
    drug: test
    description: test
    citation: none
    population: none
    sampling_site: venous
    validated_range: {note: none}
    time_unit: h
    covariates:
      WT: {unit: kg, description: weight}
    parameters:
      V: {value: 10, unit: L, description: volume, provenance: derived}
      CL_70: {value: 5, unit: L/h, description: clearance, provenance: derived}
      CL: {expression: "CL_70 * (WT / 70) ^ 0.75", unit: L/h, description: clearance of the subject}
      FR: {value: 0.4, unit: fraction, description: a fraction, provenance: derived}
    compartments:
      - {name: central, volume: V}
    flows:
      - {from: central, clearance: CL}
    outputs:
      - {name: ketamine, compartment: central}
    routes:
      iv: central
    variability:
    \(variability)
    """
  }

  @Test func varianceFormsAndCorrelations() throws {
    let d = try ModelFileReader.parse(
      yaml: Self.model(
        """
          source: "a table"
          effects:
            V: {omega2: 0.09}
            CL: {omega: 0.2}
            CL_70: {cv: 30%}
            FR: {cv_logit: 50%, distribution: logit}
          correlations:
            - {between: [V, CL], correlation: 0.5}
            - {between: [V, FR], covariance: 0.01}
        """), file: "v.yaml")
    let v = d.variability
    #expect(v.effects.map(\.parameter) == ["V", "CL", "CL_70", "FR"])
    #expect(v.covariance(0, 0) == 0.09)
    expectClose(v.covariance(1, 1), 0.04, relativeTolerance: 1e-15)
    expectClose(v.covariance(2, 2), log(1.09), relativeTolerance: 1e-15)
    #expect(v.covariance(3, 3) == 0.25)
    expectClose(v.covariance(0, 1), 0.5 * 0.3 * 0.2, relativeTolerance: 1e-15)
    #expect(v.covariance(1, 0) == v.covariance(0, 1))
    #expect(v.covariance(0, 3) == 0.01 && v.covariance(3, 0) == 0.01)
    #expect(v.effects[3].distribution == .logit)
    #expect(v.effects[0].source == "a table")
  }

  /// P·exp(η), P + η and logit⁻¹(logit P + η), applied after the covariates.
  @Test func randomEffectsActOnTheParameter() throws {
    var d = try ModelFileReader.parse(
      yaml: Self.model(
        "  source: t\n  effects:\n    CL: {omega2: 0.09}\n    FR: {omega2: 0.25, distribution: logit}"),
      file: "v.yaml")
    var subject = Subject(weight: 50)
    subject.covariates["ETA(CL)"] = 0.3
    subject.covariates["ETA(FR)"] = -0.7
    let typical = 5 * pow(50.0 / 70, 0.75)
    expectClose(try d.value(of: "CL", for: subject), typical * exp(0.3), relativeTolerance: 1e-14)
    let logit = log(0.4 / 0.6) - 0.7
    expectClose(try d.value(of: "FR", for: subject), 1 / (1 + exp(-logit)), relativeTolerance: 1e-14)
    // Without η the typical values.
    expectClose(try d.value(of: "CL", for: Subject(weight: 50)), typical, relativeTolerance: 1e-15)
    d.variability.set(RandomEffect(parameter: "V", distribution: .normal, source: "t"), variance: 1)
    subject.covariates["ETA(V)"] = 2.5
    expectClose(try d.value(of: "V", for: subject), 12.5, relativeTolerance: 1e-15)
  }

  @Test(arguments: [
    ("  source: t\n  effects:\n    K: {omega2: 0.1}", "'K' is not a parameter"),
    ("  source: t\n  effects:\n    V: {omega2: -0.1}", "0 or more"),
    ("  source: t\n  effects:\n    V: {omega2: 0.1, omega: 0.3}", "exactly one of"),
    ("  source: t\n  effects:\n    V: {omega2: 0.1, distribution: gamma}", "lognormal, normal or logit"),
    ("  source: t\n  effects:\n    V: {omega2: 0.1, distribution: logit}", "a logit random effect"),
    ("  source: t\n  effects:\n    V: {cv: 30%, distribution: normal}", "log-normal effect only"),
    (
      "  source: t\n  effects:\n    V: {omega2: 0.1}\n  correlations:\n    - {between: [V, CL], correlation: 0.2}",
      "'CL' has no random effect"
    ),
    (
      "  source: t\n  effects:\n    V: {omega2: 0.1}\n    CL: {omega2: 0.1}\n  correlations:\n    - {between: [V, CL], correlation: 1.2}",
      "between -1 and 1"
    ),
    ("  effects:\n    V: {omega2: 0.1}", "source"),
  ])
  func badVariability(text: String, message: String) {
    #expect {
      _ = try ModelFileReader.parse(yaml: Self.model(text), file: "v.yaml")
    } throws: { error in
      "\(error)".contains(message) && "\(error)".contains("v.yaml")
    }
  }

  /// The bundled variability: fanta-otto-2021 and ashraf-2018 as published (ω²).
  @Test func bundledVariability() throws {
    let fanta = try RepositoryPaths.library.load("fanta-otto-2021").variability
    #expect(fanta.effects.map(\.parameter) == ["V1", "CL", "VNK", "CLNK"])
    #expect(
      [fanta.covariance(0, 0), fanta.covariance(1, 1), fanta.covariance(2, 2), fanta.covariance(3, 3)] == [
        0.084, 0.026, 0.040, 0.103,
      ])
    #expect(fanta.covariance(0, 1) == 0.023 && fanta.covariance(2, 3) == 0.044 && fanta.covariance(0, 2) == 0)
    let ashraf = try RepositoryPaths.library.load("ashraf-2018").variability
    #expect(ashraf.effects.map(\.parameter) == ["KA", "VP1", "CLINT_H", "CLINT_GW", "CLINT_H_NK"])
    #expect((0..<5).map { ashraf.covariance($0, $0) } == [0.42, 0.045, 0.25, 2.1, 0.10])
  }
}
