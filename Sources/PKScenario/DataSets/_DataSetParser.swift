import PKCore

/// Reads a data set's bytes: finds the header, then reads and checks each record and groups
/// the records into subjects.
///
/// Works on the UTF-8 bytes directly: lines and fields are byte ranges, and a field becomes a
/// `String` only for an error, a warning or a header name.
struct _DataSetParser {
  /// The UTF-8 text.
  let bytes: UnsafeBufferPointer<UInt8>
  /// The file, for errors and warnings.
  let file: String
  /// The unit of TIME and II, and the "per time" of RATE.
  let timeUnit: TimeUnit
  /// The start of the next line.
  var position: Int
  /// The physical line last read, 1-based.
  var line = 0
  /// The fields of the line last split: byte ranges, trimmed, quotes removed.
  var fields: [Range<Int>] = []

  init(bytes: UnsafeBufferPointer<UInt8>, file: String, timeUnit: TimeUnit) {
    self.bytes = bytes
    self.file = file
    self.timeUnit = timeUnit
    let hasByteOrderMark = bytes.count >= 3 && bytes[0] == 0xEF && bytes[1] == 0xBB && bytes[2] == 0xBF
    position = hasByteOrderMark ? 3 : 0
  }

  /// Reads the whole data set.
  mutating func parse() throws(InputError) -> DataSet {
    var headerRange: Range<Int>? = nil
    while let l = _nextLine() {
      if !_isBlank(l) {
        headerRange = l
        break
      }
    }
    guard let headerRange else {
      throw InputError(source: file, message: "expected a header row of column names, found an empty file")
    }
    _split(headerRange)
    let header = try _DataSetHeader(names: fields.map { _text($0) }, file: file, line: line)
    let headerLine = line
    let commentColumn = header.column(.c)

    var subjects: [DataSubject] = []
    var warnings: [String] = []
    var records: [DataRecord] = []
    var subjectID = 0.0
    var subjectFirstLine = 0
    var subjectLastLine = 0
    var finished: [Double: (first: Int, last: Int)] = [:]
    var previousTime = 0.0
    var previousLine = 0
    var hasDosed = false

    while let l = _nextLine() {
      guard let first = _firstNonBlank(l), bytes[first] != UInt8(ascii: "#") else { continue }
      _split(l)
      if let commentColumn, try _isComment(fields[commentColumn], header) { continue }
      guard fields.count == header.names.count else {
        throw InputError(
          source: file, line: line,
          message: "expected \(header.names.count) fields, as in the header on line \(headerLine), "
            + "found \(fields.count)")
      }
      let (record, fileTime) = try _record(header)
      if records.isEmpty || record.id != subjectID {
        if !records.isEmpty {
          finished[subjectID] = (subjectFirstLine, subjectLastLine)
          subjects.append(DataSubject(id: subjectID, records: records))
          records = []
        }
        if let earlier = finished[record.id] {
          let lines =
            earlier.first == earlier.last
            ? "line \(earlier.first)" : "lines \(earlier.first)–\(earlier.last)"
          throw _error(
            header, header.column(.id)!,
            "ID \(_text(fields[header.column(.id)!])) on line \(line) appeared before, on \(lines); "
              + "NONMEM needs each subject's records together")
        }
        subjectID = record.id
        subjectFirstLine = line
        hasDosed = false
      } else if fileTime < previousTime && !record.isReset {
        let time = header.column(.time)!
        throw _error(
          header, time,
          "expected a TIME of \(_format(previousTime)) or later, as on the previous record of ID "
            + "\(_text(fields[header.column(.id)!])) (line \(previousLine)), found \(_found(time)); "
            + "only a reset record (EVID 3 or 4) may go back in time")
      }
      previousTime = fileTime
      previousLine = line
      subjectLastLine = line
      if let dv = record.dv, dv != 0 {
        let idText = _text(fields[header.column(.id)!])
        let dvText = _text(fields[header.column(.dv)!])
        if record.isDose {
          warnings.append(
            "\(file):\(line): the dose record (EVID \(record.evid)) of ID \(idText) has DV \(dvText); "
              + "DV is not used on dose records.")
        } else if record.evid == 0 && !hasDosed {
          warnings.append(
            "\(file):\(line): ID \(idText) has an observation with DV \(dvText) before its first dose; "
              + "the prediction there comes from the model's initial state, not from a dose.")
        }
      }
      if record.isDose { hasDosed = true }
      records.append(record)
    }
    if !records.isEmpty { subjects.append(DataSubject(id: subjectID, records: records)) }
    guard !subjects.isEmpty else {
      throw InputError(
        source: file, line: headerLine,
        message: "expected at least one data record after the header, found none")
    }
    return DataSet(
      file: file, columnNames: header.names, covariateNames: header.covariateNames,
      nameCase: header.nameCase, subjects: subjects, warnings: warnings)
  }

  /// Reads and checks the current line's record; returns it (in h, mg, mg/h) and its TIME in
  /// the file's unit.
  func _record(_ h: _DataSetHeader) throws(InputError) -> (DataRecord, Double) {
    let idColumn = h.column(.id)!
    guard let id = try _number(h, idColumn) else {
      throw _error(h, idColumn, "expected a subject ID, found \(_found(idColumn))")
    }
    let timeColumn = h.column(.time)!
    guard let time = try _number(h, timeColumn) else {
      throw _error(h, timeColumn, "expected a TIME, found \(_found(timeColumn))")
    }
    guard time >= 0 else {
      throw _error(h, timeColumn, "expected a TIME of 0 or more, found \(_found(timeColumn))")
    }

    let amount = try _value(h, .amt) ?? 0
    if amount < 0 {
      throw _error(h, h.column(.amt)!, "expected an AMT of 0 or more, found \(_found(h, .amt))")
    }
    let rate = try _value(h, .rate) ?? 0
    if rate < 0 && rate != -1 && rate != -2 {
      throw _error(
        h, h.column(.rate)!,
        "expected a RATE of 0 or more, or -1 (rate from the model) or -2 (duration from the model), "
          + "found \(_found(h, .rate))")
    }
    let interval = try _value(h, .ii) ?? 0
    if interval < 0 {
      throw _error(h, h.column(.ii)!, "expected an II of 0 or more, found \(_found(h, .ii))")
    }
    let compartment = try _whole(h, .cmt, in: 0...Self._largestWhole, "a CMT of 0 or more") ?? 0
    let additional = try _whole(h, .addl, in: 0...Self._largestWhole, "an ADDL of 0 or more") ?? 0
    let steadyState = try _whole(h, .ss, in: 0...2, "SS 0, 1 or 2") ?? 0
    let mdv = try _value(h, .mdv)
    let evid =
      try _whole(
        h, .evid, in: 0...4,
        "EVID 0 (observation), 1 (dose), 2 (other), 3 (reset) or 4 (reset and dose)")
      ?? (amount > 0 ? 1 : mdv == 1 ? 2 : 0)
    let dv = try _value(h, .dv)

    if evid == 1 || evid == 4 {
      let evidName = h.column(.evid).map { h.names[$0] } ?? h.nameCase.apply("EVID")
      guard let amtColumn = h.column(.amt) else {
        throw _error(
          h, h.column(.evid) ?? h.column(.id)!,
          "expected an AMT column for the dose (EVID \(evid)) on this line, found none; "
            + "the file's columns are \(h.names.joined(separator: ", "))")
      }
      let isSteadyStateInfusion = steadyState == 1 && amount == 0 && rate > 0 && interval == 0
      if amount == 0 && !isSteadyStateInfusion {
        throw _error(
          h, amtColumn,
          "expected an AMT above 0 on a dose record (\(evidName) \(evid)), found \(_found(amtColumn)); "
            + "only a steady-state constant infusion (SS 1, AMT 0, RATE above 0, II 0) may have AMT 0")
      }
      if additional > 0 && interval == 0 {
        throw _error(
          h, h.column(.addl)!,
          "expected an II above 0 for ADDL \(additional) (additional doses need an interval), "
            + (h.column(.ii) == nil ? "found no II column" : "found II \(_found(h, .ii))"))
      }
      if steadyState > 0 && interval == 0 {
        if rate == 0 {
          throw _error(
            h, h.column(.ss)!,
            "expected an II above 0 for a steady-state bolus (SS \(steadyState)), "
              + (h.column(.ii) == nil ? "found no II column" : "found II \(_found(h, .ii))")
              + "; the only steady state without II is a constant infusion (SS 1, AMT 0, RATE above 0)")
        }
        if !isSteadyStateInfusion {
          throw _error(
            h, h.column(.ss)!,
            "expected a steady-state constant infusion (SS 1, AMT 0, RATE above 0) for SS with II 0, "
              + "found SS \(steadyState), AMT \(_format(amount)), RATE \(_format(rate))")
        }
      }
    }

    var covariates: [Double] = []
    if !h.covariateColumns.isEmpty {
      covariates.reserveCapacity(h.covariateColumns.count)
      for column in h.covariateColumns {
        covariates.append(try _number(h, column) ?? .nan)
      }
    }
    let record = DataRecord(
      id: id, time: timeUnit.toHours(time), evid: evid, amount: amount,
      rate: rate > 0 ? _perHour(rate) : rate, compartment: compartment,
      interval: timeUnit.toHours(interval), additional: additional, steadyState: steadyState,
      dv: dv, covariates: covariates, line: line)
    return (record, time)
  }

  /// A rate per time unit of the file, in per hour.
  func _perHour(_ rate: Double) -> Double {
    switch timeUnit {
    case .second: return rate * 3600
    case .minute: return rate * 60
    case .hour: return rate
    case .day: return rate / 24
    }
  }

  /// Whether the current record is a comment, from its C field; throws for a C value that is
  /// neither a comment mark nor `.`/empty.
  func _isComment(_ field: Range<Int>, _ h: _DataSetHeader) throws(InputError) -> Bool {
    if _isMissing(field) { return false }
    let b = bytes[field.lowerBound]
    if b == UInt8(ascii: "#") || b == UInt8(ascii: "@") { return true }
    if field.count == 1 && (b == UInt8(ascii: "C") || b == UInt8(ascii: "c")) { return true }
    let column = h.column(.c)!
    throw _error(
      h, column,
      "expected '.' or an empty field for a data record, or 'C' for a comment, found \(_found(column))")
  }

  /// An error at the current line, in `column`.
  func _error(_ h: _DataSetHeader, _ column: Int, _ message: String) -> InputError {
    InputError(source: file, line: line, field: h.names[column], message: message)
  }

  /// The largest whole number accepted for CMT and ADDL.
  static let _largestWhole = 1_000_000_000
}
