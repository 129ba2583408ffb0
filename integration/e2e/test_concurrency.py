"""Concurrency, ordering by scheduling key, and back-pressure."""
import json
import threading
import time


def test_replies_can_come_out_of_order(sb):
    slow = sb.start_request("test/sleep", {"ms": 700})
    fast = sb.start_request("test/sleep", {"ms": 10})
    first = sb.next_message()
    assert first["id"] == fast
    assert sb.response(slow)["result"] == {"sleptMs": 700}


def test_requests_run_concurrently(sb):
    started = time.monotonic()
    ids = [sb.start_request("test/sleep", {"ms": 500}) for _ in range(20)]
    for i in ids:
        assert sb.response(i)["result"] == {"sleptMs": 500}
    assert time.monotonic() - started < 5


def test_writer_on_a_key_waits_for_earlier_readers_and_blocks_later_ones(sb):
    r1 = sb.start_request("test/sleep", {"ms": 400, "key": "k"})
    w = sb.start_request("test/sleep", {"ms": 50, "key": "k", "exclusive": True})
    r2 = sb.start_request("test/sleep", {"ms": 10, "key": "k"})
    other = sb.start_request("test/sleep", {"ms": 10, "key": "other", "exclusive": True})
    order = [sb.next_message()["id"] for _ in range(4)]
    assert order.index(other) < order.index(r1)
    assert order.index(r1) < order.index(w) < order.index(r2)


def test_ten_thousand_requests_without_reading(spawn):
    sb = spawn()
    # Pause our reader: write everything first, read afterwards.
    payload = b"".join(b'{"jsonrpc":"2.0","id":%d,"method":"ping"}\n' % i for i in range(10000))
    writer = threading.Thread(target=lambda: (sb.write_raw(payload), sb.close_stdin()))
    writer.start()
    writer.join(timeout=60)
    assert not writer.is_alive(), "deadlock: the server stopped reading while we were not reading"
    assert sb.wait(timeout=60) == 0
    frames = sb.stdout_frames()
    assert sorted(f["id"] for f in frames) == list(range(10000))


def test_stdout_is_frames_only_with_logging_at_trace(spawn):
    sb = spawn(args=["--log-level", "trace"])
    for _ in range(20):
        sb.call("ping")
    sb.request("nope")
    sb.write_raw(b"garbage\n")
    sb.stop()
    for line in bytes(sb.stdout_bytes).split(b"\n")[:-1]:
        json.loads(line)
    assert sb.stderr_bytes, "trace logging should write to stderr"
