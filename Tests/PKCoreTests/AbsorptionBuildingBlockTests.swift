import PKCore
import RealModule
import Testing
import _PKTestSupport

/// The absorption building blocks of routes (lag times, zero-order inputs into depots, transit
/// chains, split routes, metabolite formation, fraction checks, devices) against closed forms,
/// on models built in code.
///
/// Closed forms: Gibaldi M, Perrier D. Pharmacokinetics. 2nd ed. Marcel Dekker; 1982 (Bateman
/// function, ch. 1); Savic RM et al. J Pharmacokinet Pharmacodyn 2007;34(5):711-726 (transit
/// compartments, Erlang density).
@Suite struct AbsorptionBuildingBlockTests {
  // MARK: Building models in code

  /// A constant parameter in a canonical unit (L, 1/h, h, fraction), so that `factor` is 1.
  static func parameter(_ name: String, _ value: Double, _ dimension: Parameter.Dimension) -> Parameter {
    Parameter(
      name: name, value: value, unit: dimension.canonicalUnit, description: name, provenance: .derived,
      dimension: dimension, factor: 1)
  }

  /// An expression parameter in a canonical unit.
  static func expression(_ name: String, _ text: String, _ dimension: Parameter.Dimension) -> Parameter {
    Parameter(
      name: name, definition: .expression(try! ExpressionParser.parse(text), text: text),
      unit: dimension.canonicalUnit, description: name, provenance: .derived, dimension: dimension,
      factor: 1)
  }

  static func flow(_ from: String, _ to: String?, _ k: String) -> Flow {
    Flow(from: from, to: to, parameter: k, kind: .rateConstant)
  }

  /// A test model in hours observed in `central` (volume `V`).
  static func definition(
    parameters: [Parameter], compartments: [Compartment], flows: [Flow], routes: [RouteDefinition]
  ) -> ModelDefinition {
    ModelDefinition(
      name: "absorption-test", drug: "test drug", citation: "none (a test model)", population: "none",
      samplingSite: "central", validatedRange: ValidatedRange(), timeUnit: .hour, parameters: parameters,
      compartments: compartments, flows: flows, outputs: [Output(name: "drug", compartment: "central")],
      routes: routes)
  }

  static func mg(_ x: Double) -> DoseAmount { DoseAmount(milligrams: x) }

  static func simulate(_ model: CompartmentModel, _ doses: [Dose], _ times: [Double]) throws
    -> SimulationResult
  {
    var simulator = Simulator(model: model, subject: Subject())
    return try simulator.run(doses: doses, outputTimes: times)
  }

  /// Σ compartments + eliminated (mg) at output k.
  static func total(_ r: SimulationResult, at k: Int) -> Double {
    r.drugTotal(at: k)
  }

  // Shared numbers: one-compartment disposition with first-order absorption.
  static let ka = 1.3  // 1/h
  static let k = 0.25  // 1/h
  static let volume = 20.0  // L
  static let dose = 100.0  // mg

  /// depot → central (ka), central → out (k); `oral` into the depot with fraction F and lag
  /// TLAG, `rectal` into the depot with fraction F and no lag, `sublingual` into the depot at
  /// constant rate over D with fraction F, `iv` into central.
  static let firstOrder = definition(
    parameters: [
      parameter("V", volume, .volume), parameter("KA", ka, .rateConstant), parameter("K", k, .rateConstant),
      parameter("F", 0.6, .fraction), parameter("TLAG", 0.4, .time), parameter("D", 1.5, .time),
    ],
    compartments: [Compartment(name: "depot"), Compartment(name: "central", volume: "V")],
    flows: [flow("depot", "central", "KA"), flow("central", nil, "K")],
    routes: [
      RouteDefinition(route: .iv, compartment: "central"),
      RouteDefinition(route: .oral, inputs: [RouteInput(compartment: "depot", fraction: "F", lag: "TLAG")]),
      RouteDefinition(route: .rectal, inputs: [RouteInput(compartment: "depot", fraction: "F")]),
      RouteDefinition(
        route: .sublingual, inputs: [RouteInput(compartment: "depot", fraction: "F", duration: "D")]),
    ])

  /// The Bateman function: the concentration (mg/L) after `amount` mg enters the depot at time
  /// 0, first-order absorption ka into a one-compartment model (k, V).
  ///
  /// ```
  /// C(t) = A·ka / (V·(ka − k)) · (e^{−k t} − e^{−ka t}),   t ≥ 0;   0 before
  /// ```
  static func bateman(_ amount: Double, _ t: Double) -> Double {
    guard t > 0 else { return 0 }
    return amount * ka / (volume * (ka - k)) * (Double.exp(-k * t) - Double.exp(-ka * t))
  }

  // MARK: (a) Lag time

  /// With a lag, the curve is the no-lag curve shifted by TLAG and equals the Bateman function
  /// of t − TLAG (0 until TLAG), to 1e-10 relative.
  @Test func lagTimeShiftsTheBatemanCurve() throws {
    let model = try Self.firstOrder.instantiate(for: Subject())
    let lag = 0.4
    let f = 0.6
    let times = [0.0, 0.2, 0.4, 0.5, 0.9, 1.4, 2.4, 5.4, 12.4]
    let lagged = try Self.simulate(model, [Dose(route: .oral, delivery: .bolus(Self.mg(Self.dose)))], times)
      .curve()
    let shifted = try Self.simulate(
      model, [Dose(route: .rectal, delivery: .bolus(Self.mg(Self.dose)))], times.map { max($0 - lag, 0) }
    ).curve()
    let expected = times.map { 1000 * Self.bateman(f * Self.dose, $0 - lag) }
    #expect(lagged[0] == 0 && lagged[1] == 0 && lagged[2] == 0)
    expectClose(lagged, expected, relativeTolerance: 1e-10, "lagged vs Bateman(t − TLAG)")
    // The shifted no-lag curve is 0 where t ≤ TLAG too, since max(t − TLAG, 0) = 0 there.
    expectClose(lagged, shifted, relativeTolerance: 1e-10, "lagged vs no-lag shifted")
  }

  // MARK: (b) Zero-order input into a depot

  /// F·D at constant rate over T into the depot, then ka into central: the rectangle convolved
  /// with the Bateman function, to 1e-10 relative.
  ///
  /// ```
  /// R = F·D / T,   c = ka / (V (ka − k))
  /// t ≤ T: C = R·c·[(1 − e^{−k t})/k − (1 − e^{−ka t})/ka]
  /// t ≥ T: C = R·c·[e^{−k t}(e^{k T} − 1)/k − e^{−ka t}(e^{ka T} − 1)/ka]
  /// depot: A_d = (R/ka)(1 − e^{−ka t}) for t ≤ T,  A_d(T)·e^{−ka (t − T)} after
  /// ```
  @Test func zeroOrderInputIntoADepot() throws {
    let model = try Self.firstOrder.instantiate(for: Subject())
    let (ka, k, v, f, duration) = (Self.ka, Self.k, Self.volume, 0.6, 1.5)
    let rate = f * Self.dose / duration
    let c = ka / (v * (ka - k))
    func concentration(_ t: Double) -> Double {
      if t <= duration {
        return rate * c * (-Double.expMinusOne(-k * t) / k + Double.expMinusOne(-ka * t) / ka)
      }
      return rate * c
        * (Double.exp(-k * t) * Double.expMinusOne(k * duration) / k - Double.exp(-ka * t)
          * Double.expMinusOne(ka * duration) / ka)
    }
    func depot(_ t: Double) -> Double {
      -rate / ka * Double.expMinusOne(-ka * min(t, duration)) * Double.exp(-ka * max(t - duration, 0))
    }
    let times = [0.1, 0.5, 1.0, 1.5, 1.6, 2.0, 3.0, 6.0, 12.0, 24.0]
    let r = try Self.simulate(model, [Dose(route: .sublingual, delivery: .bolus(Self.mg(Self.dose)))], times)
    expectClose(r.curve(), times.map { 1000 * concentration($0) }, relativeTolerance: 1e-10, "central")
    expectClose(
      times.indices.map { r.amount(0, at: $0) }, times.map(depot), relativeTolerance: 1e-10, "depot")
    expectClose(
      times.indices.map { Self.total(r, at: $0) }, times.map { rate * min($0, duration) },
      relativeTolerance: 1e-10, "mass balance")
  }

  // MARK: (c) Transit chain

  /// N equal transit compartments (k_tr each), the last feeding central (k): the n-th transit
  /// compartment holds the Erlang form and central its convolution with e^{−k t}, to 1e-10.
  ///
  /// ```
  /// A_n(t) = D (k_tr t)^{n−1} e^{−k_tr t} / (n − 1)!
  /// A_c(t) = D (k_tr / (k_tr − k))^N e^{−k t} P(N, (k_tr − k) t),
  /// P(N, x) = e^{−x} Σ_{j ≥ N} x^j / j!   (regularised lower incomplete gamma)
  /// ```
  @Test func transitChainMatchesTheErlangForm() throws {
    let n = 4
    let (ktr, k, v, dose) = (3.0, 0.3, 15.0, 100.0)
    var compartments = (1...n).map { Compartment(name: "transit\($0)") }
    compartments.append(Compartment(name: "central", volume: "V"))
    var flows = (1..<n).map { Self.flow("transit\($0)", "transit\($0 + 1)", "KTR") }
    flows.append(Self.flow("transit\(n)", "central", "KTR"))
    flows.append(Self.flow("central", nil, "K"))
    let model = try Self.definition(
      parameters: [
        Self.parameter("V", v, .volume), Self.parameter("KTR", ktr, .rateConstant),
        Self.parameter("K", k, .rateConstant),
      ],
      compartments: compartments, flows: flows,
      routes: [RouteDefinition(route: .oral, compartment: "transit1")]
    ).instantiate(for: Subject())

    func factorial(_ m: Int) -> Double { (1...max(m, 1)).reduce(1.0) { $0 * Double($1) } }
    func transit(_ i: Int, _ t: Double) -> Double {
      dose * Double.pow(ktr * t, Double(i - 1)) * Double.exp(-ktr * t) / factorial(i - 1)
    }
    func lowerGamma(_ x: Double) -> Double {
      var term = Double.pow(x, Double(n)) / factorial(n)
      var sum = 0.0
      var j = n
      while term > 1e-18 * sum || sum == 0 {
        sum += term
        j += 1
        term *= x / Double(j)
      }
      return Double.exp(-x) * sum
    }
    func central(_ t: Double) -> Double {
      dose * Double.pow(ktr / (ktr - k), Double(n)) * Double.exp(-k * t) * lowerGamma((ktr - k) * t)
    }

    let times = [0.1, 0.5, 1.0, 2.0, 4.0, 8.0, 16.0]
    let r = try Self.simulate(model, [Dose(route: .oral, delivery: .bolus(Self.mg(dose)))], times)
    expectClose(
      times.indices.map { r.amount(n, at: $0) }, times.map { central($0) }, relativeTolerance: 1e-10,
      "central")
    // Transit amounts while they are at least 1e-3 of the dose (the Erlang tails fall as e^{−k_tr t}).
    for i in 1...n {
      let early = times.indices.filter { transit(i, times[$0]) >= 1e-3 * dose }
      #expect(early.count >= 3)
      expectClose(
        early.map { r.amount(i - 1, at: $0) }, early.map { transit(i, times[$0]) }, relativeTolerance: 1e-10,
        "transit\(i)")
    }
    expectClose(
      times.indices.map { Self.total(r, at: $0) }, times.map { _ in dose }, relativeTolerance: 1e-12)
  }

  // MARK: (d) A route in two parts

  /// A route of 0.3 as a bolus into central plus 0.7 at constant rate over T into the depot
  /// equals the two parts given as separate doses (one run each, summed; and one run with
  /// both), to 1e-12.
  @Test func splitRouteIsTheSumOfItsParts() throws {
    let definition = Self.definition(
      parameters: [
        Self.parameter("V", Self.volume, .volume), Self.parameter("KA", Self.ka, .rateConstant),
        Self.parameter("K", Self.k, .rateConstant), Self.parameter("K12", 0.8, .rateConstant),
        Self.parameter("K21", 0.35, .rateConstant), Self.parameter("FB", 0.3, .fraction),
        Self.parameter("FD", 0.7, .fraction), Self.parameter("T", 0.5, .time),
      ],
      compartments: [
        Compartment(name: "depot"), Compartment(name: "central", volume: "V"),
        Compartment(name: "peripheral"),
      ],
      flows: [
        Self.flow("depot", "central", "KA"), Self.flow("central", nil, "K"),
        Self.flow("central", "peripheral", "K12"),
        Self.flow("peripheral", "central", "K21"),
      ],
      routes: [
        RouteDefinition(route: .iv, compartment: "central"),
        RouteDefinition(route: .oral, inputs: [RouteInput(compartment: "depot", duration: "T")]),
        RouteDefinition(
          route: .nasal,
          inputs: [
            RouteInput(compartment: "central", fraction: "FB"),
            RouteInput(compartment: "depot", fraction: "FD", duration: "T"),
          ]),
      ])
    let model = try definition.instantiate(for: Subject())
    let dose = 50.0
    let times = [0.0, 0.1, 0.25, 0.5, 0.75, 1.0, 2.0, 4.0, 8.0, 24.0]
    let split = try Self.simulate(model, [Dose(route: .nasal, delivery: .bolus(Self.mg(dose)))], times)
    let bolus = try Self.simulate(model, [Dose(route: .iv, delivery: .bolus(Self.mg(0.3 * dose)))], times)
    let input = try Self.simulate(model, [Dose(route: .oral, delivery: .bolus(Self.mg(0.7 * dose)))], times)
    let both = try Self.simulate(
      model,
      [
        Dose(route: .iv, delivery: .bolus(Self.mg(0.3 * dose))),
        Dose(route: .oral, delivery: .bolus(Self.mg(0.7 * dose))),
      ],
      times)
    let summed = zip(bolus.amounts, input.amounts).map { $0 + $1 }
    expectClose(
      split.amounts, summed, relativeTolerance: 1e-12, absoluteTolerance: 1e-12 * dose, "vs summed runs")
    expectClose(
      split.amounts, both.amounts, relativeTolerance: 1e-12, absoluteTolerance: 1e-12 * dose, "vs one run")
    expectClose(
      split.curve(), zip(bolus.curve(), input.curve()).map { $0 + $1 }, relativeTolerance: 1e-12,
      absoluteTolerance: 1e-12 * 1000 * dose / Self.volume, "concentration")
    #expect(try model.bioavailability(route: .nasal)!.isApproximatelyEqual(to: 1, relativeTolerance: 1e-12))
  }

  // MARK: (e) Metabolite formation

  /// Parent central → metabolite with formation fraction FM (rate K·FM), the rest eliminated
  /// (K·(1 − FM)), metabolite eliminated (KM): Σ state = dose, and the metabolite follows
  ///
  /// ```
  /// A_m(t) = D·FM·K / (KM − K) · (e^{−K t} − e^{−KM t})
  /// ```
  @Test func metaboliteFormationKeepsMassBalance() throws {
    let (k, km, fm, dose) = (0.9, 0.2, 0.65, 80.0)
    let model = try Self.definition(
      parameters: [
        Self.parameter("V", 30, .volume), Self.parameter("VM", 45, .volume),
        Self.parameter("K", k, .rateConstant),
        Self.parameter("KM", km, .rateConstant), Self.parameter("FM", fm, .fraction),
        Self.expression("KF", "K * FM", .rateConstant), Self.expression("KE", "K * (1 - FM)", .rateConstant),
      ],
      compartments: [
        Compartment(name: "central", volume: "V"), Compartment(name: "metabolite", volume: "VM"),
      ],
      flows: [
        Self.flow("central", "metabolite", "KF"), Self.flow("central", nil, "KE"),
        Self.flow("metabolite", nil, "KM"),
      ],
      routes: [RouteDefinition(route: .iv, compartment: "central")]
    ).instantiate(for: Subject())
    let times = [0.25, 1.0, 3.0, 10.0, 48.0]
    let r = try Self.simulate(model, [Dose(delivery: .bolus(Self.mg(dose)))], times)
    expectClose(
      times.indices.map { Self.total(r, at: $0) }, times.map { _ in dose }, relativeTolerance: 1e-10)
    expectClose(
      times.indices.map { r.amount(1, at: $0) },
      times.map { dose * fm * k / (km - k) * (Double.exp(-k * $0) - Double.exp(-km * $0)) },
      relativeTolerance: 1e-10, "metabolite")
  }

  // MARK: (f) Fractions outside [0, 1]

  /// A `fraction` parameter whose expression comes out outside [0, 1] is an error naming it;
  /// so is a constant one.
  @Test(arguments: [("FA * 2", "1.2"), ("FA - 1", "-0.4")])
  func fractionOutsideTheUnitIntervalIsAnError(text: String, value: String) {
    let definition = Self.definition(
      parameters: [
        Self.parameter("V", 10, .volume), Self.parameter("K", 0.5, .rateConstant),
        Self.parameter("FA", 0.6, .fraction),
        Self.expression("FX", text, .fraction),
      ],
      compartments: [Compartment(name: "central", volume: "V")], flows: [Self.flow("central", nil, "K")],
      routes: [
        RouteDefinition(route: .iv, compartment: "central"),
        RouteDefinition(route: .im, inputs: [RouteInput(compartment: "central", fraction: "FX")]),
      ])
    #expect(throws: Never.self) { try definition.validate() }
    #expect {
      _ = try definition.instantiate(for: Subject())
    } throws: { error in
      guard case .invalidModel(let message) = error as? ModelError else { return false }
      return message.contains("'FX'") && message.contains("between 0 and 1") && message.contains(value)
    }
  }

  @Test func constantFractionAboveOneIsAnError() {
    let definition = Self.definition(
      parameters: [
        Self.parameter("V", 10, .volume), Self.parameter("K", 0.5, .rateConstant),
        Self.parameter("FX", 1.2, .fraction),
      ],
      compartments: [Compartment(name: "central", volume: "V")], flows: [Self.flow("central", nil, "K")],
      routes: [RouteDefinition(route: .im, inputs: [RouteInput(compartment: "central", fraction: "FX")])])
    #expect(throws: ModelError.invalidModel("'FX' is a fraction, so it must lie between 0 and 1; found 1.2"))
    {
      try definition.validate()
    }
  }

  // MARK: (g) Devices

  /// A nasal route in 28 mg devices, 5 min apart: part 1 into a nasal depot (F1, later devices
  /// F2), part 2 swallowed into a gut depot over 0.5 h (FS1, later FS2).
  static let deviceModel = try! definition(
    parameters: [
      parameter("V", 50, .volume), parameter("K", 0.4, .rateConstant), parameter("KA", 2, .rateConstant),
      parameter("F1", 0.5, .fraction), parameter("F2", 0.3, .fraction), parameter("FS1", 0.2, .fraction),
      parameter("FS2", 0.4, .fraction), parameter("DS", 0.5, .time),
    ],
    compartments: [
      Compartment(name: "nasal_depot"), Compartment(name: "gut"), Compartment(name: "central", volume: "V"),
    ],
    flows: [flow("nasal_depot", "central", "KA"), flow("gut", "central", "KA"), flow("central", nil, "K")],
    routes: [
      RouteDefinition(route: .iv, compartment: "central"),
      RouteDefinition(
        route: .nasal,
        inputs: [
          RouteInput(compartment: "nasal_depot", fraction: "F1", laterDevicesFraction: "F2"),
          RouteInput(compartment: "gut", fraction: "FS1", laterDevicesFraction: "FS2", duration: "DS"),
        ], device: DoseDevice(amount: 28, interval: 5.0 / 60)),
    ]
  ).instantiate(for: Subject())

  /// 84 mg is three devices at 0, 5 and 10 min; the first with F1/FS1, the others F2/FS2.
  @Test func deviceDoseIsWholeDevicesFiveMinutesApart() throws {
    let schedule = try DosingSchedule(
      doses: [Dose(route: .nasal, delivery: .bolus(Self.mg(84)))], model: Self.deviceModel, subject: Subject()
    )
    let records = schedule.records
    #expect(records.count == 6)
    let expected: [(time: Double, amount: Double, rate: Double, compartment: Int)] = [
      (0, 28 * 0.5, 0, 1), (0, 28 * 0.2, 28 * 0.2 / 0.5, 2),
      (5.0 / 60, 28 * 0.3, 0, 1), (5.0 / 60, 28 * 0.4, 28 * 0.4 / 0.5, 2),
      (10.0 / 60, 28 * 0.3, 0, 1), (10.0 / 60, 28 * 0.4, 28 * 0.4 / 0.5, 2),
    ]
    for (record, e) in zip(records, expected) {
      #expect(record.evid == 1 && record.compartment == e.compartment)
      #expect(record.time.isApproximatelyEqual(to: e.time, absoluteTolerance: 1e-15))
      #expect(record.amount.isApproximatelyEqual(to: e.amount, relativeTolerance: 1e-14))
      #expect(record.rate.isApproximatelyEqual(to: e.rate, absoluteTolerance: 0, relativeTolerance: 1e-14))
    }
    #expect(schedule.totalAmount == 84)
    let entering: Double = 28 * (0.5 + 0.2 + 2 * (0.3 + 0.4))
    #expect(schedule.enteringAmount.isApproximatelyEqual(to: entering, relativeTolerance: 1e-14))
  }

  /// 80 mg is not a whole number of devices: the error names 56 and 84 mg.
  @Test func deviceDoseMustBeWholeDevices() {
    #expect {
      _ = try DosingSchedule(
        doses: [Dose(route: .nasal, delivery: .bolus(Self.mg(80)))], model: Self.deviceModel,
        subject: Subject())
    } throws: { error in
      guard case .invalidDose(let message) = error as? ModelError else { return false }
      return message.contains("whole number of 28 mg devices")
        && message.contains("give 56 mg (2 devices) or 84 mg (3 devices)")
    }
  }
}
