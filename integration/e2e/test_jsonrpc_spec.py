"""The worked examples of the JSON-RPC 2.0 specification (§7), against the real binary."""
import json


def test_call_with_named_params(sb):
    reply = sb.request("test/echo", {"value": {"subtrahend": 23, "minuend": 42}})
    assert reply == {"jsonrpc": "2.0", "id": reply["id"], "result": {"subtrahend": 23, "minuend": 42}}


def test_positional_params_are_invalid_params(sb):
    reply = sb.request("test/echo", [42, 23])
    assert reply["error"]["code"] == -32602
    assert reply["error"]["data"]["field"] == ""


def test_notification_gets_no_reply(sb):
    sb.notify("update", [1, 2, 3, 4, 5])
    sb.notify("ping")
    sb.notify("nope.unknown")
    assert sb.call("ping") == {}
    sb.drain(0.2)
    assert [m for m in sb._pending if m.get("method") != "$/progress"] == []


def test_unknown_method(sb):
    reply = sb.request("foobar")
    assert reply["error"]["code"] == -32601
    assert reply["error"]["message"] == "Method not found."


def test_invalid_json(sb):
    sb.write_raw(b'{"jsonrpc": "2.0", "method": "foobar, "params": "bar", "baz]\n')
    reply = sb.next_message()
    assert reply["id"] is None and reply["error"]["code"] == -32700
    assert "id" in reply


def test_invalid_request_object(sb):
    sb.write_raw(b'{"jsonrpc": "2.0", "method": 1, "params": "bar"}\n')
    reply = sb.next_message()
    assert reply == {"jsonrpc": "2.0", "id": None, "error": reply["error"]}
    assert reply["error"]["code"] == -32600


def test_batch_invalid_json(sb):
    sb.write_raw(b'[{"jsonrpc": "2.0", "method": "sum", "params": [1,2,4], "id": "1"},{"jsonrpc": "2.0", "method"]\n')
    reply = sb.next_message()
    assert isinstance(reply, dict) and reply["error"]["code"] == -32700 and reply["id"] is None


def test_empty_batch(sb):
    sb.write_raw(b"[]\n")
    reply = sb.next_message()
    assert isinstance(reply, dict) and reply["error"]["code"] == -32600 and reply["id"] is None


def test_batch_of_one_invalid(sb):
    sb.write_raw(b"[1]\n")
    reply = sb.next_message()
    assert isinstance(reply, list) and len(reply) == 1 and reply[0]["error"]["code"] == -32600


def test_batch_of_three_invalid(sb):
    sb.write_raw(b"[1,2,3]\n")
    reply = sb.next_message()
    assert [r["error"]["code"] for r in reply] == [-32600] * 3
    assert all(r["id"] is None for r in reply)


def test_mixed_batch(sb):
    batch = [
        {"jsonrpc": "2.0", "method": "test/echo", "params": {"value": 7}, "id": "1"},
        {"jsonrpc": "2.0", "method": "notify_hello", "params": [7]},
        {"jsonrpc": "2.0", "method": "test/echo", "params": {"value": 19}, "id": "2"},
        {"foo": "boo"},
        {"jsonrpc": "2.0", "method": "foo.get", "params": {"name": "myself"}, "id": "5"},
        {"jsonrpc": "2.0", "method": "ping", "id": "9"},
    ]
    sb.write_raw(json.dumps(batch).encode() + b"\n")
    reply = sb.next_message()
    assert isinstance(reply, list) and len(reply) == 5
    by_id = {}
    for r in reply:
        by_id.setdefault(r["id"], []).append(r)
    assert by_id["1"][0]["result"] == 7
    assert by_id["2"][0]["result"] == 19
    assert by_id[None][0]["error"]["code"] == -32600
    assert by_id["5"][0]["error"]["code"] == -32601
    assert by_id["9"][0]["result"] == {}


def test_batch_of_notifications_gets_nothing(sb):
    sb.write_raw(b'[{"jsonrpc":"2.0","method":"notify_sum","params":[1,2,4]},{"jsonrpc":"2.0","method":"notify_hello","params":[7]}]\n')
    assert sb.call("ping") == {}
    sb.drain(0.2)
    assert sb._pending == []
    sb.stop()
    frames = sb.stdout_frames()
    assert len(frames) == 1 and frames[0]["result"] == {}
