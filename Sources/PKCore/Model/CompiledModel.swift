import PKLinearAlgebra
import PKSolver

/// A model definition checked and compiled for repeated evaluation: the parameter graph, and
/// where each structural quantity (volumes, flows, dose modifiers) sits in its slot layout.
///
/// ```
/// values = [covariate₀ … covariateₘ₋₁, parameter₀ … parameterₙ₋₁]   (graph slots)
/// K[j, i] += k,  K[i, i] −= k   for each flow i → j with k = value × factor (÷ V_i for a clearance)
/// ```
/// Values in `values` are in each parameter's own unit; `factor` converts to L, L/h, 1/h, h,
/// mg/h where the engine reads them.
public final class CompiledModel: Sendable {
  /// A parameter slot and the factor to its canonical unit.
  public struct Slot: Sendable, Equatable {
    public var index: Int
    public var factor: Double
  }

  /// The slots of the NONMEM dose modifiers of one compartment, where the model defines them.
  public struct DoseModifiers: Sendable, Equatable {
    /// Bioavailability `F<n>` (fraction).
    public var bioavailability: Slot?
    /// Lag time `ALAG<n>` (h).
    public var lag: Slot?
    /// Modelled infusion rate `R<n>` (mg/h), used by records with RATE = −1.
    public var rate: Slot?
    /// Modelled infusion duration `D<n>` (h), used by records with RATE = −2.
    public var duration: Slot?
  }

  /// One part of a route's dose, with its slots (see `RouteInput`).
  public struct RoutePart: Sendable, Equatable {
    /// The compartment (0-based).
    public var compartment: Int
    public var fraction: Slot?
    public var laterDevicesFraction: Slot?
    public var duration: Slot?
    public var lag: Slot?
  }

  /// A route compiled: its parts and device rule.
  public struct CompiledRoute: Sendable, Equatable {
    public var parts: [RoutePart]
    public var device: DoseDevice?
  }

  /// A nonlinear flow compiled: from and to (n for the eliminated amount) and its rate.
  public struct NonlinearFlow: Sendable {
    public enum Rate: Sendable {
      /// Vmax·C/(Km + C) on the concentration of `from` (volume slot of `from`).
      case saturable(vmax: Slot, km: Slot, volume: Slot)
      /// An expression over the slot layout extended by the amounts (slotCount + i) and the
      /// concentrations (slotCount + n + i) of the compartments.
      case expression(CompiledExpression, text: String)
    }
    public var from: Int
    public var to: Int
    public var rate: Rate
  }

  struct _Flow: Sendable {
    var from: Int
    var to: Int  // compartmentCount for the eliminated amount
    var slot: Slot
    var isClearance: Bool
  }

  /// A concentration–effect model's output and parameter slots (nil where the model names
  /// none, read as 0).
  struct _Effect: Sendable {
    var form: ConcentrationEffect.Form
    var output: Int
    var e0: Slot?
    var emax: Slot?
    var ec50: Slot?
    var gamma: Slot?
    var slope: Slot?
  }

  /// An indirect response's state and parameter slots, and its range checks
  /// (`IndirectResponse.valueChecks`) with the slot each reads.
  struct _Response: Sendable {
    var state: Int
    var baseline: Slot
    /// kout, or the turnover half-life (`IndirectResponse.turnover` says which).
    var turnover: Slot
    var potency: Slot
    var maximum: Slot
    var gamma: Slot?
    /// The conversion slot of the output that drives it (nil for 1).
    var conversion: Slot?
    var checks: [(check: IndirectResponse.ValueCheck, slot: Slot)]
  }

  /// The definition compiled.
  public let definition: ModelDefinition
  /// The compiled parameter graph.
  public let graph: CompiledExpressionGraph
  /// The volume slot of each compartment that has one.
  public let volumes: [Slot?]
  let flows: [_Flow]
  /// The flows that are not linear in the amounts (empty for a linear model).
  public let nonlinearFlows: [NonlinearFlow]
  /// The dose modifiers of each compartment (0-based).
  public let doseModifiers: [DoseModifiers]
  /// The compartment of each output.
  public let outputCompartments: [Int]
  /// The output compartments, ascending, each once: the states an integrator must report when
  /// only concentrations are read.
  public let outputStates: [Int]
  /// The conversion slot of each output (nil for 1).
  public let outputConversions: [Slot?]
  /// What each supported route does with a dose.
  public let routes: [Route: CompiledRoute]
  /// The slots of parameters that are fractions, checked to lie in [0, 1] on evaluation.
  let fractionSlots: [(slot: Int, name: String)]
  /// The slots that determine the system matrix and volumes (to tell when it changes).
  public let structuralSlots: [Int]
  /// `definition.inputs`, built once: the covariates, enzyme activities and η inputs each
  /// subject gives values for.
  public let inputs: [Covariate]
  /// The names and units of the simulated states: the compartments, then the eliminated
  /// amount (mg). Built once, so that every result of every subject shares them.
  public let stateNames: [String]
  public let stateUnits: [String]

  /// The effect sites: state, the drug compartment driving it, the slot of its parameter, and
  /// how that parameter gives ke0 (ke0 itself, t½ke0, or a time to peak).
  let effectSites: [(state: Int, of: Int, slot: Slot, rate: EffectSite.Rate)]
  /// The area states: state and the compartment whose concentration it integrates.
  let areaStates: [(state: Int, of: Int)]
  /// The slots of each `ConcentrationEffect`, in `definition.effects` order.
  let effectSlots: [_Effect]
  /// The slots of each `IndirectResponse`, in `definition.responses` (state) order.
  let responseSlots: [_Response]

  /// Validates and compiles `definition`.
  ///
  /// - Throws: `ModelError.invalidModel` for any inconsistency `validate()` finds.
  public init(_ definition: ModelDefinition) throws(ModelError) {
    let graph = try definition._check()
    self.definition = definition
    self.graph = graph.compile()
    self.inputs = definition.inputs
    stateNames = definition.compartments.map(\.name) + [CompartmentModel.eliminatedName]
    stateUnits = definition.compartments.map(\.unit) + ["mg"]
    let index = Dictionary(uniqueKeysWithValues: definition.compartments.enumerated().map { ($1.name, $0) })
    let byName = Dictionary(definition.parameters.map { ($0.name, $0) }, uniquingKeysWith: { a, _ in a })
    func slot(_ name: String) -> Slot {
      Slot(index: graph.slots[name]!, factor: byName[name]!.factor)
    }
    // A name the model may leave undefined (a key its form ignores): nil, read as 0.
    func optionalSlot(_ name: String?) -> Slot? {
      guard let name, let k = graph.slots[name], let p = byName[name] else { return nil }
      return Slot(index: k, factor: p.factor)
    }
    let outputIndex = Dictionary(
      definition.outputs.enumerated().map { ($1.name, $0) }, uniquingKeysWith: { a, _ in a })
    let conversions = definition.outputs.map { o in o.conversion.map(slot) }
    volumes = definition.compartments.map { c in c.volume.map(slot) }
    let n = definition.compartments.count
    // Where a flow without `to` goes: the amount eliminated for drug, nowhere (−1) for a quantity.
    func sink(_ f: Flow) -> Int {
      if let to = f.to { return index[to]! }
      return definition.compartments[index[f.from]!].quantity == nil ? n : -1
    }
    flows = definition.flows.filter(\.isLinear).map { f in
      _Flow(
        from: index[f.from]!, to: sink(f),
        slot: slot(f.parameter), isClearance: f.kind == .clearance)
    }
    var stateSlots = graph.slots
    for (i, c) in definition.compartments.enumerated() {
      stateSlots[Flow.amountName(c.name)] = graph.slots.count + i
      stateSlots[Flow.concentrationName(c.name)] = graph.slots.count + n + i
    }
    var nonlinear: [NonlinearFlow] = []
    var nonlinearSlots = Set<Int>()
    for f in definition.flows where !f.isLinear {
      let from = index[f.from]!
      let to = sink(f)
      switch f.kind {
      case .michaelisMenten(let km):
        let v = slot(definition.compartments[from].volume!)
        nonlinear.append(
          NonlinearFlow(
            from: from, to: to, rate: .saturable(vmax: slot(f.parameter), km: slot(km), volume: v)))
        nonlinearSlots.formUnion([slot(f.parameter).index, slot(km).index, v.index])
      case .expression(let e, let text):
        // Validation has checked every name, so compiling cannot fail.
        let compiled = try! e.compile(slots: stateSlots)
        nonlinear.append(NonlinearFlow(from: from, to: to, rate: .expression(compiled, text: text)))
        for name in e.variables { if let k = graph.slots[name] { nonlinearSlots.insert(k) } }
      case .rateConstant, .clearance: break
      }
    }
    // Each indirect response: its slots, and its state's rate expression
    // (CompiledModel+IndirectResponses).
    var responses: [_Response] = []
    for (i, c) in definition.compartments.enumerated() {
      guard let r = c.response else { continue }
      let turnover: String
      switch r.turnover {
      case .kout(let p), .halfLife(let p): turnover = p
      }
      let s = _Response(
        state: i, baseline: slot(r.baseline), turnover: slot(turnover),
        potency: slot(r.potency), maximum: slot(r.maximum), gamma: r.gamma.map(slot),
        conversion: conversions[outputIndex[r.output]!],
        checks: r.valueChecks.map { ($0, slot($0.parameter)) })
      responses.append(s)
      let (flow, used) = Self._responseFlow(
        r, s, definition: definition, slots: stateSlots, parameterSlots: graph.slots)
      nonlinear.append(flow)
      nonlinearSlots.formUnion(used)
    }
    responseSlots = responses
    effectSlots = definition.effects.map { e in
      _Effect(
        form: e.form, output: outputIndex[e.output]!, e0: optionalSlot(e.e0), emax: optionalSlot(e.emax),
        ec50: optionalSlot(e.ec50), gamma: optionalSlot(e.gamma), slope: optionalSlot(e.slope))
    }
    nonlinearFlows = nonlinear
    doseModifiers = (1...definition.compartments.count).map { n in
      func modifier(_ prefix: String) -> Slot? {
        byName["\(prefix)\(n)"] != nil ? slot("\(prefix)\(n)") : nil
      }
      return DoseModifiers(
        bioavailability: modifier("F"), lag: modifier("ALAG"), rate: modifier("R"),
        duration: modifier("D"))
    }
    effectSites = definition.compartments.enumerated().compactMap { i, c in
      c.effect.map { e in
        (state: i, of: index[e.of]!, slot: slot(e.rate.parameter), rate: e.rate)
      }
    }
    areaStates = definition.compartments.enumerated().compactMap { i, c in c.areaOf.map { (i, index[$0]!) } }
    outputCompartments = definition.outputs.map { index[$0.compartment]! }
    outputStates = Array(Set(outputCompartments)).sorted()
    outputConversions = conversions
    var routes: [Route: CompiledRoute] = [:]
    for r in definition.routes {
      routes[r.route] = CompiledRoute(
        parts: r.inputs.map { p in
          RoutePart(
            compartment: index[p.compartment]!, fraction: p.fraction.map(slot),
            laterDevicesFraction: p.laterDevicesFraction.map(slot), duration: p.duration.map(slot),
            lag: p.lag.map(slot))
        }, device: r.device)
    }
    self.routes = routes
    fractionSlots = definition.parameters.filter { $0.dimension == .fraction }.map {
      (graph.slots[$0.name]!, $0.name)
    }
    var structural = Set(volumes.compactMap { $0?.index })
    for c in outputConversions { if let c { structural.insert(c.index) } }
    for f in flows { structural.insert(f.slot.index) }
    for e in effectSites { structural.insert(e.slot.index) }
    structural.formUnion(nonlinearSlots)
    structuralSlots = structural.sorted()
  }

  /// Whether compartment c is an effect site.
  public func isEffectSite(_ c: Int) -> Bool { definition.compartments[c].effect != nil }

  /// Whether every flow is linear, so the model is solved exactly.
  public var isLinear: Bool { nonlinearFlows.isEmpty }

  /// The number of compartments n (the state has n + 1 entries, the last the amount eliminated).
  public var compartmentCount: Int { definition.compartments.count }
  /// The number of values in the slot layout.
  public var slotCount: Int { graph.slotCount }
  /// The covariate names, in slot order.
  public var covariateNames: [String] { graph.graph.inputs }
  /// The compartment a record with CMT 0 (or no CMT column) doses into: the first route's.
  public var defaultDoseCompartment: Int { routes[definition.routes[0].route]!.parts[0].compartment }
  /// The compartment that receives the first part of each supported route's dose.
  public var routeCompartments: [Route: Int] { routes.mapValues { $0.parts[0].compartment } }

  /// Computes every parameter from the covariates already in `values[0..<covariates]`.
  ///
  /// A parameter that is a fraction must come out between 0 and 1.
  ///
  /// - Throws: `EvaluationError` naming the parameter that failed (division by zero, a
  ///   fraction outside [0, 1], …).
  public func evaluate(_ values: inout [Double]) throws(EvaluationError) {
    try graph.evaluate(into: &values)
    for (slot, name) in fractionSlots where !(0...1).contains(values[slot]) {
      throw EvaluationError(.fractionOutOfRange(values[slot]), definition: name)
    }
  }

  /// The concentration factor of each output: 1000 × conversion / V (ng/mL per mg), for
  /// volumes `volumes` (L).
  public func outputFactors(_ values: [Double], volumes: [Double?]) -> [Double] {
    zip(outputCompartments, outputConversions).map { c, conversion in
      // An effect site holds a concentration (mg/L) already.
      1000 * (conversion.map { canonical($0, values) } ?? 1) / (isEffectSite(c) ? 1 : volumes[c]!)
    }
  }

  /// The value of slot `slot` in its canonical unit.
  @inlinable
  public func canonical(_ slot: Slot, _ values: [Double]) -> Double { values[slot.index] * slot.factor }

  /// The system matrix (1/h) over n + 1 states and the volumes (L) for the parameter values.
  ///
  /// - Throws: `ModelError.invalidModel` for a volume that is not positive, a rate that is
  ///   negative or not finite, or an indirect response's parameter out of range (naming the
  ///   parameter).
  public func system(_ values: [Double]) throws(ModelError) -> (system: LinearSystem, volumes: [Double?]) {
    try _checkResponses(values)
    let n = compartmentCount
    var v = [Double?](repeating: nil, count: n)
    for (i, slot) in volumes.enumerated() {
      guard let slot else { continue }
      let value = canonical(slot, values)
      guard value > 0 && value.isFinite else {
        throw .invalidModel(
          "the volume of '\(definition.compartments[i].name)' is \(value) L; expected a positive number")
      }
      v[i] = value
    }
    var a = Matrix(rows: n + 1, columns: n + 1)
    for f in flows {
      var k = canonical(f.slot, values)
      if f.isClearance { k /= v[f.from]! }
      guard k >= 0 && k.isFinite else {
        throw .invalidModel(
          "the flow from '\(definition.compartments[f.from].name)' has rate constant \(k) 1/h; "
            + "expected zero or more")
      }
      a[f.from, f.from] -= k
      if f.to >= 0 { a[f.to, f.from] += k }
    }
    // dCe/dt = ke0·(A_of/V_of − Ce): no drug leaves the plasma compartment.
    for e in effectSites {
      var ke0 = canonical(e.slot, values)
      if case .halfLife = e.rate {
        let halfLife = ke0
        guard halfLife > 0 && halfLife.isFinite else {
          throw .invalidModel(
            "the effect site '\(definition.compartments[e.state].name)' has t½ke0 \(halfLife) h; expected a time above 0"
          )
        }
        ke0 = 0.6931471805599453 / halfLife
      }
      if case .timeToPeak = e.rate {
        let peak = ke0
        guard peak > 0 && peak.isFinite else {
          throw .invalidModel(
            "the effect site '\(definition.compartments[e.state].name)' has time to peak \(peak) h; expected a time above 0"
          )
        }
        do {
          ke0 = try EffectSite.ke0(timeToPeak: peak, system: a, plasma: e.of, volume: v[e.of]!, site: e.state)
        } catch {
          throw .invalidModel("ke0 for a time to peak of \(peak) h could not be found: \(error)")
        }
      }
      guard ke0 > 0 && ke0.isFinite else {
        throw .invalidModel(
          "the effect site '\(definition.compartments[e.state].name)' has ke0 \(ke0) 1/h; expected a rate above 0"
        )
      }
      a[e.state, e.of] += ke0 / v[e.of]!
      a[e.state, e.state] -= ke0
    }
    // dI/dt = A_of/V_of: the exact area under the concentration curve, taking no drug.
    for s in areaStates { a[s.state, s.of] += 1 / v[s.of]! }
    return (LinearSystem(matrix: a), v)
  }
}
