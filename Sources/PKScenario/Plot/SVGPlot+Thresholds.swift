extension SVGPlot {
  /// Adds `thresholds` to the plot: a level as a dashed line labelled `750 ng/mL`, a landmark as
  /// a shaded band labelled with its name and range (`awakening 640–750 ng/mL`).
  public mutating func draw(_ thresholds: [Threshold]) {
    let f = CSVWriter()
    for t in thresholds {
      switch t {
      case .level(let c): self.thresholds.append((c, "\(f.format(c)) ng/mL"))
      case .landmark(let l):
        concentrationBands.append((l.low, l.high, "\(l.name) \(f.format(l.low))–\(f.format(l.high)) ng/mL"))
      }
    }
  }
}
