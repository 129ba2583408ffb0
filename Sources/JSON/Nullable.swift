/// A member that may be absent, `null`, or a value: the one representation of the three, for
/// params (`updateNumber {fallbackNumber: null}` clears, absent keeps) and for request bodies
/// (absent is not sent, `null` is sent as `null`).
public enum Nullable<Value: Sendable & Equatable>: Sendable, Equatable {
  /// The member is not there.
  case absent
  /// The member is JSON `null`.
  case null
  /// The member holds this value.
  case value(Value)

  /// The same member with its value transformed.
  public func map<Other>(_ transform: (Value) -> Other) -> Nullable<Other> {
    switch self {
    case .absent: .absent
    case .null: .null
    case .value(let value): .value(transform(value))
    }
  }
}
