/// One record (row) of a NONMEM-style data set, in KetaSim's units (time in h, amounts in mg).
///
/// Fields follow NONMEM's data items: `EVID` 0 observation, 1 dose, 2 other, 3 reset,
/// 4 reset and dose; `RATE` 0 bolus, > 0 infusion rate, −1 modelled rate (`R<n>`), −2 modelled
/// duration (`D<n>`); `SS` 0 none, 1 reset to steady state, 2 add steady state; `ADDL`
/// additional doses every `II`.
public struct DataRecord: Sendable, Equatable {
  /// The subject identifier (`ID`).
  public var id: Double
  /// The record time (h).
  public var time: Double
  /// The event identifier, 0 to 4.
  public var evid: Int
  /// The dose amount (mg); 0 on other records.
  public var amount: Double
  /// The infusion rate (mg/h), 0 for a bolus, −1 or −2 for a modelled rate or duration.
  public var rate: Double
  /// The compartment number (1-based); 0 for the model's default dose compartment.
  public var compartment: Int
  /// The dosing interval for `ADDL` and `SS` (h).
  public var interval: Double
  /// The number of additional doses.
  public var additional: Int
  /// The steady-state flag, 0, 1 or 2.
  public var steadyState: Int
  /// The observed value, if any (not used by the simulation).
  public var dv: Double?
  /// The values of the data set's other columns (covariates), aligned with the data set's
  /// column names; NaN where the data set has `.`.
  public var covariates: [Double]
  /// The 1-based line of the record in its file (0 for a record KetaSim made).
  public var line: Int

  public init(
    id: Double, time: Double, evid: Int = 0, amount: Double = 0, rate: Double = 0,
    compartment: Int = 0, interval: Double = 0, additional: Int = 0, steadyState: Int = 0,
    dv: Double? = nil, covariates: [Double] = [], line: Int = 0
  ) {
    self.id = id
    self.time = time
    self.evid = evid
    self.amount = amount
    self.rate = rate
    self.compartment = compartment
    self.interval = interval
    self.additional = additional
    self.steadyState = steadyState
    self.dv = dv
    self.covariates = covariates
    self.line = line
  }

  /// Whether the record gives a dose (EVID 1 or 4).
  public var isDose: Bool { evid == 1 || evid == 4 }
  /// Whether the record resets the system (EVID 3 or 4).
  public var isReset: Bool { evid == 3 || evid == 4 }
}
