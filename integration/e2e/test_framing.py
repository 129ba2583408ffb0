"""Framing: newline and Content-Length, cut from raw bytes whatever the read boundaries."""
import json
import time

import pytest

PING = b'{"jsonrpc":"2.0","id":1,"method":"ping"}'


def test_crlf_blank_lines_and_bom(sb):
    sb.write_raw(b"\xef\xbb\xbf" + PING + b"\r\n\r\n   \n\t\r\n" + PING.replace(b"1", b"2") + b"\r\n")
    assert sb.response(1)["result"] == {}
    assert sb.response(2)["result"] == {}


def test_last_line_without_newline_is_served(sb):
    sb.write_raw(PING)
    sb.close_stdin()
    assert sb.wait() == 0
    assert sb.stdout_bytes == b'{"jsonrpc":"2.0","id":1,"result":{}}\n'


def test_byte_by_byte_with_split_utf8(sb):
    text = "h\u00e9 \u4e2d\U0001F600 end"
    frame = json.dumps({"jsonrpc": "2.0", "id": 5, "method": "test/echo", "params": {"value": text}},
                       ensure_ascii=False).encode() + b"\n"
    for i in range(len(frame)):
        sb.write_raw(frame[i:i + 1])
        if i % 7 == 0:
            time.sleep(0.001)
    assert sb.response(5)["result"] == text


def test_utf8_character_split_across_three_writes(sb):
    frame = '{"jsonrpc":"2.0","id":6,"method":"test/echo","params":{"value":"\U0001F600\u4e2d"}}\n'.encode()
    emoji = frame.index(b"\xf0")
    sb.write_raw(frame[:emoji + 1])
    time.sleep(0.05)
    sb.write_raw(frame[emoji + 1:emoji + 3])
    time.sleep(0.05)
    sb.write_raw(frame[emoji + 3:])
    assert sb.response(6)["result"] == "\U0001F600\u4e2d"


def test_u2028_and_u2029_are_escaped_on_output(sb):
    sb.send({"jsonrpc": "2.0", "id": 7, "method": "test/echo", "params": {"value": "a\u2028b\u2029c/d"}})
    assert sb.response(7)["result"] == "a\u2028b\u2029c/d"
    sb.stop()
    assert b"\\u2028" in sb.stdout_bytes and b"\\u2029" in sb.stdout_bytes
    assert "\u2028".encode() not in sb.stdout_bytes and "\u2029".encode() not in sb.stdout_bytes
    assert b"c/d" in sb.stdout_bytes


@pytest.mark.parametrize("payload", [
    b'{"jsonrpc":"2.0","id":1,"method":"test/echo","params":{"value":"\xff"}}',
    b'{"jsonrpc":"2.0","id":1,"method":"test/echo","params":{"value":"\xc0\xaf"}}',
    b'{"jsonrpc":"2.0","id":1,"method":"test/echo","params":{"value":"\xed\xa0\x80"}}',
    b'{"jsonrpc":"2.0","id":1,"method":"test/echo","params":{"value":"\\ud800"}}',
    b'{"jsonrpc":"2.0","id":1,"method":"test/echo","params":{"value":"\\udc00x"}}',
])
def test_invalid_utf8_and_lone_surrogates_are_parse_errors(sb, payload):
    sb.write_raw(payload + b"\n")
    reply = sb.next_message()
    assert reply["error"]["code"] == -32700 and reply["id"] is None
    assert sb.call("ping") == {}


def test_oversized_line_is_skipped_and_next_frame_served(sb):
    big = b'{"jsonrpc":"2.0","id":1,"method":"test/echo","params":{"value":"' + b"x" * (17 << 20) + b'"}}\n'
    sb.write_raw(big + b'{"jsonrpc":"2.0","id":2,"method":"ping"}\n')
    first = sb.next_message(timeout=30)
    assert first["id"] is None and first["error"]["code"] == -32600
    assert first["error"]["data"]["limitBytes"] == 16 << 20
    assert sb.response(2)["result"] == {}


def test_forty_mib_line_keeps_memory_bounded(sb):
    assert sb.call("ping") == {}
    before = sb.rss_kib("VmRSS")
    chunk = b"y" * (1 << 20)
    sb.write_raw(b'{"jsonrpc":"2.0","id":1,"method":"test/echo","params":{"value":"')
    for _ in range(40):
        sb.write_raw(chunk)
    sb.write_raw(b'"}}\n{"jsonrpc":"2.0","id":2,"method":"ping"}\n')
    assert sb.next_message(timeout=30)["error"]["code"] == -32600
    assert sb.response(2)["result"] == {}
    peak = sb.rss_kib("VmHWM")
    assert peak - before < 40 * 1024, f"peak RSS grew by {(peak - before) // 1024} MiB"


def test_content_length_framing(spawn):
    sb = spawn(framing="contentlength")
    body = json.dumps({"jsonrpc": "2.0", "id": 1, "method": "test/echo", "params": {"value": "\u00e9\U0001F600"}},
                      ensure_ascii=False).encode()
    # Mixed-case header, an extra header, LF-only line ends on the second frame.
    sb.write_raw(b"content-length: %d\r\nContent-Type: application/vscode-jsonrpc; charset=utf-8\r\n\r\n" % len(body) + body)
    sb.write_raw(b"Content-Length: %d\n\n" % len(PING.replace(b"1", b"2")) + PING.replace(b"1", b"2"))
    assert sb.response(1)["result"] == "\u00e9\U0001F600"
    assert sb.response(2)["result"] == {}
    sb.stop()
    assert sb.stdout_bytes.startswith(b"Content-Length: ")
    assert len(sb.stdout_frames()) == 2


def test_content_length_byte_by_byte(spawn):
    sb = spawn(framing="contentlength")
    frame = sb.frame({"jsonrpc": "2.0", "id": 9, "method": "ping"})
    for i in range(len(frame)):
        sb.write_raw(frame[i:i + 1])
    assert sb.response(9)["result"] == {}


def test_content_length_rejects_batches_and_bad_headers(spawn):
    sb = spawn(framing="contentlength")
    sb.send(b'[{"jsonrpc":"2.0","id":1,"method":"ping"}]')
    reply = sb.next_message()
    assert reply["error"]["code"] == -32600 and reply["id"] is None
    sb.write_raw(b"Content-Length: abc\r\n\r\n")
    assert sb.next_message()["error"]["code"] == -32600
    sb.send({"jsonrpc": "2.0", "id": 3, "method": "ping"})
    assert sb.response(3)["result"] == {}


def test_content_length_oversized_body_skipped(spawn):
    sb = spawn(framing="contentlength")
    size = (16 << 20) + 10
    sb.write_raw(b"Content-Length: %d\r\n\r\n" % size)
    sb.write_raw(b" " * size)
    sb.send({"jsonrpc": "2.0", "id": 4, "method": "ping"})
    assert sb.next_message(timeout=30)["error"]["code"] == -32600
    assert sb.response(4)["result"] == {}


BROKEN_HEADER_BLOCKS = [
    b"Content-Length: -5\r\n\r\n{\"jsonrpc\":\"2.0\"}",
    b"Content-Length: abc\r\n\r\n{\"jsonrpc\":\"2.0\"}",
    b"Content-Type: application/vscode-jsonrpc; charset=utf-8\r\n\r\n{\"jsonrpc\":\"2.0\"}",
    b"Content-Length: 2\r\nContent-Type: application/json; charset=latin1\r\n\r\n{}",
    b"Content-Length: 4611686018427387904\r\n\r\n",
    b"Content-Length: 99999999999999999999999\r\n\r\n{}",
]


def test_content_length_recovers_after_each_broken_header_block(spawn):
    """Issue 15: after a bad header block the next valid frames were never answered."""
    sb = spawn(framing="contentlength")
    assert sb.call("ping") == {}
    for n, broken in enumerate(BROKEN_HEADER_BLOCKS):
        sb.write_raw(broken)
        ids = [f"r{n}-{i}" for i in range(20)]
        for id in ids:
            sb.send({"jsonrpc": "2.0", "id": id, "method": "ping"})
        for id in ids:
            assert sb.response(id, timeout=30)["result"] == {}
        sb.drain(0.3)
        errors = [m for m in sb._pending if isinstance(m, dict) and "error" in m]
        sb._pending.clear()
        assert len(errors) == 1, (broken, errors)
        assert errors[0]["id"] is None and errors[0]["error"]["code"] == -32600


def test_bare_json_line_in_content_length_mode_is_answered(spawn):
    sb = spawn(framing="contentlength")
    assert sb.call("ping") == {}
    sb.write_raw(b'{"jsonrpc":"2.0","id":"bare","method":"ping"}\n')
    assert sb.response("bare")["result"] == {}
    sb.stop()
    assert sb.stdout_bytes.count(b"Content-Length: ") == 2
