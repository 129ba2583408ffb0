import Foundation
import GRDB

extension Row {
  /// The value of `column` converted to `T`, or nil when it is NULL or cannot
  /// be converted. Unlike GRDB's subscripts this never traps, so a tampered
  /// or hand-edited row cannot crash the process.
  func lenient<T: DatabaseValueConvertible>(_ column: String, as type: T.Type = T.self) -> T? {
    T.fromDatabaseValue(self[column] as DatabaseValue)
  }
}
