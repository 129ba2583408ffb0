import Synchronization
import XCTest

@testable import JSONRPC

private final class EventLog: Sendable {
  private let events = Mutex<[String]>([])
  func append(_ event: String) { events.withLock { $0.append(event) } }
  var all: [String] { events.withLock { $0 } }
}

final class AccessSchedulerTests: XCTestCase {
  func testReadersShareWritersWaitInArrivalOrder() async {
    let scheduler = AccessScheduler()
    let log = EventLog()
    let r1 = scheduler.enqueue(.shared("k"))
    let r2 = scheduler.enqueue(.shared("k"))
    let w = scheduler.enqueue(.exclusive("k"))
    let r3 = scheduler.enqueue(.shared("k"))
    let other = scheduler.enqueue(.exclusive("x"))
    await scheduler.wait(r1)
    await scheduler.wait(r2)  // readers share
    await scheduler.wait(other)  // other keys are independent
    let writer = Task {
      await scheduler.wait(w)
      log.append("w")
      scheduler.release(w)
    }
    let reader = Task {
      await scheduler.wait(r3)
      log.append("r3")
      scheduler.release(r3)
    }
    try? await Task.sleep(for: .milliseconds(50))
    XCTAssertEqual(log.all, [])
    scheduler.release(r1)
    scheduler.release(r2)
    await writer.value
    await reader.value
    XCTAssertEqual(log.all, ["w", "r3"])
    scheduler.release(other)
    XCTAssertNil(scheduler.enqueue(.concurrent))
  }

  func testCancelledWaiterGivesUpItsPlace() async {
    let scheduler = AccessScheduler()
    let w1 = scheduler.enqueue(.exclusive("k"))
    let w2 = scheduler.enqueue(.exclusive("k"))
    let w3 = scheduler.enqueue(.exclusive("k"))
    await scheduler.wait(w1)
    let waiting = Task { await scheduler.wait(w2) }
    waiting.cancel()
    await waiting.value
    scheduler.release(w1)
    await scheduler.wait(w3)  // w2 left the line, so w3 is next
    scheduler.release(w3)
  }
}
