import PKCore
import RealModule
import Testing
import _PKTestSupport

/// `DoseAmount.resolved(for:)`: absolute and per-kg amounts.
@Suite struct DoseAmountTests {
  @Test func absoluteAmountIgnoresTheWeight() throws {
    expectClose(try DoseAmount(milligrams: 35).resolved(for: Subject()), 35, relativeTolerance: 0)
    expectClose(
      try DoseAmount(milligrams: 35).resolved(for: Subject(weight: 80)), 35, relativeTolerance: 0)
  }

  @Test func perKilogramAmountIsMultipliedByTheWeight() throws {
    expectClose(
      try DoseAmount(milligrams: 0.5, perKilogram: true).resolved(for: Subject(weight: 72.5)),
      36.25,
      relativeTolerance: 0)
  }

  @Test func perKilogramAmountWithoutWeightThrows() {
    #expect(throws: ModelError.missingCovariate(name: "weight", reason: "a dose is given per kg")) {
      try DoseAmount(milligrams: 0.5, perKilogram: true).resolved(for: Subject())
    }
  }
}
