import Foundation
import PKCore
import RealModule
import Testing
import _PKTestSupport

@testable import PKScenario

/// Indirect-response (turnover) models: the four types against their closed forms with the
/// concentration held constant, against an independent RK4 reference when it varies, the
/// baseline without drug, mass balance, the CSV column and every bad-input message.
@Suite struct IndirectResponseTests {
  typealias M = IndirectResponse.Mechanism

  /// A one-compartment model (V 10 L, elimination CL, effect site ke0 3 /h) with one indirect
  /// response `entry`. With `cl: 0` a bolus holds the plasma concentration constant.
  static func model(
    _ entry: String, cl: Double = 0, ic50: String = "100 ng/mL", gamma: String = "2", imax: String = "0.8",
    kout: String = "0.03 1/min", halfLife: String = "6 h", r0: String = "7", parameters: String = ""
  ) -> String {
    func p(_ name: String, _ text: String) -> String {
      let parts = text.split(separator: " ", maxSplits: 1)
      return "  \(name): {value: \(parts[0]), unit: \"\(parts.count > 1 ? String(parts[1]) : "1")\", "
        + "description: \(name), provenance: derived}\n"
    }
    return TestModelYAML.header("ir") + "\nparameters:\n"
      + p("V", "10 L") + p("CL", "\(cl) L/h") + p("KE0", "3 1/h") + p("IC50", ic50) + p("GAMMA", gamma)
      + p("IMAX", imax) + p("KOUT", kout) + p("T12", halfLife) + p("BASE", r0) + parameters
      + TestModelYAML.oneCompartment(effectSite: true, effects: "  - \(entry)\n")
  }

  static func entry(_ m: M, output: String = "ketamine", turnover: String = "kout: KOUT", gamma: Bool = true)
    -> String
  {
    let action = m.inhibits ? "inhibits" : "stimulates"
    let target = m.onProduction ? "production" : "loss"
    let drug = m.inhibits ? "imax: IMAX, ic50: IC50" : "emax: IMAX, ec50: IC50"
    return "{name: pain, unit: NRS, output: \(output), form: indirect_response, \(action): \(target), "
      + "r0: BASE, \(turnover), \(drug)\(gamma ? ", gamma: GAMMA" : ""), source: test}"
  }

  static func run(_ yaml: String, dose: String, until: Double, every: Double) throws -> SimulationResult {
    let d = try ModelFileReader.parse(yaml: yaml, file: "ir.yaml")
    var s = Simulator(model: try d.instantiate(for: Subject()), subject: Subject())
    let times = stride(from: 0, through: until, by: every).map { $0 }
    return try s.run(doses: [try RegimenParser.parse(dose)], outputTimes: times)
  }

  /// C held at 150 ng/mL (1.5 mg bolus into 10 L, no elimination): each type follows
  /// R(t) = Rss + (R0 − Rss)·e^(−k′t) (kout 0.03 /min = 1.8 /h, γ 2, IC50 100 ng/mL, 0.8).
  @Test(arguments: M.allCases)
  func constantConcentrationClosedForm(mechanism: M) throws {
    let r = try Self.run(Self.model(Self.entry(mechanism)), dose: "1.5 mg iv", until: 12, every: 0.25)
    let curve = try #require(r.effects.first { $0.name == "pain" })
    #expect(curve.unit == "NRS")
    let h = IndirectResponse.drugEffect(c: 150, maximum: 0.8, potency: 100, gamma: 2)
    expectClose(h, 0.8 * 2.25 / 3.25, relativeTolerance: 1e-15)
    for (k, t) in r.times.enumerated() {
      let expected = IndirectResponse.constantConcentration(mechanism, t: t, h: h, r0: 7, kout: 1.8)
      expectClose(curve.values[k], expected, relativeTolerance: 1e-7, "t = \(t) h")
    }
    // By 12 h (9.6 time constants of the slowest type, II: k′ = 1.8·(1 − H) = 0.80 /h) R is at
    // its steady state.
    let steady = IndirectResponse.constantConcentration(mechanism, t: 1e9, h: h, r0: 7, kout: 1.8)
    expectClose(curve.values.last!, steady, relativeTolerance: 1e-3)
  }

  /// Type II at H = 1 loses nothing: the closed form is R0·(1 + kout·t), the limit of the
  /// general form as H → 1 (whose Rss = R0/(1 − H) is infinite there).
  @Test func inhibitsLossAtFullInhibition() {
    for t in [0.0, 0.5, 3] {
      let full = IndirectResponse.constantConcentration(.inhibitsLoss, t: t, h: 1, r0: 7, kout: 1.8)
      expectClose(full, 7 * (1 + 1.8 * t), relativeTolerance: 1e-15)
      let near = IndirectResponse.constantConcentration(.inhibitsLoss, t: t, h: 1 - 1e-9, r0: 7, kout: 1.8)
      expectClose(full, near, relativeTolerance: 1e-6, "t = \(t) h")
    }
  }

  /// A turnover half-life gives kout = ln 2 / t½, and γ left out is 1 (hyperbolic).
  @Test func halfLifeAndHyperbolicDefault() throws {
    let yaml = Self.model(Self.entry(.inhibitsProduction, turnover: "half_life: T12", gamma: false))
    let r = try Self.run(yaml, dose: "1.5 mg iv", until: 24, every: 1)
    let curve = r.effects[0].values
    let h = 0.8 * 150 / (100 + 150.0)
    for (k, t) in r.times.enumerated() {
      let expected = IndirectResponse.constantConcentration(
        .inhibitsProduction, t: t, h: h, r0: 7, kout: Double.log(2) / 6)
      expectClose(curve[k], expected, relativeTolerance: 1e-7)
    }
    expectClose(curve[6], 7 - 0.5 * 7 * h, relativeTolerance: 1e-7, "half the change at t½")
  }

  /// Without drug R stays at R0 exactly, for every type (the dose comes after the last output).
  @Test(arguments: M.allCases)
  func baselineWithoutDrug(mechanism: M) throws {
    let r = try Self.run(
      Self.model(Self.entry(mechanism), cl: 5), dose: "5 mg iv at 10 h", until: 8, every: 0.5)
    #expect(r.effects[0].values.allSatisfy { $0 == 7 })
  }

  /// A falling concentration (CL 5 L/h) driving each type through the effect site: the engine
  /// against RK4 with 20 000 steps on the closed-form effect-site concentration
  /// Ce = C0·ke0/(ke0 − k)·(e^(−kt) − e^(−ke0·t)); the drug total stays the dose.
  @Test(arguments: M.allCases)
  func varyingConcentrationAgainstRK4(mechanism: M) throws {
    let yaml = Self.model(Self.entry(mechanism, output: "ketamine_effect"), cl: 5, gamma: "1.5")
    let r = try Self.run(yaml, dose: "3 mg iv", until: 8, every: 0.5)
    let (c0, k, ke0, kout) = (300.0, 0.5, 3.0, 1.8)
    func ce(_ t: Double) -> Double { c0 * ke0 / (ke0 - k) * (Double.exp(-k * t) - Double.exp(-ke0 * t)) }
    func f(_ t: Double, _ y: Double) -> Double {
      let h = IndirectResponse.drugEffect(c: ce(t), maximum: 0.8, potency: 100, gamma: 1.5)
      return IndirectResponse.rate(mechanism, r: y, h: h, r0: 7, kout: kout)
    }
    let steps = 20_000
    let dt = 8.0 / Double(steps)
    var y = 7.0
    var reference = [y]
    for i in 0..<steps {
      let t = Double(i) * dt
      let k1 = f(t, y)
      let k2 = f(t + dt / 2, y + dt / 2 * k1)
      let k3 = f(t + dt / 2, y + dt / 2 * k2)
      let k4 = f(t + dt, y + dt * k3)
      y += dt / 6 * (k1 + 2 * k2 + 2 * k3 + k4)
      if (i + 1) % (steps / 16) == 0 { reference.append(y) }
    }
    expectClose(r.effects[0].values, reference, relativeTolerance: 1e-7)
    #expect(abs(r.effects[0].values.max()! - r.effects[0].values.min()!) > 0.5, "the response moves")
    for k in r.times.indices {
      expectClose(r.drugTotal(at: k), 3, relativeTolerance: 1e-12, "the response is not drug")
    }
  }

  /// The response is a CSV column of a single run; its state (R − R0) is `pain_change`.
  /// A response curve is read from its state's amounts, so a simulator asked for no amounts
  /// keeps them for such a model: the same curve, bit for bit.
  @Test func responsesKeepTheirAmountsWithoutAmountsAskedFor() throws {
    let d = try ModelFileReader.parse(
      yaml: Self.model(Self.entry(.inhibitsProduction), cl: 2), file: "ir.yaml")
    var s = Simulator(model: try d.instantiate(for: Subject()), subject: Subject())
    let times = stride(from: 0.0, through: 12, by: 0.1).map { $0 }
    let doses = [try RegimenParser.parse("1.5 mg iv")]
    let full = try s.run(doses: doses, outputTimes: times)
    s.reportsAmounts = false
    let without = try s.run(doses: doses, outputTimes: times)
    #expect(without.effects == full.effects && !without.effects.isEmpty)
    #expect(without.amounts == full.amounts && !without.amounts.isEmpty)
  }

  @Test func csvColumnAndState() throws {
    let d = try ModelFileReader.parse(
      yaml: Self.model(Self.entry(.inhibitsProduction), cl: 5), file: "ir.yaml")
    #expect(!d.isLinear)
    #expect(d.compartments.last?.name == "pain_change" && d.compartments.last?.unit == "NRS")
    var s = Simulator(model: try d.instantiate(for: Subject()), subject: Subject())
    let grid = try OutputGrid(until: (2, .hour), every: (30, .minute))
    let r = try s.run(doses: [try RegimenParser.parse("5 mg iv")], outputTimes: grid.hours)
    let text = try CSVWriter().render(r, grid: grid)
    #expect(text.hasPrefix("time_min,ketamine_ng_per_ml,ketamine_effect_ng_per_ml,pain\n"), "\(text)")
    #expect(try CSVWriter(format: .long).render(r, grid: grid).contains(",pain,"))
  }

  @Test(arguments: [
    (entry(.inhibitsProduction, output: "nothing"), "unknown output 'nothing'"),
    (
      "{name: pain, unit: NRS, output: ketamine, form: indirect_response, r0: BASE, kout: KOUT, imax: IMAX, ic50: IC50, source: t}",
      "exactly one of inhibits or stimulates"
    ),
    (
      "{name: pain, unit: NRS, output: ketamine, form: indirect_response, inhibits: kin, r0: BASE, kout: KOUT, imax: IMAX, ic50: IC50, source: t}",
      "expected production or loss"
    ),
    (entry(.inhibitsLoss, turnover: "kout: KOUT, half_life: T12"), "exactly one of kout"),
    (
      "{name: pain, unit: NRS, output: ketamine, form: indirect_response, stimulates: loss, r0: BASE, kout: KOUT, imax: IMAX, ec50: IC50, source: t}",
      "takes emax and ec50, not imax"
    ),
    (entry(.inhibitsProduction, turnover: "kout: T12"), "to be a rate constant"),
    (entry(.inhibitsProduction, turnover: "half_life: KOUT"), "to be a time"),
    (
      "{name: pain, unit: mg, output: ketamine, form: indirect_response, inhibits: loss, r0: BASE, kout: KOUT, imax: IMAX, ic50: IC50, source: t}",
      "reserved for drug amounts"
    ),
    (
      "{name: pain, unit: NRS, output: ketamine, form: indirect_response, inhibits: loss, r0: BASE, kout: KOUT, imax: IMAX, ic50: BASE, source: t}",
      "to be a concentration"
    ),
  ])
  func badDefinitions(text: String, message: String) {
    #expect {
      _ = try ModelFileReader.parse(yaml: Self.model(text), file: "ir.yaml")
    } throws: { error in
      "\(error)".contains(message)
    }
  }

  /// Each out-of-range published value is an error at its key, naming the file and the value.
  @Test(arguments: [
    (M.inhibitsProduction, "ic50", "0 ng/mL", "effects[1].ic50", "expected a concentration above 0"),
    (M.stimulatesLoss, "ic50", "-5 ng/mL", "effects[1].ec50", "expected a concentration above 0"),
    (M.inhibitsLoss, "gamma", "0", "effects[1].gamma", "expected a Hill coefficient above 0"),
    (M.inhibitsLoss, "imax", "1.5", "effects[1].imax", "at most 1"),
    (M.inhibitsProduction, "imax", "0", "effects[1].imax", "above 0 and at most 1"),
    (M.stimulatesProduction, "imax", "0", "effects[1].emax", "expected a number above 0"),
    (M.inhibitsProduction, "kout", "0 1/min", "effects[1].kout", "expected a rate constant above 0"),
    (M.inhibitsProduction, "r0", "-1", "effects[1].r0", "expected a baseline of 0 or more"),
  ])
  func badValues(mechanism: M, field: String, value: String, key: String, message: String) {
    let yaml: String
    switch field {
    case "ic50": yaml = Self.model(Self.entry(mechanism), ic50: value)
    case "gamma": yaml = Self.model(Self.entry(mechanism), gamma: value)
    case "imax": yaml = Self.model(Self.entry(mechanism), imax: value)
    case "kout": yaml = Self.model(Self.entry(mechanism), kout: value)
    default: yaml = Self.model(Self.entry(mechanism), r0: value)
    }
    #expect {
      _ = try ModelFileReader.parse(yaml: yaml, file: "ir.yaml")
    } throws: { error in
      let text = "\(error)"
      return text.contains("ir.yaml") && text.contains(key) && text.contains(message)
    }
  }

  /// A negative half-life is an error at `half_life`; a value from an expression is checked
  /// when the subject's parameters are computed, naming the parameter.
  @Test func badHalfLifeAndComputedValues() throws {
    #expect {
      _ = try ModelFileReader.parse(
        yaml: Self.model(Self.entry(.inhibitsProduction, turnover: "half_life: T12"), halfLife: "-2 h"),
        file: "ir.yaml")
    } throws: { "\($0)".contains("effects[1].half_life") && "\($0)".contains("a half-life above 0") }
    let computed = "  IC50X: {expression: \"IC50 - 100\", unit: ng/mL, description: zero}\n"
    let yaml = Self.model(
      Self.entry(.inhibitsProduction).replacingOccurrences(of: "ic50: IC50", with: "ic50: IC50X"),
      parameters: computed)
    let d = try ModelFileReader.parse(yaml: yaml, file: "ir.yaml")
    #expect {
      _ = try d.instantiate(for: Subject())
    } throws: {
      "\($0)".contains("IC50 'IC50X'") && "\($0)".contains("indirect response 'pain'")
        && "\($0)".contains("expected a concentration above 0")
    }
  }
}
