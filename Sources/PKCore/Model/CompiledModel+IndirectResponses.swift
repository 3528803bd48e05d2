/// Indirect responses compiled into rate expressions, and their values checked per subject.
extension CompiledModel {
  /// The flow that integrates indirect response `r` (its slots `s`), held as D = R − R0 by
  /// state `s.state`: rate = −dD/dt (an outflow of the state; `NonlinearFlow` subtracts it),
  /// in canonical units (1/h, mg/L).
  ///
  /// ```
  /// c = conversion · C_output (mg/L; A_<site> for an effect site),   p = IC50 or EC50 (mg/L)
  /// f = 0 (c ≤ 0),   1/(1 + (p/c)^γ) (c ≥ p),   u/(1 + u), u = (c/p)^γ (otherwise)
  /// H = maximum · f
  /// I   −dD/dt = kout·(D + R0·H)          II  −dD/dt = kout·(D − H·(R0 + D))
  /// III −dD/dt = kout·(D − R0·H)          IV  −dD/dt = kout·(D + H·(R0 + D))
  /// ```
  /// The two branches of f never raise a number above 1 to a power, so no intermediate
  /// overflows for any γ (an expression's non-finite intermediate is an error). Dayton NL,
  /// Jusko WJ et al., J Pharmacokinet Biopharm 1993;21:457-478.
  ///
  /// - Returns: the flow and the parameter slots it reads.
  static func _responseFlow(
    _ r: IndirectResponse, _ s: _Response, definition: ModelDefinition, slots: [String: Int],
    parameterSlots: [String: Int]
  ) -> (flow: NonlinearFlow, slots: [Int]) {
    func canonical(_ name: String, _ slot: Slot) -> Expression {
      slot.factor == 1 ? .variable(name) : .binary(.multiply, .variable(name), .number(slot.factor))
    }
    let output = definition.outputs.first { $0.name == r.output }!
    let site = definition.compartments.first { $0.name == output.compartment }!
    var c: Expression = .variable(
      site.effect != nil ? Flow.amountName(site.name) : Flow.concentrationName(site.name))
    if let conversion = output.conversion, let slot = s.conversion {
      c = .binary(.multiply, canonical(conversion, slot), c)
    }
    let p = canonical(r.potency, s.potency)
    let gamma: Expression
    if let g = r.gamma, let slot = s.gamma { gamma = canonical(g, slot) } else { gamma = .number(1) }
    let u = Expression.binary(.power, .binary(.divide, c, p), gamma)
    let fraction = Expression.conditional(
      .binary(.lessOrEqual, c, .number(0)), then: .number(0),
      else: .conditional(
        .binary(.greaterOrEqual, c, p),
        then: .binary(
          .divide, .number(1), .binary(.add, .number(1), .binary(.power, .binary(.divide, p, c), gamma))),
        else: .binary(.divide, u, .binary(.add, .number(1), u))))
    let h = Expression.binary(.multiply, canonical(r.maximum, s.maximum), fraction)
    let kout: Expression
    switch r.turnover {
    case .kout(let k): kout = canonical(k, s.turnover)
    case .halfLife(let t): kout = .binary(.divide, .number(0.6931471805599453), canonical(t, s.turnover))
    }
    let d = Expression.variable(Flow.amountName(definition.compartments[s.state].name))
    let r0 = canonical(r.baseline, s.baseline)
    let inner: Expression
    switch r.mechanism {
    case .inhibitsProduction: inner = .binary(.add, d, .binary(.multiply, r0, h))
    case .stimulatesProduction: inner = .binary(.subtract, d, .binary(.multiply, r0, h))
    case .inhibitsLoss: inner = .binary(.subtract, d, .binary(.multiply, h, .binary(.add, r0, d)))
    case .stimulatesLoss: inner = .binary(.add, d, .binary(.multiply, h, .binary(.add, r0, d)))
    }
    let rate = Expression.binary(.multiply, kout, inner)
    // Every name is a parameter or a state of `slots`, so compiling cannot fail.
    let compiled = try! rate.compile(slots: slots)
    let used = rate.variables.compactMap { parameterSlots[$0] }
    return (NonlinearFlow(from: s.state, to: -1, rate: .expression(compiled, text: rate.description)), used)
  }

  /// Checks the values of every indirect response for one subject's parameter values, against
  /// `IndirectResponse.valueChecks` (in canonical units).
  ///
  /// - Throws: `ModelError.invalidModel` naming the parameter, its role and the response: an
  ///   IC50 or EC50 not above 0, a Hill coefficient not above 0, an Imax outside (0, 1], an Emax
  ///   not above 0, a kout or half-life not above 0, a baseline R0 below 0.
  func _checkResponses(_ values: [Double]) throws(ModelError) {
    for s in responseSlots {
      for (check, slot) in s.checks {
        let v = canonical(slot, values)
        guard check.accepts(v) else {
          let unit = check.dimension == .dimensionless ? "" : " \(check.dimension.canonicalUnit)"
          let name = definition.compartments[s.state].response!.name
          throw .invalidModel(
            "the \(check.role) '\(check.parameter)' of the indirect response '\(name)' is \(v)\(unit); "
              + "expected \(check.expected)")
        }
      }
    }
  }
}
