import JSONRPC

/// Params of methods that take only `profile`.
struct ProfileParams: MethodParams {
  @Param var profile: ProfileName?
}
