/// Where a paged listing stands, reported after each page.
public struct PageProgress: Sendable, Equatable {
  /// The page just received, 1-based.
  public var page: Int
  /// Distinct items received so far, this page included.
  public var itemsSoFar: Int
  /// The total the upstream announced, when it does (Vapi `metadata.totalItems`; Twilio: never).
  public var totalItems: Int?

  /// Creates a progress value.
  public init(page: Int, itemsSoFar: Int, totalItems: Int?) {
    self.page = page
    self.itemsSoFar = itemsSoFar
    self.totalItems = totalItems
  }
}
