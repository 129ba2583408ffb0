import JSONRPC

/// Every method Switchboard serves: one registration line each.
public enum MethodTable {
  public static func router(for service: SwitchboardService) -> Router {
    var router = Router()
    router.add(Ping.self, service: service)
    if service.testHooksEnabled {
      router.add(TestSleep.self, service: service)
      router.add(TestEcho.self, service: service)
      router.add(TestFail.self, service: service)
    }
    return router
  }
}
