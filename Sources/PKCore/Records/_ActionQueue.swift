/// A time-ordered queue of the engine's pending actions: implied doses (lag, ADDL) and the
/// starts and ends of infusions. Ties are broken by the record that caused the action (file
/// order), then by the order it was scheduled in.
struct _ActionQueue {
  enum Kind {
    case bolus(compartment: Int, amount: Double)
    case infusionStart(id: Int)
    case infusionEnd(id: Int)
  }

  struct Action {
    var time: Double
    var record: Int
    var order: Int
    var kind: Kind

    func precedes(_ other: Action) -> Bool {
      if time != other.time { return time < other.time }
      if record != other.record { return record < other.record }
      return order < other.order
    }
  }

  private var heap: [Action] = []
  private var counter = 0

  var isEmpty: Bool { heap.isEmpty }
  var first: Action? { heap.first }

  mutating func removeAll() {
    heap.removeAll(keepingCapacity: true)
  }

  mutating func push(time: Double, record: Int, _ kind: Kind) {
    counter += 1
    heap.append(Action(time: time, record: record, order: counter, kind: kind))
    var i = heap.count - 1
    while i > 0 {
      let parent = (i - 1) / 2
      guard heap[i].precedes(heap[parent]) else { break }
      heap.swapAt(i, parent)
      i = parent
    }
  }

  mutating func pop() -> Action {
    let top = heap[0]
    let last = heap.removeLast()
    if !heap.isEmpty {
      heap[0] = last
      var i = 0
      while true {
        let l = 2 * i + 1
        let r = l + 1
        var m = i
        if l < heap.count && heap[l].precedes(heap[m]) { m = l }
        if r < heap.count && heap[r].precedes(heap[m]) { m = r }
        if m == i { break }
        heap.swapAt(i, m)
        i = m
      }
    }
    return top
  }
}
