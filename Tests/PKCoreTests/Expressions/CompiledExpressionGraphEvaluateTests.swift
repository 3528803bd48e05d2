import PKCore
import RealModule
import Testing

/// `CompiledExpressionGraph.evaluate`: definitions computed in order into one array, errors
/// annotated with the failing definition.
@Suite struct CompiledExpressionGraphEvaluateTests {
  static let model = try! ExpressionGraph(
    definitions: ExpressionGraphTests.definitions([
      "R2": "if MODE == 1 then RAT2 else 0",
      "V1": "0.063 * WT",
      "K10": "CL / V1",
      "CL": "1.1 * (WT / 70) ^ 0.75",
      "RAT2": "0.3",
    ]),
    inputs: ["WT", "MODE"]
  ).compile()

  @Test func realisticParameters() throws {
    let wt = 62.65
    let values = try Self.model.evaluate(inputs: ["WT": wt, "MODE": 1])
    let cl = 1.1 * Double.pow(wt / 70, 0.75)
    #expect(values["CL"]!.isApproximatelyEqual(to: cl, relativeTolerance: 1e-15))
    #expect(values["V1"]!.isApproximatelyEqual(to: 0.063 * wt, relativeTolerance: 1e-15))
    #expect(values["K10"]!.isApproximatelyEqual(to: cl / (0.063 * wt), relativeTolerance: 1e-15))
    #expect(values["R2"]!.isApproximatelyEqual(to: 0.3, relativeTolerance: 0))
    let otherMode = try Self.model.evaluate(inputs: ["WT": wt, "MODE": 2])
    #expect(otherMode["R2"]!.isApproximatelyEqual(to: 0, absoluteTolerance: 0, relativeTolerance: 0))
  }

  @Test func oneArrayHoldsInputsThenDefinitions() throws {
    let graph = Self.model.graph
    #expect(Self.model.slotCount == 7)
    var values = [Double](repeating: .nan, count: Self.model.slotCount)
    for wt in [40.0, 70, 100] {
      values[graph.slots["WT"]!] = wt
      values[graph.slots["MODE"]!] = 1
      try Self.model.evaluate(into: &values)
      let cl = values[graph.slots["CL"]!]
      #expect(cl.isApproximatelyEqual(to: 1.1 * Double.pow(wt / 70, 0.75), relativeTolerance: 1e-15))
      #expect(
        values[graph.slots["K10"]!].isApproximatelyEqual(to: cl / (0.063 * wt), relativeTolerance: 1e-15))
    }
    let all = try Self.model.evaluate(inputs: [70, 1])
    #expect(all.count == 7)
    #expect(all[0] == 70 && all[1] == 1)
  }

  @Test func errorsNameTheDefinition() throws {
    do {
      _ = try Self.model.evaluate(inputs: ["WT": 0, "MODE": 1])
      Issue.record("a weight of 0 was accepted")
    } catch {
      #expect(error == EvaluationError(.divisionByZero(dividend: 0, divisor: 0), definition: "K10"))
      #expect(error.description == "while computing 'K10': division by zero: 0.0 / 0.0")
    }
    do {
      _ = try Self.model.evaluate(inputs: ["WT": -70, "MODE": 1])
      Issue.record("a negative weight was accepted")
    } catch {
      #expect(
        error == EvaluationError(.nonFiniteResult(operation: "^", operands: [-1, 0.75]), definition: "CL"))
    }
  }

  /// A non-finite input is named, with the definition that read it first (the definitions run
  /// from one block of instructions, so each keeps its own names for messages), and the
  /// branches of `R2` (a jump inside one definition) still land in that definition.
  @Test func nonFiniteInputsNameTheInputAndTheDefinition() throws {
    do {
      _ = try Self.model.evaluate(inputs: ["WT": .infinity, "MODE": 1])
      Issue.record("an infinite weight was accepted")
    } catch {
      guard case .nonFiniteInput(let name, let value) = error.reason else {
        Issue.record("unexpected reason \(error.reason)")
        return
      }
      #expect(name == "WT" && value == .infinity)
      #expect(error.definition == "V1" || error.definition == "CL")
    }
    do {
      _ = try Self.model.evaluate(inputs: ["WT": 70, "MODE": .nan])
      Issue.record("a NaN mode was accepted")
    } catch {
      guard case .nonFiniteInput(let name, _) = error.reason else {
        Issue.record("unexpected reason \(error.reason)")
        return
      }
      #expect(name == "MODE" && error.definition == "R2")
    }
  }
}
