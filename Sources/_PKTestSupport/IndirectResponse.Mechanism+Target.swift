import PKCore

/// Which rate a mechanism changes, for tests that write model-file entries.
extension IndirectResponse.Mechanism {
  /// Whether the drug acts on production (kin) rather than loss (kout): types I and III.
  public var onProduction: Bool { self == .inhibitsProduction || self == .stimulatesProduction }
}
