import PKLinearAlgebra
import PKSolver
import RealModule

/// Turning a model definition into the numbers of one subject.
extension ModelDefinition {
  /// The value of parameter `name` for `subject` in canonical units (L, L/h, 1/h).
  ///
  /// ```
  /// P = value × factor × WT                  (per-kg unit)
  /// P = value × factor × (WT / WTref)^e      (allometric scaling)
  /// ```
  public func value(of name: String, for subject: Subject) throws(ModelError) -> Double {
    guard let p = parameters.first(where: { $0.name == name }) else {
      throw .invalidModel("unknown parameter '\(name)'")
    }
    var v = p.value * p.factor
    if p.perKilogram || p.weightScaling != nil {
      guard let wt = subject.weight else {
        throw .missingCovariate(name: "weight", reason: "\(self.name) scales \(name) by body weight")
      }
      if p.perKilogram { v *= wt }
      if let s = p.weightScaling { v *= Double.pow(wt / s.referenceWeight, s.exponent) }
    }
    return v
  }

  /// The compartment model of one subject: volumes (L) and the system matrix (1/h).
  ///
  /// The state is one amount (mg) per compartment, in file order, followed by the amount
  /// eliminated from the body, so that Σ state = Σ doses at every time (mass balance).
  /// A flow from i to j with rate constant k adds −k to A[i,i] and +k to A[j,i].
  ///
  /// - Throws: `ModelError` when the definition is inconsistent (see `validate()`) or a covariate
  ///   is missing or impossible.
  public func instantiate(for subject: Subject) throws(ModelError) -> CompartmentModel {
    try validate()
    if let w = subject.weight, !(w > 0 && w.isFinite) {
      throw .invalidCovariate(name: "weight", value: w, expected: "a positive number of kg")
    }
    if let a = subject.age, !(a >= 0 && a.isFinite) {
      throw .invalidCovariate(name: "age", value: a, expected: "zero or more years")
    }
    let n = compartments.count
    let index = Dictionary(uniqueKeysWithValues: compartments.enumerated().map { ($1.name, $0) })
    var volumes = [Double?](repeating: nil, count: n)
    for (i, c) in compartments.enumerated() {
      if let v = c.volume {
        let value = try value(of: v, for: subject)
        guard value > 0 && value.isFinite else {
          throw .invalidModel("volume \(v) of '\(c.name)' is \(value) L, expected a positive number")
        }
        volumes[i] = value
      }
    }
    var a = Matrix(rows: n + 1, columns: n + 1)
    for f in flows {
      guard let i = index[f.from] else { throw .invalidModel("unknown compartment '\(f.from)'") }
      let j = f.to.map { index[$0] ?? n } ?? n
      var k = try value(of: f.parameter, for: subject)
      if f.kind == .clearance {
        guard let v = volumes[i] else { throw .invalidModel("'\(f.from)' needs a volume") }
        k /= v
      }
      guard k >= 0 && k.isFinite else {
        throw .invalidModel("the flow from '\(f.from)' has rate \(k) 1/h, expected zero or more")
      }
      a[i, i] -= k
      a[j, i] += k
    }
    let outputIndices = outputs.map { index[$0.compartment]! }
    var routeIndex: [Route: Int] = [:]
    for r in routes { routeIndex[r.route] = index[r.compartment]! }
    return CompartmentModel(
      name: name,
      compartmentNames: compartments.map(\.name),
      volumes: volumes,
      system: LinearSystem(matrix: a),
      outputs: outputs,
      outputCompartments: outputIndices,
      routeCompartments: routeIndex)
  }
}
