"""$/cancelRequest: running, early, unknown and finished ids; duplicate in-flight ids."""
import time


def test_cancel_running_request(sb):
    rid = sb.start_request("test/sleep", {"ms": 30000, "steps": 300})
    time.sleep(0.2)
    started = time.monotonic()
    sb.notify("$/cancelRequest", {"id": rid})
    reply = sb.response(rid)
    assert reply["error"]["code"] == -32800
    assert time.monotonic() - started < 5
    assert sb.call("ping") == {}


def test_cancel_before_request_is_remembered(sb):
    sb.notify("$/cancelRequest", {"id": "early-1"})
    reply = sb.request("test/sleep", {"ms": 30000}) if False else None
    sb.start_request("test/sleep", {"ms": 30000}, id="early-1")
    reply = sb.response("early-1", timeout=5)
    assert reply["error"]["code"] == -32800


def test_cancel_unknown_and_finished_ids_is_silent(sb):
    assert sb.call("ping") == {}
    rid = sb.start_request("ping")
    assert sb.response(rid)["result"] == {}
    sb.notify("$/cancelRequest", {"id": rid})          # finished: ignored
    sb.notify("$/cancelRequest", {"id": 123456789})    # never seen
    sb.notify("$/cancelRequest", {})                    # malformed
    sb.notify("$/cancelRequest", {"id": {"x": 1}})
    # the finished id can be reused and is not cancelled
    sb.start_request("test/sleep", {"ms": 10}, id=rid)
    assert sb.response(rid)["result"] == {"sleptMs": 10}
    sb.drain(0.2)
    assert sb._pending == []


def test_duplicate_in_flight_id_is_rejected(sb):
    sb.start_request("test/sleep", {"ms": 500}, id="dup")
    sb.start_request("ping", id="dup")
    # The refusal carries id null (an error with id "dup" would resolve the host's original request).
    refusal = sb.response(None)
    assert refusal["error"]["code"] == -32600
    assert refusal["error"]["data"]["id"] == "dup"
    original = sb.response("dup")
    assert original["result"] == {"sleptMs": 500}


def test_cancel_one_of_many(sb):
    ids = [sb.start_request("test/sleep", {"ms": 800}) for _ in range(5)]
    sb.notify("$/cancelRequest", {"id": ids[2]})
    results = {i: sb.response(i) for i in ids}
    assert results[ids[2]]["error"]["code"] == -32800
    assert all(results[i]["result"] == {"sleptMs": 800} for i in ids if i != ids[2])


def test_cancel_while_waiting_for_scheduling_key(sb):
    writer = sb.start_request("test/sleep", {"ms": 1500, "key": "p", "exclusive": True})
    waiting = sb.start_request("test/sleep", {"ms": 10, "key": "p"})
    time.sleep(0.1)
    sb.notify("$/cancelRequest", {"id": waiting})
    assert sb.response(waiting, timeout=1.2)["error"]["code"] == -32800
    assert sb.response(writer)["result"] == {"sleptMs": 1500}
