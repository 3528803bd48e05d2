extension DataItem {
  /// The item's position in `allCases`.
  var _index: Int {
    switch self {
    case .c: return 0
    case .id: return 1
    case .time: return 2
    case .evid: return 3
    case .amt: return 4
    case .rate: return 5
    case .cmt: return 6
    case .ii: return 7
    case .addl: return 8
    case .ss: return 9
    case .mdv: return 10
    case .dv: return 11
    }
  }
}
