import PKStatistics
import Testing

/// `Philox4x32` against the known-answer vectors of Random123 (`kat_vectors`, philox4x32_10),
/// the reference implementation of Salmon et al. (SC'11).
@Suite struct PhiloxTests {
  /// One known answer: counter and key in, four words out.
  struct KnownAnswer: Sendable, CustomTestStringConvertible {
    let counter: SIMD4<UInt32>
    let key: SIMD2<UInt32>
    let output: SIMD4<UInt32>

    var testDescription: String {
      "counter \(hex(counter.indices.map { counter[$0] })) key \(hex([key[0], key[1]]))"
    }
  }

  static let knownAnswers: [KnownAnswer] = [
    KnownAnswer(
      counter: SIMD4(0, 0, 0, 0), key: SIMD2(0, 0),
      output: SIMD4(0x6627_E8D5, 0xE169_C58D, 0xBC57_AC4C, 0x9B00_DBD8)),
    KnownAnswer(
      counter: SIMD4(repeating: 0xFFFF_FFFF), key: SIMD2(repeating: 0xFFFF_FFFF),
      output: SIMD4(0x408F_276D, 0x41C8_3B0E, 0xA20B_C7C6, 0x6D54_51FD)),
    // The digits of π: counter 0x243f6a88…, key 0xa4093822 0x299f31d0.
    KnownAnswer(
      counter: SIMD4(0x243F_6A88, 0x85A3_08D3, 0x1319_8A2E, 0x0370_7344),
      key: SIMD2(0xA409_3822, 0x299F_31D0),
      output: SIMD4(0xD16C_FE09, 0x94FD_CCEB, 0x5001_E420, 0x2412_6EA1)),
  ]

  @Test(arguments: knownAnswers)
  func reproducesRandom123KnownAnswer(_ answer: KnownAnswer) {
    let output = Philox4x32(key: answer.key).block(answer.counter)
    #expect(output == answer.output, "got \(hex(output.indices.map { output[$0] }))")
  }

  @Test func hasTenRounds() {
    #expect(Philox4x32.rounds == 10)
  }

  /// A pure function: the same counter and key always give the same block, and changing one bit
  /// of the counter or of the key changes the block.
  @Test func isAPureFunctionOfCounterAndKey() {
    let philox = Philox4x32(key: SIMD2(7, 11))
    let counter = SIMD4<UInt32>(1, 2, 3, 4)
    let block = philox.block(counter)
    #expect(philox.block(counter) == block)
    #expect(Philox4x32(key: SIMD2(7, 11)).block(counter) == block)
    for word in 0..<4 {
      var flipped = counter
      flipped[word] ^= 1
      #expect(philox.block(flipped) != block, "counter word \(word)")
    }
    #expect(Philox4x32(key: SIMD2(6, 11)).block(counter) != block)
    #expect(Philox4x32(key: SIMD2(7, 10)).block(counter) != block)
  }
}

private func hex(_ words: [UInt32]) -> String {
  words.map { "0x" + String($0, radix: 16) }.joined(separator: " ")
}
