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


def test_seeded_fuzz_short_run_keeps_memory_bounded(sb):
    """The CI run of the seeded fuzzer (`python3 bench/reliability_engine.py --only fuzz --fuzz-frames 1000000`
    is the long run, figures in RELIABILITY.md): 20,000 frames, every reply a valid frame, the server
    alive and answering after them, and its peak RSS bounded."""
    rng = random.Random(20261126)
    for _ in range(4):
        frames = []
        for _ in range(5000):
            if rng.random() < 300 / 1800:
                frames.append(bytes(rng.randrange(256) for _ in range(rng.randint(1, 200))).replace(b"\n", b""))
            else:
                frames.append(mutate(rng, rng.choice(SEEDS)))
        sb.write_raw(b"\n".join(frames) + b"\n")
    marker = sb.start_request("ping", id="after-short-fuzz")
    assert sb.response(marker, timeout=120)["result"] == {}
    assert sb.rss_kib("VmHWM") < 256 * 1024, "peak RSS over 256 MiB during the fuzz run"
    sb.stop()
    for frame in sb.stdout_frames():
        for item in frame if isinstance(frame, list) else [frame]:
            assert item["jsonrpc"] == "2.0"


def test_batch_over_the_item_cap_is_refused_whole_without_parsing_it(sb):
    line = b"[" + b",".join(b'{"jsonrpc":"2.0","id":%d,"method":"rpc.discover"}' % i for i in range(200_000)) + b"]\n"
    sb.write_raw(line)
    reply = sb.next_message(timeout=60)
    assert reply["id"] is None and reply["error"]["code"] == -32600
    assert reply["error"]["data"]["limitItems"] == 10000
    assert sb.call("ping") == {}
    assert sb.rss_kib("VmHWM") < 128 * 1024
