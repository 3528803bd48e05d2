/// Sex of a subject, for models whose parameters depend on it.
public enum Sex: String, Sendable, CaseIterable, Equatable {
  case female
  case male
}
