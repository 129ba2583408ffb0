/// Severity of an engine log message (swift-log's names and order).
public enum LogLevel: Int, Sendable, Comparable, CaseIterable {
  case trace, debug, info, notice, warning, error, critical

  public static func < (lhs: LogLevel, rhs: LogLevel) -> Bool { lhs.rawValue < rhs.rawValue }
}

/// Where the engine sends its log lines. Messages never contain param values or secrets.
public struct EngineLog: Sendable {
  public var minimumLevel: LogLevel
  public var sink: @Sendable (LogLevel, String) -> Void

  public init(minimumLevel: LogLevel = .warning, sink: @escaping @Sendable (LogLevel, String) -> Void) {
    self.minimumLevel = minimumLevel
    self.sink = sink
  }

  /// A log that drops everything.
  public static let silent = EngineLog(minimumLevel: .critical) { _, _ in }

  public func callAsFunction(_ level: LogLevel, _ message: @autoclosure () -> String) {
    if level >= minimumLevel { sink(level, message()) }
  }
}
