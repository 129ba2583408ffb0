/// Frames in, frames out: what a session needs from the wire, and nothing about JSON-RPC.
///
/// A transport reads input on its own thread, cuts it into frames and hands each event to the
/// session, one at a time and in order. While the session's handler for an event has not
/// returned, no more input is read: that is how back-pressure reaches the host. Output goes
/// through one ordered writer, framed as the input was.
public protocol Transport: AnyObject, Sendable {
  /// Output bytes held for the host, shared with the session's admission of requests.
  var budget: OutputBudget { get }
  /// Starts reading. `receive` gets every event in order on the reading thread; `inputEnded` is
  /// called once after the last event; `outputFailed` once if the host stops accepting output.
  func start(
    receive: @escaping @Sendable (FrameReader.Event) -> Void, inputEnded: @escaping @Sendable () -> Void,
    outputFailed: @escaping @Sendable () -> Void)
  /// Frames outgoing messages this way from now on.
  func setFraming(_ framing: Framing)
  /// Queues one message (unframed JSON) for the host.
  func send(_ message: [UInt8])
  /// Stops reading input: no event is delivered after the current one.
  func stopReading()
  /// Waits until everything queued is written; false on timeout or a failed output.
  @discardableResult func flush(timeout: Duration) -> Bool
  /// Writes what is queued, then closes the output side.
  func close()
}
