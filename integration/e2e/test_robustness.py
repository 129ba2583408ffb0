"""Mutated and random input never stops the server: every reply is a valid frame and the next request is served."""
import json
import random

SEEDS = [
    b'{"jsonrpc":"2.0","id":1,"method":"ping"}',
    b'{"jsonrpc":"2.0","id":"a","method":"test/echo","params":{"value":[1,{"b":"\\u00e9"}]}}',
    b'[{"jsonrpc":"2.0","id":2,"method":"ping"},{"jsonrpc":"2.0","method":"x"}]',
    b'{"jsonrpc":"2.0","id":3,"method":"setCredentials","params":{"transferPhoneNumber":"+14155550100"}}',
    b'{"jsonrpc":"2.0","method":"$/cancelRequest","params":{"id":1}}',
]


def mutate(rng: random.Random, data: bytes) -> bytes:
    data = bytearray(data)
    for _ in range(rng.randint(1, 6)):
        op = rng.randrange(5)
        pos = rng.randrange(len(data) + 1)
        if op == 0 and data:
            del data[min(pos, len(data) - 1)]
        elif op == 1:
            data.insert(pos, rng.randrange(256))
        elif op == 2 and data:
            data[min(pos, len(data) - 1)] = rng.choice(b'{}[]",:\\ 0e-.ntf\xff\xc3\xe2')
        elif op == 3:
            data[pos:pos] = rng.choice([b'{', b'[', b'"', b'\\u', b'\\ud800', b'1e999', b'null', b'\r'])
        else:
            data = data[:pos]
    return bytes(data).replace(b"\n", b" ")


def test_mutated_frames_never_break_the_server(sb):
    rng = random.Random(20261125)
    frames = [mutate(rng, rng.choice(SEEDS)) for _ in range(1500)]
    frames += [bytes(rng.randrange(256) for _ in range(rng.randint(1, 200))).replace(b"\n", b"") for _ in range(300)]
    sb.write_raw(b"\n".join(frames) + b"\n")
    marker = sb.start_request("ping", id="after-fuzz")
    assert sb.response(marker, timeout=60)["result"] == {}
    sb.stop()
    for frame in sb.stdout_frames():  # every reply parses and is a response or a notification
        items = frame if isinstance(frame, list) else [frame]
        for item in items:
            assert item["jsonrpc"] == "2.0"
            assert ("result" in item) != ("error" in item) or item.get("method") == "$/progress"


def test_deeply_nested_input_is_refused_without_crashing(sb):
    sb.write_raw(b"[" * 100000 + b"\n")
    reply = sb.next_message()
    assert reply["error"]["code"] == -32700
    assert sb.call("ping") == {}


def test_huge_numbers_and_long_strings_in_params(sb):
    sb.write_raw(b'{"jsonrpc":"2.0","id":1,"method":"test/sleep","params":{"ms":1' + b"0" * 5000 + b'}}\n')
    assert sb.next_message()["error"]["code"] == -32602
    value = "x" * (4 << 20)
    assert sb.call("test/echo", {"value": value}, timeout=60) == value
