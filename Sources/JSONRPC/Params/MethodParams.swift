import JSON

/// A method's params, declared once as `@Param` properties (the model is swift-argument-parser's
/// `ParsableArguments`, where one `@Option(help:)` drives parsing, validation and help).
///
/// From that one declaration: the synthesized `Decodable` reads and validates each param in
/// declaration order (-32602 with `data.field` naming the first bad one), `validate()` checks the
/// rules across params, unknown members are refused by the decoder, and `descriptors` lists the
/// params for `rpc.discover` in the same order.
public protocol MethodParams: ValidatingDecodable, Sendable {
  /// The declaration: every `@Param` as declared, none decoded (for `descriptors`).
  init()
}

extension MethodParams {
  /// No rule across params unless the type has one.
  public func validate() throws {}

  /// The declared params as OpenRPC content descriptors, in declaration order.
  public static var descriptors: [ContentDescriptor] {
    Mirror(reflecting: Self()).children.compactMap { child in
      guard let label = child.label, let param = child.value as? any DeclaredParam else { return nil }
      // A wrapped property `foo` is stored as `_foo`.
      return param.descriptor(named: label.hasPrefix("_") ? String(label.dropFirst()) : label)
    }
  }
}

extension RPCMethod where Params: MethodParams {
  /// A method with declared params publishes exactly those.
  public static var params: [ContentDescriptor] { Params.descriptors }
}
