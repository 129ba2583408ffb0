/// A coding key made at run time: a member name or an array index.
public struct DynamicKey: CodingKey, Sendable {
  public var stringValue: String
  public var intValue: Int?
  public init(stringValue: String) { self.stringValue = stringValue }
  public init(intValue: Int) {
    self.stringValue = String(intValue)
    self.intValue = intValue
  }
}
