"""Ids are echoed exactly as sent; envelopes are validated before methods and params."""
import pytest


@pytest.mark.parametrize("raw_id", [b'"abc"', b'""', b'"\xc3\xa9\xf0\x9f\x98\x80"', b"0", b"-7", b"1.0", b"1.5", b"1e3",
                                    b"92233720368547758070", b"-0", b"null"])
def test_id_echoed_byte_for_byte(sb, raw_id):
    sb.write_raw(b'{"jsonrpc":"2.0","id":' + raw_id + b',"method":"ping"}\n')
    sb.stop()
    assert sb.stdout_bytes == b'{"jsonrpc":"2.0","id":' + raw_id + b',"result":{}}\n'


def test_result_null_is_explicit(sb):
    sb.write_raw(b'{"jsonrpc":"2.0","id":3,"method":"test/echo","params":{"value":null}}\n')
    sb.stop()
    assert sb.stdout_bytes == b'{"jsonrpc":"2.0","id":3,"result":null}\n'


@pytest.mark.parametrize("frame,reason", [
    (b'{"id":1,"method":"ping"}', "jsonrpc"),
    (b'{"jsonrpc":"1.0","id":1,"method":"ping"}', "jsonrpc"),
    (b'{"jsonrpc":"2.0","id":1}', "method"),
    (b'{"jsonrpc":"2.0","id":1,"method":"ping","params":3}', "params"),
    (b'{"jsonrpc":"2.0","id":1,"method":"ping","params":"x"}', "params"),
])
def test_invalid_envelope_keeps_readable_id(sb, frame, reason):
    sb.write_raw(frame + b"\n")
    reply = sb.next_message()
    assert reply["id"] == 1 and reply["error"]["code"] == -32600
    assert reason in reply["error"]["data"]["reason"]


@pytest.mark.parametrize("frame", [b'{"jsonrpc":"2.0","id":{"a":1},"method":"ping"}', b'{"jsonrpc":"2.0","id":true,"method":"ping"}',
                                   b'{"jsonrpc":"2.0","id":[1],"method":"ping"}', b'"just a string"', b"42", b"null"])
def test_unusable_id_or_non_object_gets_null_id(sb, frame):
    sb.write_raw(frame + b"\n")
    reply = sb.next_message()
    assert reply["id"] is None and reply["error"]["code"] == -32600


def test_duplicate_keys_are_a_parse_error(sb):
    sb.write_raw(b'{"jsonrpc":"2.0","id":1,"id":2,"method":"ping"}\n')
    reply = sb.next_message()
    assert reply["error"]["code"] == -32700 and reply["id"] is None


def test_response_objects_from_client_are_ignored(sb):
    sb.write_raw(b'{"jsonrpc":"2.0","id":1,"result":5}\n')
    assert sb.call("ping") == {}
    sb.drain(0.1)
    assert sb._pending == []


def test_invalid_params_names_field_and_never_echoes_value(sb):
    secret = "s3cr3t-VALUE-xyz"
    reply = sb.request("test/sleep", {"ms": secret})
    err = reply["error"]
    assert err["code"] == -32602
    assert err["data"] == {"field": "/ms", "reason": "expected an integer"}
    reply = sb.request("test/sleep", {"ms": 1, "bogus": secret})
    assert reply["error"]["data"] == {"field": "/bogus", "reason": "unknown member"}
    reply = sb.request("test/sleep", {})
    assert reply["error"]["data"] == {"field": "/ms", "reason": "required"}
    reply = sb.request("test/sleep", {"ms": 1.5})
    assert reply["error"]["data"]["field"] == "/ms"
    reply = sb.request("test/sleep", {"ms": 1, "workDoneToken": {"x": secret}})
    assert reply["error"]["data"]["field"] == "/workDoneToken"
    sb.stop()
    assert secret.encode() not in sb.stdout_bytes and secret.encode() not in sb.stderr_bytes


def test_internal_error_is_generic_and_process_survives(sb):
    reply = sb.request("test/fail")
    assert reply["error"] == {"code": -32603, "message": "Internal error."}
    assert sb.call("ping") == {}


def test_rpc_prefix_is_reserved(sb):
    assert sb.request("rpc.other")["error"]["code"] == -32601
    assert sb.request("$/unknownRequest")["error"]["code"] == -32601
