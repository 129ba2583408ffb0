import Foundation
import Synchronization

#if canImport(FoundationNetworking)
  import FoundationNetworking
#endif

/// The hard per-attempt deadline passed before the response was complete.
struct TransportTimeout: Error {
  let reason = "timed out"
}

/// One URLSession data task bridged to async/await, with prompt cancellation and a hard deadline.
///
/// `URLSession.data(for:)` in FoundationNetworking does honour task cancellation, but it gives
/// no handle on the task, so the deadline could only be raced from a task group. Driving
/// `dataTask(with:completionHandler:)` directly lets cancellation and the deadline share one
/// path: both call `URLSessionTask.cancel()`, which aborts the libcurl transfer (closing the
/// connection) and completes the task with `URLError.cancelled`; the stop reason recorded here
/// then decides between `CancellationError` and `TransportTimeout`.
final class InFlightRequest: Sendable {
  enum StopReason: Sendable { case cancelled, deadline }

  private struct State: ~Copyable {
    var task: URLSessionDataTask?
    var stop: StopReason?
    var timer: Task<Void, Never>?
    var finished = false
    var taskIdentifier: Int?
  }

  private let state = Mutex(State())

  /// Runs `request` on `session`; throws `CancellationError` when the surrounding task is
  /// cancelled, `TransportTimeout` when `deadline` passes first, else URLSession's error.
  static func run(_ request: URLRequest, on session: URLSession, deadline: Duration) async throws -> (
    Data, HTTPURLResponse
  ) {
    let flight = InFlightRequest()
    return try await withTaskCancellationHandler {
      try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<(Data, HTTPURLResponse), Error>) in
        let task = session.dataTask(with: request) { data, response, error in
          let stop = flight.finish()
          let challengeStatus = flight.taskIdentifier.flatMap {
            (session.delegate as? SessionDelegate)?.takeChallengeStatus(taskIdentifier: $0)
          }
          // A complete response wins over a late stop: the server did answer.
          if error == nil, let http = response as? HTTPURLResponse {
            continuation.resume(returning: (data ?? Data(), http))
            return
          }
          switch stop {
          case .cancelled?: continuation.resume(throwing: CancellationError())
          case .deadline?: continuation.resume(throwing: TransportTimeout())
          case nil:
            // The 401 whose authentication challenge `SessionDelegate` cancelled (its body is lost).
            if let status = challengeStatus, let url = request.url,
              let http = HTTPURLResponse(url: url, statusCode: status, httpVersion: "HTTP/1.1", headerFields: [:])
            {
              continuation.resume(returning: (Data(), http))
            } else {
              continuation.resume(throwing: error ?? URLError(.badServerResponse))
            }
          }
        }
        flight.identify(task.taskIdentifier)
        task.resume()
        flight.attach(task, deadline: deadline)
      }
    } onCancel: {
      flight.stop(.cancelled)
    }
  }

  private func attach(_ task: URLSessionDataTask, deadline: Duration) {
    let timer = Task { [weak self] in
      do { try await Task.sleep(for: deadline) } catch { return }
      self?.stop(.deadline)
    }
    let cancelNow = state.withLock { s -> Bool in
      guard !s.finished else {
        timer.cancel()
        return false
      }
      s.task = task
      s.timer = timer
      return s.stop != nil  // cancelled before the task existed
    }
    if cancelNow { task.cancel() }
  }

  private func stop(_ reason: StopReason) {
    let task = state.withLock { s -> URLSessionDataTask? in
      guard !s.finished, s.stop == nil else { return nil }
      s.stop = reason
      return s.task
    }
    task?.cancel()
  }

  /// The URLSession task identifier (known before the task is resumed).
  private var taskIdentifier: Int? { state.withLock { $0.taskIdentifier } }

  private func identify(_ id: Int) {
    state.withLock { $0.taskIdentifier = id }
  }

  private func finish() -> StopReason? {
    let (stop, timer) = state.withLock { s -> (StopReason?, Task<Void, Never>?) in
      s.finished = true
      let t = s.timer
      s.timer = nil
      s.task = nil
      return (s.stop, t)
    }
    timer?.cancel()
    return stop
  }
}
