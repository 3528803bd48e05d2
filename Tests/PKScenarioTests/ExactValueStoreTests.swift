import Testing

@testable import PKScenario

/// `_ExactValueStore`: memory mapped afresh, written once per position, and a clear failure
/// (nil, which the runner reports as an input error naming --exact-limit) when it cannot be mapped.
@Suite struct ExactValueStoreTests {
  @Test func writesBlocksAndMarksFailedSubjects() throws {
    // 3 subjects, 2 blocks (time points); subjects 0 and 2 written, subject 1 failed.
    let store = try #require(_ExactValueStore(count: 6))
    store.write(batch: [[1, 2], [5, 6]], positions: [0, 2], stride: 3)
    store.markFailed(position: 1, blocks: 2, stride: 3)
    #expect(Array(store.block(0, stride: 3)) == [1, 5])
    #expect(Array(store.block(1, stride: 3)) == [2, 6])
  }

  @Test func blocksAreWholeWhenNoSubjectFailed() throws {
    // 3 subjects, 2 blocks, all written (two batches): each block is the subjects' values in
    // position order, −0.0 and subnormals kept as they are, in the store's own memory.
    let store = try #require(_ExactValueStore(count: 6))
    store.write(batch: [[1, -0.0], [0x1p-1070, 4]], positions: [0, 1], stride: 3)
    store.write(batch: [[3, 6]], positions: [2], stride: 3)
    let first = store.block(0, stride: 3)
    let second = store.block(1, stride: 3)
    #expect(first.baseAddress == store.values && second.baseAddress == store.values + 3)
    #expect(first.map(\.bitPattern) == [1, 0x1p-1070, 3].map(\.bitPattern))
    #expect(second.map(\.bitPattern) == [-0.0, 4, 6].map(\.bitPattern))
  }

  @Test func memoryThatCannotBeMappedIsNil() {
    // 2⁶⁰ bytes: more than any address space gives.
    #expect(_ExactValueStore(count: 1 << 57) == nil)
  }
}
