import JSON
import JSONRPC
import Synchronization

/// The `tools/list` result, built and encoded the first time a client asks.
final class ToolList: Sendable {
  private let router: Router
  private let cache = Mutex<[UInt8]?>(nil)

  init(router: Router) { self.router = router }

  /// `{"tools": [...]}` as JSON.
  var encodedResult: [UInt8] {
    cache.withLock { cache in
      if let cache { return cache }
      let encoded = JSONWriter.encode(["tools": .array(ToolCatalog.tools(from: router))])
      cache = encoded
      return encoded
    }
  }
}
