import Foundation
import PKCore
import Testing

@testable import PKScenario

/// The concentration-landmark file: the bundled ketamine bands as published (ketamine-pk-literature
/// §5: Zanos 2018 Table 1; Herd 2007; Idvall 1979), and a located error for each kind of bad input.
@Suite struct LandmarkFileReaderTests {
  /// A valid file with one landmark, whose `line` (1-based, the line of `low`) is replaced.
  static func file(replacing key: String? = nil, with line: String = "") -> String {
    var lines = [
      "version: 1",
      "description: \"test landmarks\"",
      "landmarks:",
      "  awakening:",
      "    description: \"awakening from ketamine anaesthesia\"",
      "    low: 640 ng/mL",
      "    high: 750 ng/mL",
      "    analyte: racemic ketamine",
      "    sampling: \"plasma\"",
      "    citation: \"Zanos P et al., Pharmacol Rev 2018;70:621-660\"",
      "    note: \"none\"",
    ]
    if let key,
      let i = lines.firstIndex(where: { $0.trimmingCharacters(in: .whitespaces).hasPrefix(key + ":") })
    {
      lines[i] = line
    }
    return lines.joined(separator: "\n") + "\n"
  }

  @Test func bundledKetamineLandmarksAreAsPublished() throws {
    let path = RepositoryPaths.models.appendingPathComponent("landmarks/ketamine.yaml").path
    let landmarks = try LandmarkFileReader.read(path: path)
    #expect(landmarks.map(\.name) == ["anaesthesia", "awakening", "analgesia", "dissociation"])
    let bands = Dictionary(uniqueKeysWithValues: landmarks.map { ($0.name, [$0.low, $0.high]) })
    #expect(bands["anaesthesia"] == [1200, 2400])
    #expect(bands["awakening"] == [640, 750])
    #expect(bands["analgesia"] == [70, 160])
    #expect(bands["dissociation"] == [100, 250])
    for l in landmarks {
      #expect(l.analyte == "racemic ketamine")
      #expect(l.sampling.hasPrefix("plasma"))
      for source in ["Zanos P", "Pharmacol Rev 2018;70:621-660", "Herd D", "Idvall J", "1979;51:1167-1173"] {
        #expect(l.citation.contains(source), "\(l.name): \(l.citation)")
      }
      #expect(!l.note.isEmpty && !l.description.isEmpty)
    }
  }

  @Test func libraryResolvesNamesAndConcentrations() throws {
    let library = RepositoryPaths.library
    #expect(try library.landmarks().count == 4)
    guard case .landmark(let l) = try library.threshold("awakening") else {
      Issue.record("awakening is not a landmark")
      return
    }
    #expect(l.low == 640 && l.high == 750)
    #expect(try library.threshold(" Awakening ") == .landmark(l))
    #expect(try library.threshold("750 ng/mL") == .level(750))
    #expect(try library.threshold("0.75µg/mL") == .level(750))
    #expect(try library.threshold("awakening").concentrations == [640, 750])
  }

  /// An unknown name lists the known ones; a number without a concentration unit says what is
  /// expected. Both carry the source `threshold`, for the caller to locate.
  @Test(arguments: [
    ("awake", "unknown landmark 'awake'; known landmarks: anaesthesia, awakening, analgesia, dissociation"),
    ("750", "expected a concentration with its unit"),
    ("750 mg", "expected a concentration with its unit"),
    ("-5 ng/mL", "0 or more"),
  ])
  func badThresholdText(text: String, message: String) {
    #expect {
      _ = try RepositoryPaths.library.threshold(text)
    } throws: { error in
      let e = error as! InputError
      return e.source == "threshold" && e.message.contains(message)
    }
  }

  @Test func theTestFileReads() throws {
    let landmarks = try LandmarkFileReader.parse(yaml: Self.file(), file: "l.yaml")
    #expect(landmarks.count == 1 && landmarks[0].low == 640 && landmarks[0].high == 750)
    let micro = try LandmarkFileReader.parse(
      yaml: Self.file(replacing: "low", with: "    low: 0.64 µg/mL"), file: "l.yaml")
    #expect(micro[0].low == 640)
  }

  /// Each bad value names the file, the line and the key path.
  @Test(arguments: [
    ("low", "    low: 640", 6, "landmarks.awakening.low", "expected a concentration with its unit"),
    ("low", "    low: 640 mg", 6, "landmarks.awakening.low", "expected a concentration with its unit"),
    ("low", "    low: 640 min", 6, "landmarks.awakening.low", "found '640 min'"),
    ("low", "    low: lots", 6, "landmarks.awakening.low", "expected a number with a unit"),
    (
      "low", "    low: 800 ng/mL", 5, "landmarks.awakening", "low (800 ng/mL) must lie below high (750 ng/mL)"
    ),
    ("high", "    high: 640 ng/mL", 5, "landmarks.awakening", "must lie below high (640 ng/mL)"),
    ("note", "    colour: red", 11, "landmarks.awakening.colour", "is not a known key"),
    ("version", "versoin: 1", 1, "versoin", "is not a known key"),
    ("citation", "    citation: \"\"", 10, "landmarks.awakening.citation", "is empty"),
    ("version", "version: one", 1, "version", "expected a whole number"),
    ("awakening", "  Awakening:", 5, "landmarks.Awakening", "is not a landmark name"),
  ])
  func locatedErrors(key: String, line: String, lineNumber: Int, field: String, message: String) {
    #expect {
      _ = try LandmarkFileReader.parse(yaml: Self.file(replacing: key, with: line), file: "l.yaml")
    } throws: { error in
      let e = error as! InputError
      return e.source == "l.yaml" && e.line == lineNumber && e.field == field && e.message.contains(message)
    }
  }

  @Test func missingAndEmpty() {
    #expect {
      _ = try LandmarkFileReader.parse(yaml: Self.file(replacing: "citation", with: ""), file: "l.yaml")
    } throws: { error in
      let e = error as! InputError
      return e.field == "landmarks.awakening.citation" && e.message.contains("is missing")
    }
    #expect {
      _ = try LandmarkFileReader.parse(
        yaml: "version: 1\ndescription: none\nlandmarks: {}\n", file: "l.yaml")
    } throws: { error in
      (error as! InputError).message.contains("is empty")
    }
    #expect(throws: InputError.self) { try LandmarkFileReader.read(path: "/nonexistent/l.yaml") }
  }

  /// A name defined in two files of `landmarks/` is an error naming both.
  @Test func aNameInTwoFiles() throws {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("ketasim-landmarks-\(UUID())")
    defer { try? FileManager.default.removeItem(at: dir) }
    let folder = dir.appendingPathComponent("landmarks")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    try Self.file().write(to: folder.appendingPathComponent("a.yaml"), atomically: true, encoding: .utf8)
    try Self.file().write(to: folder.appendingPathComponent("b.yaml"), atomically: true, encoding: .utf8)
    #expect {
      _ = try ModelLibrary(directory: dir.path).landmarks()
    } throws: { error in
      let e = error as! InputError
      return e.source.hasSuffix("b.yaml") && e.field == "landmarks.awakening" && e.message.contains("a.yaml")
    }
  }
}
