import PKCore
import RealModule
import Testing
import _PKTestSupport

/// `DoseRate.resolved(for:)`: absolute and per-kg rates.
@Suite struct DoseRateTests {
  @Test func absoluteRateIgnoresTheWeight() throws {
    expectClose(
      try DoseRate(milligramsPerHour: 12).resolved(for: Subject()), 12, relativeTolerance: 0)
  }

  @Test func perKilogramRateIsMultipliedByTheWeight() throws {
    expectClose(
      try DoseRate(milligramsPerHour: 0.25, perKilogram: true).resolved(for: Subject(weight: 80)),
      20,
      relativeTolerance: 0)
  }

  @Test func perKilogramRateWithoutWeightThrows() {
    #expect(
      throws: ModelError.missingCovariate(
        name: "weight", reason: "an infusion rate is given per kg")
    ) {
      try DoseRate(milligramsPerHour: 0.25, perKilogram: true).resolved(for: Subject())
    }
  }
}
