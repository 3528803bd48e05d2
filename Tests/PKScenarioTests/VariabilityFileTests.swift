import Foundation
import PKCore
import Testing
import _PKTestSupport

@testable import PKScenario

/// The `variability` section of model files: each way to write a variance, correlations, how a
/// random effect changes its parameter, and every bad-input message.
@Suite struct VariabilityFileTests {
  static func model(_ variability: String) -> String {
    TestModelYAML.header("v") + """

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

/// The `residual_error` section and the simulated observations it gives.
@Suite struct ResidualErrorTests {
  @Test func forms() throws {
    let d = try ModelFileReader.parse(
      yaml: VariabilityFileTests.model("  source: t\n  effects:\n    V: {omega2: 0.09}")
        + "\nresidual_error:\n  source: a table\n  outputs:\n    ketamine: {proportional: 20%, additive: 0.002 mg/L}\n",
      file: "v.yaml")
    #expect(
      d.residualErrors == [
        ResidualError(output: "ketamine", proportional: 0.2, additive: 2, source: "a table")
      ])
    let e = try ModelFileReader.parse(
      yaml: VariabilityFileTests.model("  source: t\n  effects:\n    V: {omega2: 0.09}")
        + "\nresidual_error:\n  source: s\n  outputs:\n    ketamine: {proportional_variance: 0.0625}\n",
      file: "v.yaml")
    #expect(e.residualErrors[0].proportional == 0.25 && e.residualErrors[0].additive == 0)
    expectClose(
      ResidualError(output: "k", proportional: 0.1, additive: 2, source: "").observation(100, 1, -1), 108,
      relativeTolerance: 1e-15)
  }

  @Test(arguments: [
    ("    cocaine: {proportional: 0.1}", "'cocaine' is not an output"),
    ("    ketamine: {}", "proportional and/or additive"),
    ("    ketamine: {proportional: 0.1, proportional_variance: 0.01}", "not both"),
    ("    ketamine: {additive: 5}", "concentration"),
    ("    ketamine: {proportional: -0.1}", "0 or more"),
  ])
  func bad(text: String, message: String) {
    #expect {
      _ = try ModelFileReader.parse(
        yaml: VariabilityFileTests.model("  source: t\n  effects:\n    V: {omega2: 0.09}")
          + "\nresidual_error:\n  source: s\n  outputs:\n\(text)\n", file: "v.yaml")
    } throws: { error in
      "\(error)".contains(message)
    }
  }

  /// fanta-otto-2021's proportional errors (σ² 0.056 and 0.020): over 300 subjects × 12 times,
  /// the standard deviation of Y/C − 1 lies within five standard errors (σ/√(2n)) of σ_p, the
  /// mean within five of 0; and each subject's observations depend only on the seed and its ID.
  @Test func observationsFollowTheResidualError() throws {
    let model = try RepositoryPaths.library.load("fanta-otto-2021")
    let sampler = try SubjectSampler(
      seed: 5, base: Subject(weight: 70), distributions: [], variability: model.variability, model: model.name
    )
    let runner = PopulationRunner(
      compiled: try CompiledModel(model), sampler: sampler, subjects: .generated(count: 300),
      doses: [try RegimenParser.parse("10 mg iv over 30 min")],
      grid: try OutputGrid(until: (6, .hour), every: (30, .minute)))
    #expect(runner.observedOutputs == [0, 1])
    var ratios: [[Double]] = [[], []]
    for id in 1...300 {
      let s = try runner.subject(at: id - 1).subject
      var sim = Simulator(model: try runner.compiled.instantiate(for: s), subject: s)
      let result = try sim.run(doses: runner.doses, outputTimes: runner.grid.hours)
      let y = runner.observations(id: id, result: result)
      #expect(y == runner.observations(id: id, result: result))
      for k in 1..<result.times.count {
        for o in 0..<2 { ratios[o].append(y[k * 2 + o] / result.concentration(o, at: k) - 1) }
      }
    }
    for (o, variance) in [0.056, 0.020].enumerated() {
      let r = ratios[o]
      let n = Double(r.count)
      let mean = r.reduce(0, +) / n
      let sd = (r.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / (n - 1)).squareRoot()
      let sigma = variance.squareRoot()
      #expect(abs(mean) < 5 * sigma / n.squareRoot(), "output \(o): mean \(mean)")
      #expect(abs(sd - sigma) < 5 * sigma / (2 * n).squareRoot(), "output \(o): sd \(sd) against \(sigma)")
    }
  }
}
