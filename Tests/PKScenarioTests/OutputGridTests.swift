import PKCore
import Testing

@testable import PKScenario

@Suite struct OutputGridTests {
  @Test func regularGridIncludesTheEnd() throws {
    let g = try OutputGrid(until: (24, .hour), every: (1, .minute))
    #expect(g.times.count == 1441)
    #expect(g.unit == .minute)
    #expect(g.times[1440] == 1440)
    #expect(g.hours[60] == 1)
  }

  @Test func gridNotAMultipleStopsBeforeTheEnd() throws {
    let g = try OutputGrid(until: (10, .minute), every: (3, .minute))
    #expect(g.times == [0, 3, 6, 9])
  }

  @Test func decimalStepsKeepTheirEnd() throws {
    let g = try OutputGrid(until: (1, .hour), every: (0.1, .hour))
    #expect(g.times.count == 11)
  }

  @Test func rejectsBadGrids() {
    #expect(throws: QuantityError.self) { try OutputGrid(until: (1, .hour), every: (0, .minute)) }
    #expect(throws: QuantityError.self) { try OutputGrid(until: (10_000, .day), every: (1, .second)) }
    #expect(throws: QuantityError.self) { try OutputGrid(times: [], unit: .hour) }
    #expect(throws: QuantityError.self) { try OutputGrid(times: [2, 1], unit: .hour) }
    #expect(throws: QuantityError.self) { try OutputGrid(times: [-1], unit: .hour) }
  }
}
