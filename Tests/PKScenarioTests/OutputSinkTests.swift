import Foundation
import Testing

@testable import PKScenario

/// `OutputSink` keeps the order of what it is given, whether a block is gathered in its buffer or
/// (a quarter chunk or more) written straight to the file, and leaves no file until `finish()`.
@Suite struct OutputSinkTests {
  @Test func mixedBlocksArriveInOrder() throws {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("sink-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: dir) }
    let path = dir.appendingPathComponent("out.csv").path
    let sink = try OutputSink(path: path)
    var expected: [UInt8] = []
    let sizes = [
      10, OutputSink.chunkSize / 4, 3, OutputSink.chunkSize + 17, 1, OutputSink.chunkSize / 4 - 1, 5,
    ]
    for (k, size) in sizes.enumerated() {
      let block = (0..<size).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ k) }
      if k == 2 {
        try sink.write("text,\(k)\n")
        expected += Array("text,\(k)\n".utf8)
      }
      try sink.write(bytes: block)
      expected += block
    }
    #expect(!FileManager.default.fileExists(atPath: path), "nothing at the path before finish()")
    try sink.finish()
    let written = try [UInt8](Data(contentsOf: URL(fileURLWithPath: path)))
    #expect(written.count == expected.count)
    #expect(written == expected)
  }
}
