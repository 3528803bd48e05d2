import PKCore
import RealModule
import Testing
import _PKTestSupport

/// `Dose`: defaults and start times of repeated doses.
@Suite struct DoseTests {
  @Test func defaultsAreASingleIVDoseAtZero() {
    let dose = Dose(delivery: .bolus(DoseAmount(milligrams: 1)))
    expectClose(dose.time, 0, relativeTolerance: 0)
    #expect(dose.route == .iv)
    #expect(dose.count == 1)
    #expect(dose.interval == nil)
    expectClose(dose.startTimes, [0], relativeTolerance: 0)
  }

  @Test func startTimesAreTimePlusMultiplesOfTheInterval() {
    let dose = Dose(time: 0.5, delivery: .bolus(DoseAmount(milligrams: 1)), interval: 8, count: 3)
    expectClose(dose.startTimes, [0.5, 8.5, 16.5], relativeTolerance: 0)
  }

  @Test func countZeroHasNoStartTimes() {
    #expect(Dose(delivery: .bolus(DoseAmount(milligrams: 1)), count: 0).startTimes.isEmpty)
  }
}
