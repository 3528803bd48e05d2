import PKSolver
import RealModule
import Testing
import _PKTestSupport

@testable import PKCore

/// Nonlinear (Michaelis–Menten and expression) flows: closed forms, mass balance, agreement of
/// the adaptive methods with the exact propagator, and errors as values.
@Suite struct NonlinearModelTests {
  /// One compartment, V 50 L, saturable elimination Vmax 20 mg/h, Km 0.5 mg/L; as a
  /// Michaelis–Menten flow or the same rate written as an expression.
  static func oneCompartment(expression: Bool = false, km: Double = 0.5, vmax: Double = 20) -> ModelDefinition
  {
    let rate: Flow.Kind =
      expression
      ? .expression(
        try! ExpressionParser.parse("VMAX * C_central / (KM + C_central)"),
        text: "VMAX * C_central / (KM + C_central)")
      : .michaelisMenten(km: "KM")
    return ModelDefinition(
      name: "mm-1cmt", drug: "test", citation: "none", population: "none", samplingSite: "venous",
      validatedRange: ValidatedRange(), timeUnit: .hour,
      parameters: [
        Parameter(
          name: "V", value: 50, unit: "L", description: "volume", provenance: .derived, dimension: .volume,
          factor: 1),
        Parameter(
          name: "VMAX", value: vmax, unit: "mg/h", description: "Vmax", provenance: .derived,
          dimension: .amountRate, factor: 1),
        Parameter(
          name: "KM", value: km, unit: "mg/L", description: "Km", provenance: .derived,
          dimension: .concentration, factor: 1),
      ],
      compartments: [Compartment(name: "central", volume: "V")],
      flows: [Flow(from: "central", to: nil, parameter: expression ? "" : "VMAX", kind: rate)],
      outputs: [Output(name: "drug", compartment: "central")],
      routes: [RouteDefinition(route: .iv, compartment: "central")])
  }

  /// `oneCompartment()` with a metabolite compartment (VM 30 L) that the saturable flow fills
  /// instead of leaving the body.
  static func withMetabolite() -> ModelDefinition {
    var d = oneCompartment()
    d.parameters.append(
      Parameter(
        name: "VM", value: 30, unit: "L", description: "metabolite volume", provenance: .derived,
        dimension: .volume, factor: 1))
    d.compartments.append(Compartment(name: "metabolite", volume: "VM"))
    d.flows = [Flow(from: "central", to: "metabolite", parameter: "VMAX", kind: .michaelisMenten(km: "KM"))]
    return d
  }

  static func run(
    _ definition: ModelDefinition, _ doses: [Dose], times: [Double], solver: SolverOptions = SolverOptions()
  ) throws -> SimulationResult {
    let subject = Subject()
    var simulator = Simulator(
      model: try definition.instantiate(for: subject), subject: subject, solver: solver)
    return try simulator.run(doses: doses, outputTimes: times)
  }

  /// C(t) = Km·W((C0/Km)·exp((C0 − Vmax·t/V)/Km)) to 1e-9, for both ways of writing the rate
  /// and every adaptive method, at rtol 1e-11.
  @Test(
    arguments: [false, true],
    [SolverOptions.Method.automatic, .dormandPrince54, .dormandPrince853, .rosenbrock43])
  func michaelisMentenAgainstLambertW(expression: Bool, method: SolverOptions.Method) throws {
    let dose = 100.0  // mg: C0 = 2 mg/L, four times Km
    let times = (0...48).map { Double($0) * 0.25 }
    let result = try Self.run(
      Self.oneCompartment(expression: expression), [Dose(delivery: .bolus(DoseAmount(milligrams: dose)))],
      times: times, solver: SolverOptions(method: method, relativeTolerance: 1e-11, absoluteTolerance: 1e-14))
    let c0 = 2.0
    let expected = times.map { t in 0.5 * lambertW((c0 / 0.5) * Double.exp((c0 - 20.0 / 50 * t) / 0.5)) * 1000
    }
    expectClose(result.curve(), expected, relativeTolerance: 1e-9, "MM closed form (\(method))")
  }

  /// The Taylor series method on the Michaelis–Menten flow: the same closed form to 1e-9 at
  /// rtol 1e-11 (order 14); the rate written as an expression is refused with a message.
  @Test func michaelisMentenAgainstLambertWByTaylor() throws {
    let times = (0...48).map { Double($0) * 0.25 }
    let solver = SolverOptions(method: .taylor, relativeTolerance: 1e-11, absoluteTolerance: 1e-14)
    let dose = [Dose(delivery: .bolus(DoseAmount(milligrams: 100)))]
    let result = try Self.run(Self.oneCompartment(), dose, times: times, solver: solver)
    let expected = times.map { t in
      0.5 * lambertW((2.0 / 0.5) * Double.exp((2.0 - 20.0 / 50 * t) / 0.5)) * 1000
    }
    expectClose(result.curve(), expected, relativeTolerance: 1e-9, "MM closed form (taylor)")
    #expect {
      _ = try Self.run(Self.oneCompartment(expression: true), dose, times: times, solver: solver)
    } throws: {
      "\($0)".contains("has a rate expression (VMAX * C_central / (KM + C_central)); --method taylor")
    }
  }

  /// Σ state = dose to 1e-9 for the parent-metabolite MM example shape (saturable flow into a
  /// metabolite and out of the body), with the automatic method and with the Taylor method.
  @Test(arguments: [SolverOptions.Method.automatic, .taylor])
  func massBalanceOverNonlinearFlows(method: SolverOptions.Method) throws {
    var d = Self.withMetabolite()
    d.parameters.append(
      Parameter(
        name: "CLM", value: 5, unit: "L/h", description: "metabolite clearance", provenance: .derived,
        dimension: .clearance, factor: 1))
    d.flows.append(Flow(from: "metabolite", to: nil, parameter: "CLM", kind: .clearance))
    d.outputs.append(Output(name: "metabolite", compartment: "metabolite"))
    let times = (0...96).map { Double($0) * 0.25 }
    let result = try Self.run(
      d,
      [
        Dose(delivery: .bolus(DoseAmount(milligrams: 100))),
        Dose(time: 6, delivery: .infusion(DoseAmount(milligrams: 50), hours: 2)),
      ],
      times: times, solver: SolverOptions(method: method))
    for k in times.indices {
      let total = result.drugTotal(at: k)
      let given = 100 + 50 * min(max(times[k] - 6, 0), 2) / 2
      expectClose(total, given, relativeTolerance: 1e-9, "mass at t = \(times[k]) h")
    }
  }

  /// Without amounts (`reportsAmounts` false) the concentrations are the same doubles with
  /// every method, and the result carries no amounts: on a linear three-compartment model
  /// (two peripheral states unobserved) and the two-output Michaelis–Menten model.
  @Test(arguments: [false, true], [SolverOptions.Method.exact, .automatic, .dormandPrince853, .taylor])
  func concentrationsWithoutAmountsAreTheSame(saturable: Bool, method: SolverOptions.Method) throws {
    if saturable && method == .exact { return }  // the exact method takes linear models only
    var d = MammillaryModel.threeCompartmentExample.modelDefinition()
    if saturable {
      d = Self.withMetabolite()
      d.outputs = [Output(name: "metabolite", compartment: "metabolite")]
    }
    let doses = [
      Dose(delivery: .bolus(DoseAmount(milligrams: 50))),
      Dose(time: 2, delivery: .infusion(DoseAmount(milligrams: 30), hours: 1.5)),
    ]
    let times = (0...240).map { Double($0) / 10 }
    let subject = Subject()
    var simulator = Simulator(
      model: try d.instantiate(for: subject), subject: subject, solver: SolverOptions(method: method))
    let full = try simulator.run(doses: doses, outputTimes: times)
    simulator.reportsAmounts = false
    let concentrations = try simulator.run(doses: doses, outputTimes: times)
    #expect(concentrations.concentrations == full.concentrations, "\(method)")
    #expect(concentrations.amounts.isEmpty && full.amounts.count == times.count * full.stateCount)
  }

  /// Amount rows handed from one simulator to the next (`scratchRows`, as a population does)
  /// change nothing: the second subject's concentrations equal those of a simulator of its own.
  @Test(arguments: [SolverOptions.Method.exact, .automatic, .taylor])
  func scratchRowsHandedOnChangeNothing(method: SolverOptions.Method) throws {
    let d = MammillaryModel.threeCompartmentExample.modelDefinition()
    let times = (0...96).map { Double($0) * 0.25 }
    func simulator() throws -> Simulator {
      let subject = Subject()
      var s = Simulator(
        model: try d.instantiate(for: subject), subject: subject, solver: SolverOptions(method: method))
      s.reportsAmounts = false
      return s
    }
    let doses = [
      Dose(delivery: .bolus(DoseAmount(milligrams: 50))),
      Dose(time: 2, delivery: .infusion(DoseAmount(milligrams: 30), hours: 1.5)),
    ]
    // The first subject's rows hold another regimen's amounts.
    var first = try simulator()
    _ = try first.run(doses: [Dose(delivery: .bolus(DoseAmount(milligrams: 900)))], outputTimes: times)
    var second = try simulator()
    second.scratchRows = first.scratchRows
    // (An adaptive stepper without amounts writes the concentrations itself: no rows at all.)
    #expect(second.scratchRows.count == (method == .taylor ? 0 : times.count * 4))
    var alone = try simulator()
    #expect(
      try second.run(doses: doses, outputTimes: times).concentrations
        == alone.run(doses: doses, outputTimes: times).concentrations)
  }

  /// An engine keeps its adaptive steppers from run to run (`_AdaptiveSteppers`): runs with
  /// another dose scale (so another absolute tolerance), with and without amounts, another
  /// method, and runs of a copy each give the same doubles as an engine of their own.
  @Test(arguments: [SolverOptions.Method.automatic, .taylor, .dormandPrince853])
  func keptSteppersChangeNothing(method: SolverOptions.Method) throws {
    var d = Self.withMetabolite()
    d.outputs = [
      Output(name: "central", compartment: "central"), Output(name: "metabolite", compartment: "metabolite"),
    ]
    let model = try CompiledModel(d)
    func records(_ amount: Double) -> [DataRecord] {
      [DataRecord(id: 1, time: 0, evid: 1, amount: amount, compartment: 1)]
        + (1...48).map { DataRecord(id: 1, time: Double($0) * 0.5) }
    }
    func alone(_ amount: Double, _ method: SolverOptions.Method, amounts: Bool) throws -> SimulationResult {
      var engine = RecordSimulator(model: model, solver: SolverOptions(method: method))
      engine.reportsAmounts = amounts
      return try engine.run(records: records(amount), covariates: [])
    }
    var engine = RecordSimulator(model: model, solver: SolverOptions(method: method))
    for (amount, amounts) in [(50.0, false), (900, false), (50, true), (900, false), (50, false)] {
      engine.reportsAmounts = amounts
      let kept = try engine.run(records: records(amount), covariates: [])
      let own = try alone(amount, method, amounts: amounts)
      #expect(kept.concentrations == own.concentrations, "\(method), \(amount) mg, amounts \(amounts)")
      #expect(kept.amounts == own.amounts)
    }
    // A copy runs on steppers of its own; the original goes on as before.
    var copy = engine
    copy.reportsAmounts = true
    #expect(
      try copy.run(records: records(300), covariates: []).amounts == alone(300, method, amounts: true).amounts
    )
    #expect(
      try engine.run(records: records(50), covariates: []).concentrations
        == alone(50, method, amounts: false).concentrations)
    // Another method: the kept stepper of the first is not used.
    engine.solver = SolverOptions(method: .rosenbrock43)
    #expect(
      try engine.run(records: records(50), covariates: []).concentrations
        == alone(50, .rosenbrock43, amounts: false).concentrations)
  }

  /// An engine that meets a new system with each subject (a data set's, with a covariate in
  /// Vmax) keeps the last subject's stepper only: subjects in any order, coming back to an
  /// earlier system included, give the same doubles as an engine of their own.
  @Test(arguments: [SolverOptions.Method.automatic, .taylor])
  func keptSteppersFollowTheSubjects(method: SolverOptions.Method) throws {
    var d = Self.withMetabolite()
    d.covariates = [Covariate(name: "X", unit: "1", description: "Vmax scale")]
    d.parameters[1].definition = .expression(try ExpressionParser.parse("20 * X"), text: "20 * X")
    d.outputs.append(Output(name: "metabolite", compartment: "metabolite"))
    let model = try CompiledModel(d)
    func records(_ x: Double) -> [DataRecord] {
      [DataRecord(id: 1, time: 0, evid: 1, amount: 80, compartment: 1, covariates: [x])]
        + (1...24).map { DataRecord(id: 1, time: Double($0), covariates: [x]) }
    }
    func alone(_ x: Double) throws -> [Double] {
      var engine = RecordSimulator(model: model, solver: SolverOptions(method: method))
      engine.reportsAmounts = false
      return try engine.run(records: records(x), covariates: [.column(0)]).concentrations
    }
    var engine = RecordSimulator(model: model, solver: SolverOptions(method: method))
    engine.reportsAmounts = false
    for x in [1.0, 0.5, 2, 1, 1, 0.5] {
      #expect(
        try engine.run(records: records(x), covariates: [.column(0)]).concentrations == alone(x),
        "\(method), X = \(x)")
    }
  }

  /// A linear model integrated by each adaptive method at rtol 1e-10 agrees with the exact
  /// propagator to 1e-8 (three compartments, bolus then infusion).
  @Test(arguments: [SolverOptions.Method.dormandPrince54, .dormandPrince853, .rosenbrock43, .taylor])
  func linearModelAgreesWithExact(method: SolverOptions.Method) throws {
    let d = MammillaryModel.threeCompartmentExample.modelDefinition()
    let doses = [
      Dose(delivery: .bolus(DoseAmount(milligrams: 50))),
      Dose(time: 2, delivery: .infusion(DoseAmount(milligrams: 30), hours: 1.5), interval: 12, count: 2),
    ]
    let times = (0...96).map { Double($0) * 0.25 }
    let exact = try Self.run(d, doses, times: times, solver: SolverOptions(method: .exact))
    let adaptive = try Self.run(
      d, doses, times: times,
      solver: SolverOptions(method: method, relativeTolerance: 1e-10, absoluteTolerance: 1e-14))
    expectClose(adaptive.curve(), exact.curve(), relativeTolerance: 1e-8, "\(method) vs exact")
  }

  @Test func exactIsRefusedForANonlinearModel() throws {
    #expect {
      _ = try Self.run(
        Self.oneCompartment(), [Dose(delivery: .bolus(DoseAmount(milligrams: 1)))], times: [0, 1],
        solver: SolverOptions(method: .exact))
    } throws: { "\($0)".contains("cannot be solved exactly") }
  }

  /// Km ≤ 0 and a negative Vmax are errors naming the parameter.
  @Test func badSaturableParameters() throws {
    for (km, vmax, word) in [(0.0, 20.0, "Km 'KM'"), (-1.0, 20.0, "Km 'KM'"), (0.5, -1.0, "Vmax 'VMAX'")] {
      #expect {
        _ = try Self.run(
          Self.oneCompartment(km: km, vmax: vmax), [Dose(delivery: .bolus(DoseAmount(milligrams: 1)))],
          times: [0, 1])
      } throws: { "\($0)".contains(word) }
    }
  }

  /// A rate expression that loses its value (here a logarithm whose argument reaches 0 as the
  /// concentration rises to 2.5 mg/L) is an integration error naming the time and the failing
  /// rate; never a NaN in the output.
  @Test func rateExpressionThatFailsIsAClearError() throws {
    #expect {
      _ = try Self.run(
        try Self.failingLogarithm(), [Dose(delivery: .bolus(DoseAmount(milligrams: 100)))],
        times: [0, 1, 2, 5])
    } throws: { Self.namesTheFailingLogarithm($0) }
  }

  /// The one-compartment model eliminating at VMAX·log(2.5 − C): the logarithm fails once the
  /// concentration reaches 2.5 mg/L.
  static func failingLogarithm() throws -> ModelDefinition {
    var d = oneCompartment(expression: true)
    d.flows = [
      Flow(
        from: "central", to: nil, parameter: "",
        kind: .expression(
          try ExpressionParser.parse("VMAX * log(2.5 - C_central)"), text: "VMAX * log(2.5 - C_central)"))
    ]
    return d
  }

  /// Whether the error names the failing rate and why.
  static func namesTheFailingLogarithm(_ error: any Error) -> Bool {
    let text = "\(error)"
    return text.contains("VMAX * log(2.5 - C_central)") && text.contains("logarithm of a non-positive")
  }
}

/// A subject that fails inside a batch is reported with the record engine's message: the
/// failing rate and why, as for a single run.
@Suite struct BatchFailureMessageTests {
  @Test func aFailingRateIsNamedInABatchToo() throws {
    let population = PopulationSimulator(
      model: try CompiledModel(try NonlinearModelTests.failingLogarithm()), batchSize: 4)
    let results = population.run(
      subjects: [Subject(), Subject(), Subject()],
      doses: [Dose(delivery: .bolus(DoseAmount(milligrams: 100)))],
      outputTimes: [0, 1, 2, 5])
    for result in results {
      #expect {
        _ = try result.get()
      } throws: { NonlinearModelTests.namesTheFailingLogarithm($0) }
    }
  }
}

/// Non-drug states: enzyme turnover with mechanism-based inactivation as a quantity compartment.
@Suite struct QuantityCompartmentTests {
  /// An inhibitor held at 1 mg/L (no elimination) inactivates an enzyme:
  /// dX/dt = kinact·C/(KI + C)·(1 − X) − kdeg·X, X(0) = 0, so
  /// X(t) = k/(k + kdeg)·(1 − e^{−(k + kdeg)t}) with k = kinact·C/(KI + C)
  /// (Mayhew BS, Jones DR, Hall SD, Drug Metab Dispos 2000;28:1031-1037). The substrate's
  /// clearance falls with it: CL·(1 − fm·X).
  static func model() throws -> ModelDefinition {
    func p(_ name: String, _ value: Double, _ unit: String, _ dimension: Parameter.Dimension) -> Parameter {
      Parameter(
        name: name, value: value, unit: unit, description: name, provenance: .derived, dimension: dimension,
        factor: 1)
    }
    let inactivation = "KDEG * A_X - KINACT * C_inhibitor / (KI + C_inhibitor) * (1 - A_X)"
    let clearance = "CL * C_central * (1 - FM * A_X)"
    return ModelDefinition(
      name: "mbi", drug: "test", citation: "none", population: "none", samplingSite: "venous",
      validatedRange: ValidatedRange(), timeUnit: .hour,
      parameters: [
        p("VI", 10, "L", .volume), p("V", 20, "L", .volume), p("CL", 5, "L/h", .clearance),
        p("FM", 0.6, "1", .dimensionless), p("KDEG", 0.017, "1/h", .rateConstant),
        p("KINACT", 18, "1/h", .rateConstant), p("KI", 0.57, "mg/L", .concentration),
      ],
      compartments: [
        Compartment(name: "inhibitor", volume: "VI"), Compartment(name: "central", volume: "V"),
        Compartment(name: "X", quantity: "fraction"),
      ],
      flows: [
        Flow(
          from: "central", to: nil, parameter: "",
          kind: .expression(try ExpressionParser.parse(clearance), text: clearance)),
        Flow(
          from: "X", to: nil, parameter: "",
          kind: .expression(try ExpressionParser.parse(inactivation), text: inactivation)),
      ],
      outputs: [Output(name: "substrate", compartment: "central")],
      routes: [
        RouteDefinition(route: .iv, compartment: "inhibitor"),
        RouteDefinition(route: .oral, compartment: "central"),
      ])
  }

  @Test func inactivationFollowsItsClosedForm() throws {
    let subject = Subject()
    var simulator = Simulator(
      model: try Self.model().instantiate(for: subject), subject: subject,
      solver: SolverOptions(relativeTolerance: 1e-11, absoluteTolerance: 1e-14))
    let times = (0...40).map { Double($0) * 6 }
    let result = try simulator.run(
      doses: [Dose(delivery: .bolus(DoseAmount(milligrams: 10)))], outputTimes: times)
    let k = 18 * 1.0 / (0.57 + 1.0)
    let expected = times.map { t in k / (k + 0.017) * (1 - Double.exp(-(k + 0.017) * t)) }
    let x = times.indices.map { result.amount(2, at: $0) }
    expectClose(
      Array(x.dropFirst()), Array(expected.dropFirst()), relativeTolerance: 1e-9, "fraction inactivated")
    #expect(x[0] == 0)
    #expect(result.stateUnits == ["mg", "mg", "fraction", "mg"])
    // The quantity is outside the mass balance: the drug amounts still add up to the dose.
    for t in times.indices {
      expectClose(
        result.amount(0, at: t) + result.amount(1, at: t) + result.amount(3, at: t), 10,
        relativeTolerance: 1e-12)
    }
  }

  @Test func quantitiesAndDrugNeverMix() throws {
    var d = try Self.model()
    d.routes.append(RouteDefinition(route: .nasal, compartment: "X"))
    #expect { try d.validate() } throws: { "\($0)".contains("a quantity; doses go into drug compartments") }
    d = try Self.model()
    d.flows.append(Flow(from: "central", to: "X", parameter: "CL", kind: .clearance))
    #expect { try d.validate() } throws: { "\($0)".contains("drug and quantities never exchange") }
  }
}

/// The population path really integrates subjects together (it may fall back one at a time).
@Suite struct PopulationBatchingTests {
  @Test func subjectsWithPerKilogramDosesAreBatchedTogether() throws {
    let model = try CompiledModel(NonlinearModelTests.oneCompartment())
    let population = PopulationSimulator(model: model, batchSize: 16)
    let subjects = (0..<6).map { Subject(weight: 40 + 10 * Double($0)) }
    let doses = [Dose(delivery: .bolus(DoseAmount(milligrams: 2, perKilogram: true)))]
    var batched = 0
    let results = population._runBatch(
      subjects, doses: doses, outputTimes: [0, 1, 2, 4, 8], batched: &batched)
    #expect(batched == 6)
    #expect(results.allSatisfy { (try? $0.get()) != nil })
  }
}
