/// How the process hands memory back to the system.
enum MemoryPolicy {
  /// Buffers of 128 KiB and more (upstream page bodies, replies, item arrays) get mappings of their
  /// own, unmapped as soon as they are freed. glibc's default raises this threshold to the largest
  /// block freed so far (up to 32 MiB), after which megabyte-sized bodies and replies are carved
  /// from the heap and a listing's peak memory stays resident.
  static func apply() {
    #if os(Linux)
    _ = glibcMallopt(mmapThresholdParameter, 128 << 10)
    #endif
  }

  /// `M_MMAP_THRESHOLD` of `<malloc.h>` (which the Glibc module does not export).
  private static let mmapThresholdParameter: Int32 = -3
}

#if os(Linux)
/// glibc's `int mallopt(int param, int value)`.
@_silgen_name("mallopt")
private func glibcMallopt(_ parameter: Int32, _ value: Int32) -> Int32
#endif
