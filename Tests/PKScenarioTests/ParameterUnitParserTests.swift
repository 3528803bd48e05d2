import PKCore
import RealModule
import Testing

@testable import PKScenario

@Suite struct ParameterUnitParserTests {
  @Test(arguments: [
    ("L", Parameter.Dimension.volume, 1.0, false),
    ("mL", .volume, 1e-3, false),
    ("L/kg", .volume, 1.0, true),
    ("L/h", .clearance, 1.0, false),
    ("L/min", .clearance, 60.0, false),
    ("mL/min/kg", .clearance, 0.06, true),
    ("L/h/kg", .clearance, 1.0, true),
    ("1/min", .rateConstant, 60.0, false),
    ("/h", .rateConstant, 1.0, false),
    ("min-1", .rateConstant, 60.0, false),
    ("1", .dimensionless, 1.0, false),
  ])
  func units(unit: String, dimension: Parameter.Dimension, factor: Double, perKg: Bool) throws {
    let parsed = try ParameterUnitParser.parse(unit)
    #expect(parsed.dimension == dimension)
    #expect(parsed.factor.isApproximatelyEqual(to: factor, relativeTolerance: 1e-15))
    #expect(parsed.perKilogram == perKg)
  }

  @Test(arguments: ["mg", "L/mg", "kg", "1/fortnight", "L/h/min"])
  func rejected(unit: String) {
    #expect(throws: QuantityError.self) { try ParameterUnitParser.parse(unit) }
  }
}
