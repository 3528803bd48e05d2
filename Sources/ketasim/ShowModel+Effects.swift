import PKCore
import PKLinearAlgebra
import PKScenario

/// The pharmacodynamic sections of `ketasim models show`: effect sites, concentration–effect
/// models and indirect responses, each parameter with its value, unit and provenance.
extension ShowModel {
  /// The lines of the effect sites, the concentration–effect models and the indirect responses
  /// (empty sections left out), each section after a blank line.
  ///
  /// ```
  /// effect sites (dCe/dt = ke0·(Cp − Ce), a concentration in mg/L):
  ///   effect: follows central, ke0 = KE0 = 0.652 1/min [transcribed]
  /// ```
  static func effectLines(_ m: ModelDefinition) -> [String] {
    var lines: [String] = []
    let parameters = Dictionary(m.parameters.map { ($0.name, $0) }, uniquingKeysWith: { a, _ in a })
    func describe(_ role: String, _ name: String?, unit: String? = nil) -> String {
      guard let name else { return "\(role) not given" }
      return _describe(role, name, parameters: parameters, displayUnit: unit)
    }
    let sites = m.compartments.filter { $0.effect != nil }
    if !sites.isEmpty {
      lines += ["", "effect sites (dCe/dt = ke0·(Cp − Ce), a concentration in mg/L):"]
      for c in sites {
        let e = c.effect!
        switch e.rate {
        case .ke0(let p):
          lines.append("  \(c.name): follows \(e.of), " + describe("ke0", p))
        case .halfLife(let p):
          lines.append("  \(c.name): follows \(e.of), ke0 = ln 2/t½ke0, " + describe("t½ke0", p))
        case .timeToPeak(let p):
          lines.append(
            "  \(c.name): follows \(e.of), ke0 solved per subject for a time to peak after a bolus of "
              + describe(p, p))
        }
      }
    }
    if !m.effects.isEmpty {
      lines += [
        "",
        "concentration–effect models (E from the output's concentration C in ng/mL at each output time; CSV column <name>):",
      ]
      for e in m.effects {
        lines.append("  \(e.name) (\(e.unit)): \(e.form.rawValue) of \(e.output), \(_formula(e.form))")
        var parts: [String] = []
        if e.form == .linear {
          parts.append(describe("E0", e.e0, unit: e.unit))
          parts.append(describe("slope", e.slope, unit: "\(e.unit) per ng/mL"))
        } else {
          let inhibitory = e.form == .inhibitoryEmax || e.form == .inhibitorySigmoidEmax
          parts.append(describe("E0", e.e0, unit: e.unit))
          parts.append(describe(inhibitory ? "Imax" : "Emax", e.emax, unit: e.unit))
          parts.append(describe(inhibitory ? "IC50" : "EC50", e.ec50))
          if e.form.usesGamma { parts.append(describe("γ", e.gamma)) }
        }
        lines.append("      " + parts.joined(separator: "; "))
        lines.append("      source: \(e.source)")
      }
    }
    let responses = m.responses
    if !responses.isEmpty {
      lines += [
        "",
        "indirect responses (turnover: R made at kin = kout·R0, lost at kout·R; integrated with the drug; CSV column <name>):",
      ]
      for r in responses {
        lines.append(
          "  \(r.name) (\(r.unit)): type \(_type(r.mechanism)), \(r.mechanism.rawValue), by \(r.output): \(_formula(r.mechanism))"
        )
        var parts = [describe("R0", r.baseline, unit: r.unit)]
        switch r.turnover {
        case .kout(let p):
          parts.append(describe("kout", p) + _converted(p, parameters: parameters, "t½", "h"))
        case .halfLife(let p):
          parts.append(describe("t½", p) + _converted(p, parameters: parameters, "kout", "1/h"))
        }
        let inhibits = r.mechanism.inhibits
        parts.append(describe(inhibits ? "IC50" : "EC50", r.potency))
        parts.append(describe(inhibits ? "Imax" : "Emax", r.maximum))
        parts.append(r.gamma.map { describe("γ", $0) } ?? "γ = 1 (not given: hyperbolic)")
        lines.append("      " + parts.joined(separator: "; "))
        lines.append("      source: \(r.source)")
      }
    }
    return lines
  }

  /// The ke0 (1/h) of every effect site for one subject's model, as the engine uses it (solved
  /// from the time to peak where the file gives one): minus the site's diagonal entry of K.
  static func ke0Lines(_ m: ModelDefinition, model: CompartmentModel, format f: CSVWriter) -> [String] {
    m.compartments.enumerated().compactMap { i, c in
      guard let e = c.effect else { return nil }
      let ke0 = -model.system.matrix[i, i]
      let word = if case .timeToPeak = e.rate { " (solved from the time to peak)" } else { "" }
      return
        "  ke0(\(c.name)) = \(f.format(ke0 / 60)) 1/min\(word), t½ke0 = \(f.format(0.6931471805599453 / ke0 * 60)) min"
    }
  }

  /// `role = NAME = value unit [provenance]` for a constant (`NAME = …` when the role is the
  /// name, the display unit replacing a unit `1`; a concentration not in ng/mL also in ng/mL);
  /// `role = NAME = expression (unit), from A = … [printed], …` for an expression, listing the
  /// constants it depends on.
  static func _describe(
    _ role: String, _ name: String, parameters: [String: Parameter], displayUnit: String?
  ) -> String {
    let head = role == name ? "\(name)" : "\(role) = \(name)"
    guard let p = parameters[name] else { return "\(head) (not a parameter)" }
    func unit(_ p: Parameter, _ display: String?) -> String {
      p.unit == "1" ? (display.map { " \($0)" } ?? "") : " \(p.unit)"
    }
    switch p.definition {
    case .value(let v):
      var text = "\(head) = \(CSVWriter().format(v))\(unit(p, displayUnit))"
      if p.dimension == .concentration && p.unit != "ng/mL" {
        text += " (\(CSVWriter().format(v * p.factor * 1000)) ng/mL)"
      }
      return text + " [\(p.provenance.rawValue)]"
    case .expression(_, let source):
      var text = "\(head) = \(source)" + (p.unit == "1" ? "" : " (\(p.unit))")
      let constants = _constants(of: p, parameters: parameters)
      if !constants.isEmpty {
        text +=
          ", from "
          + constants.map { c in
            "\(c.name) = \(CSVWriter().format(c.value!))\(unit(c, nil)) [\(c.provenance.rawValue)]"
          }.joined(separator: ", ")
      }
      return text
    }
  }

  /// The constant parameters an expression parameter depends on, directly or through other
  /// expressions (covariates left out), each level sorted by name.
  static func _constants(of p: Parameter, parameters: [String: Parameter]) -> [Parameter] {
    var seen: Set<String> = [p.name]
    var found: [Parameter] = []
    var queue = p.expression.variables.sorted()
    while let name = queue.first {
      queue.removeFirst()
      guard seen.insert(name).inserted, let q = parameters[name] else { continue }
      if q.value != nil { found.append(q) } else { queue += q.expression.variables.sorted() }
    }
    return found
  }

  /// ` (t½ = … h)` for a constant kout, ` (kout = … 1/h)` for a constant half-life: ln 2 over
  /// the value in canonical units; empty for an expression.
  static func _converted(_ name: String, parameters: [String: Parameter], _ what: String, _ unit: String)
    -> String
  {
    guard let p = parameters[name], let v = p.value, v > 0 else { return "" }
    return " (\(what) = \(CSVWriter(digits: 4).format(0.6931471805599453 / (v * p.factor))) \(unit))"
  }

  /// The Dayton–Jusko type of an indirect response: I to IV.
  static func _type(_ mechanism: IndirectResponse.Mechanism) -> String {
    switch mechanism {
    case .inhibitsProduction: return "I"
    case .inhibitsLoss: return "II"
    case .stimulatesProduction: return "III"
    case .stimulatesLoss: return "IV"
    }
  }

  /// The formula of a concentration–effect form (`ConcentrationEffect`).
  static func _formula(_ form: ConcentrationEffect.Form) -> String {
    switch form {
    case .linear: return "E = E0 + slope·C"
    case .emax: return "E = E0 + Emax·C/(EC50 + C)"
    case .sigmoidEmax: return "E = E0 + Emax·C^γ/(EC50^γ + C^γ)"
    case .inhibitoryEmax: return "E = E0 − Imax·C/(IC50 + C)"
    case .inhibitorySigmoidEmax: return "E = E0 − Imax·C^γ/(IC50^γ + C^γ)"
    }
  }

  /// The rate equation of an indirect-response type (`IndirectResponse`), C the output's
  /// concentration.
  static func _formula(_ mechanism: IndirectResponse.Mechanism) -> String {
    switch mechanism {
    case .inhibitsProduction: return "dR/dt = kin·(1 − H) − kout·R, H = Imax·C^γ/(IC50^γ + C^γ)"
    case .inhibitsLoss: return "dR/dt = kin − kout·(1 − H)·R, H = Imax·C^γ/(IC50^γ + C^γ)"
    case .stimulatesProduction: return "dR/dt = kin·(1 + H) − kout·R, H = Emax·C^γ/(EC50^γ + C^γ)"
    case .stimulatesLoss: return "dR/dt = kin − kout·(1 + H)·R, H = Emax·C^γ/(EC50^γ + C^γ)"
    }
  }
}
