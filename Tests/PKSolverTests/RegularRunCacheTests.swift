import PKLinearAlgebra
import Testing
import _PKTestSupport

@testable import PKSolver

/// `RegularRunCache`: steppers that share it look up the runs of the output clock another has
/// walked, and give the same doubles as steppers without it; a grid that differs anywhere in a
/// run, or a clock that starts elsewhere, walks its own run.
@Suite struct RegularRunCacheTests {
  /// The states of `system` from `start` through `targets` (input u), with or without a cache.
  static func states(
    _ system: LinearSystem, _ targets: [Double], input u: [Double]?, cache: RegularRunCache?
  ) throws -> (states: [Double], time: Double) {
    let n = system.dimension
    var stepper = ExactLinearStepper(system: system)
    var x = (0..<n).map { 50.0 / Double($0 + 1) }
    var states = [Double](repeating: .nan, count: targets.count * n)
    try stepper.advance(
      &x, through: targets, range: 0..<targets.count, offset: 0, input: u, states: &states, statesStart: 0,
      runs: cache)
    return (states, stepper.time)
  }

  /// Three systems (3 to 5 compartments) on one grid with an irregular target in it, with and
  /// without an input: the first walks the runs, the others find them, and every state and the
  /// final clock are the same bit patterns as without the cache.
  @Test func sharedRunsGiveTheSameDoubles() throws {
    var targets = (1...600).map { Double($0) / 60 }
    targets[300] -= 1.0 / 180
    let cache = RegularRunCache()
    for input in [nil, [1.5]] {
      for n in 3...5 {
        let system = ExactLinearStepperTests.system(n)
        let u = input.map { _ in (0..<n).map { 1.5 + Double($0) } }
        let cached = try Self.states(system, targets, input: u, cache: cache)
        let plain = try Self.states(system, targets, input: u, cache: nil)
        #expect(cached.states.map(\.bitPattern) == plain.states.map(\.bitPattern), "n \(n)")
        #expect(cached.time.bitPattern == plain.time.bitPattern, "n \(n)")
      }
    }
    // Each system after the first of a kind found both of the grid's runs (before and after the
    // irregular target): 2 systems × 2 runs, for each input.
    #expect(cache.hits >= 8)
  }

  /// A grid that differs from a remembered one in a single target (an ulp) misses, and still
  /// gives the plain doubles; so does a cache of capacity 1 that two grids take turns in.
  @Test func aDifferentGridWalksItsOwnRun() throws {
    let system = ExactLinearStepperTests.system(4)
    let grid = (1...400).map { Double($0) / 60 }
    var other = grid
    other[250] = other[250].nextUp
    let cache = RegularRunCache(capacity: 1)
    _ = try Self.states(system, grid, input: nil, cache: cache)
    let hitsBefore = cache.hits
    for targets in [other, grid, other] {
      let cached = try Self.states(system, targets, input: nil, cache: cache)
      let plain = try Self.states(system, targets, input: nil, cache: nil)
      #expect(cached.states.map(\.bitPattern) == plain.states.map(\.bitPattern))
      #expect(cached.time.bitPattern == plain.time.bitPattern)
    }
    // Capacity 1 and alternating grids: each run is compared whole, so no grid ever finds the
    // other's run.
    #expect(cache.hits == hitsBefore)
  }

  /// A full cache gives up the run used least recently: with room for two, grid A found again
  /// after B keeps A when C comes, so A is found once more and B walks again.
  @Test func theLeastRecentlyUsedRunGoes() throws {
    let system = ExactLinearStepperTests.system(4)
    let grids = (1...3).map { g in (1...200).map { Double($0) / Double(60 * g) } }
    let cache = RegularRunCache(capacity: 2)
    func hits(_ grid: [Double]) throws -> Int {
      let before = cache.hits
      _ = try Self.states(system, grid, input: nil, cache: cache)
      return cache.hits - before
    }
    #expect(try hits(grids[0]) == 0)
    #expect(try hits(grids[1]) == 0)
    #expect(try hits(grids[0]) > 0)
    #expect(try hits(grids[2]) == 0)
    #expect(try hits(grids[0]) > 0)
    #expect(try hits(grids[1]) == 0)
  }

  /// The same values in another array's storage find the run (compared value by value), as
  /// the very array does (found by its storage); both give the plain doubles.
  @Test func equalGridsInOtherStorageFindTheRun() throws {
    let system = ExactLinearStepperTests.system(4)
    let grid = (1...400).map { Double($0) / 60 }
    let cache = RegularRunCache()
    _ = try Self.states(system, grid, input: nil, cache: cache)
    let copy = grid.map { $0 }
    #expect(
      copy.withUnsafeBufferPointer { $0.baseAddress } != grid.withUnsafeBufferPointer { $0.baseAddress })
    for targets in [copy, grid] {
      let hitsBefore = cache.hits
      let cached = try Self.states(system, targets, input: nil, cache: cache)
      let plain = try Self.states(system, targets, input: nil, cache: nil)
      #expect(cached.states.map(\.bitPattern) == plain.states.map(\.bitPattern))
      #expect(cache.hits > hitsBefore)
    }
  }
}
