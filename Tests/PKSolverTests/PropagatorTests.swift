import PKLinearAlgebra
import PKSolver
import RealModule
import Testing
import _PKTestSupport

/// `Propagator` (Φ = e^{Ah}, Γ = ∫₀ʰ e^{As} ds through Van Loan's augmented exponential) against
/// closed forms.
@Suite struct PropagatorTests {
  static let u = Double.ulpOfOne / 2

  /// dx/dt = −k·x + u: Φ = e^{−kh}, Γ = (1 − e^{−kh}) / k.
  ///
  /// Tolerance: the augmented matrix [[−kh, h], [0, 0]] has ‖·‖₁ = (k + 1)·h, and scaling and
  /// squaring keeps the relative error within 2^s·u of each entry, ≤ 64·max(1, (k + 1)h)·u.
  @Test(arguments: [(0.5, 0.001), (0.45, 1.0 / 60.0), (1.2, 1.0), (3.0, 2.0), (0.8, 25.0)])
  func scalarDecay(_ parameters: (Double, Double)) throws {
    let (k, h) = parameters
    let p = try Propagator(system: LinearSystem(matrix: Matrix([[-k]])), step: h)
    let bound = 64 * Swift.max(1, (k + 1) * h) * Self.u
    expectClose(p.step, h, relativeTolerance: 0)
    expectClose(p.transition[0, 0], Double.exp(-k * h), relativeTolerance: bound, "Φ")
    expectClose(p.inputGain[0, 0], -Double.expMinusOne(-k * h) / k, relativeTolerance: bound, "Γ")
  }

  /// A = 0 (pure accumulation): Φ = I, Γ = h·I.
  @Test func zeroSystem() throws {
    let h = 0.75
    let p = try Propagator(system: LinearSystem(matrix: Matrix(rows: 2, columns: 2)), step: h)
    expectClose(p.transition, .identity(2), relativeTolerance: 4 * Self.u)
    expectClose(p.inputGain, h * .identity(2), relativeTolerance: 4 * Self.u)
  }

  /// A singular system, a compartment draining into an absorbing state:
  /// A = [[−k, 0], [k, 0]],
  /// Φ = [[e^{−kh}, 0], [1 − e^{−kh}, 1]],
  /// Γ = [[(1 − e^{−kh})/k, 0], [h − (1 − e^{−kh})/k, h]].
  @Test(arguments: [(0.45, 0.5), (1.2, 1.0), (2.0, 3.0), (0.1, 24.0)])
  func singularSystem(_ parameters: (Double, Double)) throws {
    let (k, h) = parameters
    let p = try Propagator(system: LinearSystem(matrix: Matrix([[-k, 0], [k, 0]])), step: h)
    let oneMinusE = -Double.expMinusOne(-k * h)
    let phi = Matrix([[Double.exp(-k * h), 0], [oneMinusE, 1]])
    let gamma = Matrix([[oneMinusE / k, 0], [h - oneMinusE / k, h]])
    // h − (1 − e^{−kh})/k loses up to log₂(kh/(kh − 1 + e^{−kh})) bits in the reference; for
    // kh ≥ 0.2 that is under 4 bits, inside the factor 64.
    let bound = 64 * Swift.max(1, (2 * k + 1) * h) * Self.u
    expectClose(p.transition, phi, relativeTolerance: bound, "Φ")
    expectClose(p.inputGain, gamma, relativeTolerance: bound, "Γ")
  }

  /// apply writes y = Φx + g for g = Γu, or Φx without input, in both forms (a long step
  /// applies Φ, a short one x + (Φ − I)x).
  @Test(arguments: [0.25, 4.0])
  func applyCombinesTransitionAndInput(h: Double) throws {
    let k = 0.7
    let p = try Propagator(system: LinearSystem(matrix: Matrix([[-k, 0], [k, 0]])), step: h)
    #expect(p.usesIncrement == (2 * k * h <= 1))
    let x = [3.0, 5.0]
    let input = [2.0, 0.0]
    var y = [Double](repeating: .nan, count: 2)
    p.apply(x, gain: p.inputGain.multiplied(by: input), into: &y)
    var expected = [Double](repeating: 0, count: 2)
    for i in 0..<2 {
      for j in 0..<2 { expected[i] += p.transition[i, j] * x[j] + p.inputGain[i, j] * input[j] }
    }
    expectClose(y, expected, relativeTolerance: 4 * Self.u)

    var free = [Double](repeating: 0, count: 2)
    p.apply(x, gain: nil, into: &free)
    let phiX = (0..<2).map { i in p.transition[i, 0] * x[0] + p.transition[i, 1] * x[1] }
    expectClose(free, phiX, relativeTolerance: 4 * Self.u)
  }

  /// Φ(h₁)·Φ(h₂) = Φ(h₁ + h₂) (the semigroup property) for a 2-compartment system with
  /// elimination, whose matrix is singular.
  @Test func transitionsCompose() throws {
    let m = MammillaryModel.twoCompartmentExample
    let (k10, k12, k21) = (m.k10, m.peripherals[0].fromCentral, m.peripherals[0].toCentral)
    let a = Matrix([[-(k10 + k12), k21, 0], [k12, -k21, 0], [k10, 0, 0]])
    let system = LinearSystem(matrix: a)
    let p1 = try Propagator(system: system, step: 0.3)
    let p2 = try Propagator(system: system, step: 0.45)
    let p12 = try Propagator(system: system, step: 0.75)
    // Entries are O(1) (column sums are 1), so an absolute bound of a few ‖A‖·h·u per product.
    let bound = 64 * Swift.max(1, a.oneNorm * 0.75) * Self.u
    expectClose(
      p1.transition * p2.transition, p12.transition, relativeTolerance: 0, absoluteTolerance: bound)
  }
}
