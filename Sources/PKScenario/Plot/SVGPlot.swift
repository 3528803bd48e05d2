import Foundation

/// A line chart as SVG text, with nothing beyond Foundation: curves, shaded bands (percentiles),
/// horizontal threshold lines and shaded concentration bands (landmarks), dose markers, labelled
/// axes with ticks, a linear or logarithmic concentration axis, and a legend. Curves and bands are
/// `polyline`/`polygon` elements, one per series, each with a `<title>` naming it.
public struct SVGPlot: Sendable {
  /// One curve.
  public struct Series: Sendable {
    public var name: String
    public var values: [Double]
    public var dashed: Bool
    public init(name: String, values: [Double], dashed: Bool = false) {
      self.name = name
      self.values = values
      self.dashed = dashed
    }
  }

  /// A shaded band between two curves.
  public struct Band: Sendable {
    public var name: String
    public var lower: [Double]
    public var upper: [Double]
    public init(name: String, lower: [Double], upper: [Double]) {
      self.name = name
      self.lower = lower
      self.upper = upper
    }
  }

  public var title: String
  public var times: [Double]
  public var timeLabel: String
  public var valueLabel: String
  public var series: [Series] = []
  public var bands: [Band] = []
  /// Horizontal lines (value, label), e.g. a `--threshold 750ng/mL`.
  public var thresholds: [(value: Double, label: String)] = []
  /// Horizontal shaded bands across the plot (low, high, label), e.g. a named concentration
  /// landmark such as awakening, 640–750 ng/mL.
  public var concentrationBands: [(low: Double, high: Double, label: String)] = []
  /// Dose times, drawn as markers on the time axis.
  public var doseTimes: [Double] = []
  /// A logarithmic value axis (values ≤ 0 are left out of the curves).
  public var logarithmic = false

  public init(title: String, times: [Double], timeLabel: String, valueLabel: String) {
    self.title = title
    self.times = times
    self.timeLabel = timeLabel
    self.valueLabel = valueLabel
  }

  static let width = 900.0, height = 540.0
  static let left = 80.0, right = 220.0, top = 40.0, bottom = 60.0
  /// Fills of concentration bands: soft, and unlike the curves' colours.
  static let landmarkColours = ["#f2c14e", "#7fb069", "#a393bf", "#e28f83", "#8ecae6"]
  static let colours = [
    "#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#8c564b", "#e377c2", "#17becf",
  ]

  /// The SVG document.
  public func render() -> String {
    let plotW = Self.width - Self.left - Self.right
    let plotH = Self.height - Self.top - Self.bottom
    let t0 = times.first ?? 0
    let t1 = Swift.max(times.last ?? 1, t0 + 1e-12)
    var values = series.flatMap(\.values) + bands.flatMap { $0.lower + $0.upper } + thresholds.map(\.value)
    values += concentrationBands.flatMap { [$0.low, $0.high] }
    if logarithmic { values = values.filter { $0 > 0 } }
    values = values.filter(\.isFinite)
    var lo = values.min() ?? 0
    var hi = values.max() ?? 1
    if logarithmic {
      lo = pow(10, floor(log10(Swift.max(lo, hi * 1e-6))))
      hi = pow(10, ceil(log10(Swift.max(hi, lo * 10))))
    } else {
      lo = Swift.min(lo, 0)
      hi = hi > lo ? hi : lo + 1
      let step = Self.tickStep(hi - lo)
      hi = (hi / step).rounded(.up) * step
    }
    func x(_ t: Double) -> Double { Self.left + (t - t0) / (t1 - t0) * plotW }
    func y(_ v: Double) -> Double {
      let f = logarithmic ? (log10(v) - log10(lo)) / (log10(hi) - log10(lo)) : (v - lo) / (hi - lo)
      return Self.top + (1 - f) * plotH
    }
    func n(_ v: Double) -> String { String(format: "%.2f", v) }
    func escape(_ s: String) -> String {
      s.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
        .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
    }
    func points(_ v: [Double]) -> [String] {
      zip(times, v).compactMap { t, c in
        c.isFinite && (!logarithmic || c > 0) ? "\(n(x(t))),\(n(y(c)))" : nil
      }
    }
    var svg = """
      <?xml version="1.0" encoding="UTF-8"?>
      <svg xmlns="http://www.w3.org/2000/svg" width="\(Int(Self.width))" height="\(Int(Self.height))" viewBox="0 0 \(Int(Self.width)) \(Int(Self.height))" font-family="Helvetica, Arial, sans-serif" font-size="12">
      <title>\(escape(title))</title>
      <rect x="0" y="0" width="\(Int(Self.width))" height="\(Int(Self.height))" fill="white"/>
      <text x="\(n(Self.left))" y="24" font-size="14">\(escape(title))</text>

      """
    // Axes, ticks and labels.
    svg += "<g id=\"axes\" stroke=\"black\" fill=\"none\">\n"
    svg +=
      "<rect x=\"\(n(Self.left))\" y=\"\(n(Self.top))\" width=\"\(n(plotW))\" height=\"\(n(plotH))\"/>\n</g>\n"
    svg += "<g id=\"ticks\" fill=\"black\">\n"
    for t in Self.ticks(t0, t1) {
      svg +=
        "<text x=\"\(n(x(t)))\" y=\"\(n(Self.top + plotH + 18))\" text-anchor=\"middle\">\(Self.label(t))</text>\n"
    }
    let valueTicks: [Double] =
      logarithmic
      ? stride(from: log10(lo), through: log10(hi) + 1e-9, by: 1).map { pow(10, $0) }
      : Self.ticks(lo, hi)
    for v in valueTicks {
      svg +=
        "<text x=\"\(n(Self.left - 6))\" y=\"\(n(y(v) + 4))\" text-anchor=\"end\">\(Self.label(v))</text>\n"
      svg +=
        "<line x1=\"\(n(Self.left))\" x2=\"\(n(Self.left + plotW))\" y1=\"\(n(y(v)))\" y2=\"\(n(y(v)))\" stroke=\"#dddddd\"/>\n"
    }
    svg += "</g>\n"
    svg +=
      "<text id=\"x-label\" x=\"\(n(Self.left + plotW / 2))\" y=\"\(n(Self.height - 14))\" text-anchor=\"middle\">\(escape(timeLabel))</text>\n"
    svg +=
      "<text id=\"y-label\" transform=\"translate(18,\(n(Self.top + plotH / 2))) rotate(-90)\" text-anchor=\"middle\">\(escape(valueLabel))</text>\n"
    // Concentration bands, bands, thresholds, curves, doses, legend.
    for (k, b) in concentrationBands.enumerated() {
      let low = logarithmic ? Swift.max(b.low, lo) : b.low
      guard !logarithmic || b.high > 0 else { continue }
      let colour = Self.landmarkColours[k % Self.landmarkColours.count]
      let (top, bottom) = (y(b.high), y(low))
      svg +=
        "<g class=\"landmark\"><rect x=\"\(n(Self.left))\" y=\"\(n(top))\" width=\"\(n(plotW))\" height=\"\(n(Swift.max(bottom - top, 1)))\" fill=\"\(colour)\" fill-opacity=\"0.22\" stroke=\"none\"><title>\(escape(b.label))</title></rect>"
      // The label inside a band tall enough for it, else just above the band.
      let labelY = bottom - top >= 16 ? top + 12 : top - 3
      svg +=
        "<text x=\"\(n(Self.left + 4))\" y=\"\(n(labelY))\" fill=\"#555555\">\(escape(b.label))</text></g>\n"
    }
    var legend: [(String, String, Bool)] = []
    for (k, b) in bands.enumerated() {
      let colour = Self.colours[k % Self.colours.count]
      let outline = points(b.upper) + points(b.lower).reversed()
      svg +=
        "<polygon class=\"band\" fill=\"\(colour)\" fill-opacity=\"0.18\" stroke=\"none\" points=\"\(outline.joined(separator: " "))\"><title>\(escape(b.name))</title></polygon>\n"
      legend.append((b.name, colour, true))
    }
    for th in thresholds where !logarithmic || th.value > 0 {
      svg +=
        "<g class=\"threshold\"><line x1=\"\(n(Self.left))\" x2=\"\(n(Self.left + plotW))\" y1=\"\(n(y(th.value)))\" y2=\"\(n(y(th.value)))\" stroke=\"#777777\" stroke-dasharray=\"2,4\"/>"
      svg +=
        "<text x=\"\(n(Self.left + plotW - 4))\" y=\"\(n(y(th.value) - 4))\" text-anchor=\"end\" fill=\"#555555\">\(escape(th.label))</text></g>\n"
    }
    for (k, s) in series.enumerated() {
      let colour = Self.colours[k % Self.colours.count]
      svg +=
        "<polyline class=\"series\" fill=\"none\" stroke=\"\(colour)\" stroke-width=\"2\"\(s.dashed ? " stroke-dasharray=\"6,4\"" : "") points=\"\(points(s.values).joined(separator: " "))\"><title>\(escape(s.name))</title></polyline>\n"
      legend.append((s.name, colour, false))
    }
    for t in doseTimes where t >= t0 && t <= t1 {
      svg +=
        "<path class=\"dose\" d=\"M \(n(x(t))) \(n(Self.top + plotH)) l -5 10 l 10 0 z\" fill=\"black\"><title>dose at \(Self.label(t))</title></path>\n"
    }
    for (k, item) in legend.enumerated() {
      let ly = Self.top + 10 + Double(k) * 20
      let lx = Self.width - Self.right + 16
      if item.2 {
        svg +=
          "<rect x=\"\(n(lx))\" y=\"\(n(ly - 6))\" width=\"24\" height=\"12\" fill=\"\(item.1)\" fill-opacity=\"0.18\"/>"
      } else {
        svg +=
          "<line x1=\"\(n(lx))\" x2=\"\(n(lx + 24))\" y1=\"\(n(ly))\" y2=\"\(n(ly))\" stroke=\"\(item.1)\" stroke-width=\"2\"/>"
      }
      svg += "<text x=\"\(n(lx + 30))\" y=\"\(n(ly + 4))\">\(escape(item.0))</text>\n"
    }
    svg +=
      "<text x=\"\(n(Self.left))\" y=\"\(n(Self.height - 2))\" font-size=\"9\" fill=\"#777777\">KetaSim: for teaching and research, not for dosing patients</text>\n"
    return svg + "</svg>\n"
  }

  /// A round tick step (1, 2 or 5 × 10ᵏ) giving about five ticks over `span`.
  static func tickStep(_ span: Double) -> Double {
    let raw = span / 5
    let magnitude = pow(10, floor(log10(raw)))
    return ([1.0, 2, 5, 10].first { $0 * magnitude >= raw } ?? 10) * magnitude
  }

  /// The round ticks from lo to hi.
  static func ticks(_ lo: Double, _ hi: Double) -> [Double] {
    guard hi > lo else { return [lo] }
    let step = tickStep(hi - lo)
    var t = (lo / step).rounded(.up) * step
    var out: [Double] = []
    while t <= hi + step * 1e-9 {
      out.append(t)
      t += step
    }
    return out
  }

  /// A tick label: up to 4 significant digits.
  static func label(_ v: Double) -> String {
    if v == 0 { return "0" }
    let s = String(format: "%.4g", v)
    return s
  }
}
