import JSONRPC

/// Every method Switchboard serves: one registration line each.
public enum MethodTable {
  public static func router(for service: SwitchboardService) -> Router {
    var router = Router()
    router.registerSchema("CredentialStatus", CredentialStatus.schema)
    router.registerSchema("Number", Number.schema)
    router.registerSchema("TwilioNumber", TwilioNumber.schema)
    router.registerSchema("Check", VerifyCredentials.checkSchema)
    router.add(Ping.self, service: service)
    router.add(SetCredentials.self, service: service)
    router.add(GetCredentialStatus.self, service: service)
    router.add(ClearCredentials.self, service: service)
    router.add(ListProfiles.self, service: service)
    router.add(DeleteProfile.self, service: service)
    router.add(ListOperations.self, service: service)
    router.add(VerifyCredentials.self, service: service)
    router.add(ListNumbers.self, service: service)
    router.add(ListTwilio.self, service: service)
    router.add(ImportNumber.self, service: service)
    router.add(ImportNumbers.self, service: service)
    router.add(CreateNumber.self, service: service)
    router.add(GetNumber.self, service: service)
    router.add(UpdateNumber.self, service: service)
    router.add(DeleteNumber.self, service: service)
    router.add(DeleteNumbers.self, service: service)
    router.add(GetUsage.self, service: service)
    #if SWITCHBOARD_TEST_HOOKS
    if service.testHooksEnabled {
      router.add(TestSleep.self, service: service)
      router.add(TestEcho.self, service: service)
      router.add(TestFail.self, service: service)
    }
    #endif
    return router
  }
}
