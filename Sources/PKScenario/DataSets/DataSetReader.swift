import Foundation
import PKCore

/// Reads a NONMEM-style data set (CSV) with located errors.
///
/// ```text
/// C,ID,TIME,EVID,AMT,RATE,CMT,II,ADDL,SS,DV,WT
/// C,first subject: 100 mg bolus, then 4 more every 24 h
/// .,1,0,1,100,0,1,24,4,0,.,70
/// .,1,0.5,0,.,.,.,.,.,.,2.31,70
/// ```
///
/// - The first non-empty line names the columns. The reserved items (``DataItem``) are written
///   all upper or all lower case, each on its own (`ID,time` is fine; `Time` is an error);
///   every other column is a covariate, read as a number into `DataRecord.covariates`.
/// - `ID` and `TIME` are required; `AMT` when a record is a dose. A missing `EVID` (no column,
///   or `.`) is 1 when `AMT` is above 0, 2 when `MDV` is 1, and 0 otherwise, as in NONMEM.
///   `CMT` missing is 0, the model's default dose compartment. `MDV` is otherwise unused:
///   `EVID` decides.
/// - `.` or an empty field means missing: 0 for `AMT, RATE, II, ADDL, SS, CMT`, nil for `DV`,
///   NaN for a covariate.
/// - A line whose first character is `#` is a comment; with a first column `C`, so is a row
///   whose `C` is `C` or `c` or starts with `#` or `@`.
/// - Fields are comma-separated and trimmed; a field may be quoted (`"70"`), without commas
///   inside. Lines may end in `\n` or `\r\n`; a UTF-8 byte order mark is skipped.
///
/// The reader checks what NONMEM checks before a run: value ranges (`EVID` 0–4, `SS` 0–2,
/// `RATE` ≥ 0 or −1/−2, …), whole numbers for `EVID, CMT, ADDL, SS`, doses with an amount,
/// `ADDL` and steady state with an interval, `TIME` not decreasing within a subject except on a
/// reset (`EVID` 3 or 4), and each subject's records together. It warns (``DataSet/warnings``)
/// about an observation with a non-zero `DV` before a subject's first dose, and about a dose
/// record with a non-zero `DV`.
///
/// - Complexity: O(n) in the file's size; fields are read from the UTF-8 bytes in place.
public enum DataSetReader {
  /// Reads the data set at `path`.
  ///
  /// - Parameters:
  ///   - path: The CSV file.
  ///   - timeUnit: The unit of `TIME` and `II`, and the "per time" of `RATE`; records hold
  ///     hours and mg/h. `AMT` is in mg.
  public static func read(path: String, timeUnit: TimeUnit) throws(InputError) -> DataSet {
    let data: Data
    do {
      data = try Data(contentsOf: URL(fileURLWithPath: path))
    } catch {
      throw InputError(source: path, message: "cannot read the data set (\(_reason(error)))")
    }
    let result = data.withUnsafeBytes { raw in
      _parse(raw.bindMemory(to: UInt8.self), file: path, timeUnit: timeUnit)
    }
    return try result.get()
  }

  /// Parses a data set's text; `file` names the source in errors and warnings.
  ///
  /// - Parameters:
  ///   - csv: The CSV text, header first.
  ///   - file: The name used in errors and warnings.
  ///   - timeUnit: The unit of `TIME` and `II`, and the "per time" of `RATE`.
  public static func parse(csv: String, file: String, timeUnit: TimeUnit) throws(InputError) -> DataSet {
    var text = csv
    let result = text.withUTF8 { bytes in _parse(bytes, file: file, timeUnit: timeUnit) }
    return try result.get()
  }

  static func _parse(_ bytes: UnsafeBufferPointer<UInt8>, file: String, timeUnit: TimeUnit) -> Result<
    DataSet, InputError
  > {
    var parser = _DataSetParser(bytes: bytes, file: file, timeUnit: timeUnit)
    do {
      return .success(try parser.parse())
    } catch {
      return .failure(error)
    }
  }
}
