import ArgumentParser
import PKScenario

extension CSVFormat: ExpressibleByArgument {}
