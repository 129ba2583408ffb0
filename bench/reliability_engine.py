#!/usr/bin/env python3
"""Engine reliability figures (RELIABILITY.md, section "Engine"): memory under hostile or stalled
hosts, cancel storms and the seeded protocol fuzzer, measured on the real binary over real pipes.

    python3 bench/reliability_engine.py [--binary PATH] [--baseline PATH] [--only NAME,...]
                                        [--fuzz-frames N] [--markdown PATH]

`--baseline` runs the same measurements on another build in the same run (each capped so a
runaway baseline is stopped rather than left to exhaust the machine). The long fuzz run is
`--only fuzz --fuzz-frames 1000000`. Prints a markdown section; `--markdown` also writes it.
"""
from __future__ import annotations

import argparse
import json
import os
import random
import sys
import threading
import time
from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH_DIR))
sys.path.insert(0, str(BENCH_DIR.parent / "integration" / "e2e"))

from harness import DEFAULT_BINARY, Context, proc_status_kib  # noqa: E402
from benchmarks_numbers import FakeUpstreamProcess, fake_credentials, req  # noqa: E402
from test_robustness import SEEDS, mutate  # noqa: E402

MIB = 1024


def peak_kib(pid: int) -> int:
    try:
        return proc_status_kib(pid, "VmHWM")
    except (FileNotFoundError, ProcessLookupError, KeyError):
        return 0


def sender(proc, data: bytes, progress: dict):
    """Writes `data` to the process in 64 KiB pieces from a thread; records how much got in."""
    def run():
        view = memoryview(data)
        try:
            while view:
                n = os.write(proc.in_fd, view[:65536])
                progress["sent"] += n
                view = view[n:]
        except OSError:
            pass
        progress["done"] = True
    progress.update(sent=0, done=False)
    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    return thread


# ---------------------------------------------------------------------------------------------
def stalled_host(ctx: Context, binary: Path, seconds: float, cap_mib: int) -> dict:
    """50,000 listNumbers on a 1,000-number account, sent by a host that never reads its replies."""
    vapi_key, sid, token = fake_credentials()
    fake = FakeUpstreamProcess(ctx, ["--seed-vapi", "1000", "--no-ties"])
    try:
        env = {"SWITCHBOARD_VAPI_BASE_URL": fake.base_url, "SWITCHBOARD_TWILIO_BASE_URL": fake.base_url}
        proc = ctx.spawn(env=env) if binary == ctx.binary else spawn_other(ctx, binary, env)
        try:
            os.write(proc.in_fd, req(0, "setCredentials", {"vapiPrivateKey": vapi_key, "twilioAccountSid": sid,
                                                           "twilioAuthToken": token}))
            assert "result" in json.loads(proc.read_line()), "setCredentials failed"
            os.write(proc.in_fd, req(1, "listNumbers"))
            first = json.loads(proc.read_line())
            assert first["result"]["count"] == 1000, first
            data = b"".join(req(i, "listNumbers") for i in range(2, 50_002))
            progress: dict = {}
            sender(proc, data, progress)
            deadline, peak, stalled = time.monotonic() + seconds, 0, False
            while time.monotonic() < deadline:
                time.sleep(0.05)
                peak = max(peak, peak_kib(proc.pid))
                if peak > cap_mib * MIB:
                    stalled = None  # stopped: over the cap
                    break
            return {"peak_kib": peak, "sent_bytes": progress["sent"], "total_bytes": len(data),
                    "capped": stalled is None, "seconds": seconds}
        finally:
            proc.kill()
            proc.close()
    finally:
        fake.stop()


def spawn_other(ctx: Context, binary: Path, env: dict | None = None):
    from harness import Proc
    home = ctx.new_home()
    return Proc.start([str(binary)], env=ctx.env(home, env), home=home, stderr_path=home.with_suffix(".stderr"))


def discover_batch(ctx: Context, binary: Path, items: int | None, cap_mib: int) -> dict:
    """One batch line of rpc.discover: `items` of them, or as many as fit just under 16 MiB."""
    one = b'{"jsonrpc":"2.0","id":%d,"method":"rpc.discover"}'
    if items is None:
        parts, size, i = [], 2, 0
        while True:
            item = one % i
            if size + len(item) + 1 > (16 << 20) - 1:
                break
            parts.append(item)
            size += len(item) + 1
            i += 1
    else:
        parts = [one % i for i in range(items)]
    line = b"[" + b",".join(parts) + b"]\n"
    proc = spawn_other(ctx, binary)
    try:
        progress: dict = {}
        sender(proc, line + b'{"jsonrpc":"2.0","id":"after","method":"ping"}\n', progress)
        peak, replied, reply_bytes, t0 = 0, False, 0, time.monotonic()
        reader_state = {"lines": 0, "bytes": 0, "after": False}

        def read():
            try:
                while True:
                    got = proc.read_line(bufsize=1 << 20)
                    reader_state["lines"] += 1
                    reader_state["bytes"] += len(got)
                    if b'"after"' in got[:64]:
                        reader_state["after"] = True
                    if reader_state["lines"] >= 2:
                        return
            except (EOFError, OSError):
                return
        reader = threading.Thread(target=read, daemon=True)
        reader.start()
        while reader.is_alive() and time.monotonic() - t0 < 120:
            time.sleep(0.02)
            peak = max(peak, peak_kib(proc.pid))
            if peak > cap_mib * MIB:
                break
        peak = max(peak, peak_kib(proc.pid))
        return {"items": len(parts), "line_bytes": len(line), "peak_kib": peak, "answered": reader_state["after"],
                "reply_bytes": reader_state["bytes"], "capped": peak > cap_mib * MIB}
    finally:
        proc.kill()
        proc.close()


def cancel_storm(ctx: Context, binary: Path, count: int, limit_s: float) -> dict:
    """`count` $/cancelRequest for unknown ids, then a ping: time until the ping's reply."""
    data = b"".join(b'{"jsonrpc":"2.0","method":"$/cancelRequest","params":{"id":"u%d"}}\n' % i
                    for i in range(count)) + b'{"jsonrpc":"2.0","id":"p","method":"ping"}\n'
    proc = spawn_other(ctx, binary)
    try:
        os.write(proc.in_fd, b'{"jsonrpc":"2.0","id":0,"method":"ping"}\n')
        proc.read_line()  # started and warm
        progress: dict = {}
        t0 = time.perf_counter()
        sender(proc, data, progress)
        result = {}

        def read():
            result["line"] = proc.read_line()
            result["t"] = time.perf_counter() - t0
        reader = threading.Thread(target=read, daemon=True)
        reader.start()
        reader.join(limit_s)
        return {"count": count, "seconds": result.get("t"), "ok": b'"p"' in result.get("line", b"")}
    finally:
        proc.kill()
        proc.close()


def fuzz(ctx: Context, binary: Path, frames: int, seed: int = 20261125) -> dict:
    """The e2e suite's seeded mutator (integration/e2e/test_robustness.py), `frames` frames, then a ping."""
    rng = random.Random(seed)
    proc = spawn_other(ctx, binary)
    state = {"lines": 0, "bad": 0, "after": False, "eof": False}

    def read():
        try:
            while True:
                line = proc.read_line(bufsize=1 << 20)
                state["lines"] += 1
                try:
                    msg = json.loads(line)
                    items = msg if isinstance(msg, list) else [msg]
                    if any(it.get("jsonrpc") != "2.0" for it in items):
                        state["bad"] += 1
                    if isinstance(msg, dict) and msg.get("id") == "after-fuzz":
                        state["after"] = True
                        return
                except ValueError:
                    state["bad"] += 1
        except (EOFError, OSError):
            state["eof"] = True
    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    peak, sent, t0 = 0, 0, time.monotonic()
    try:
        while sent < frames:
            n = min(5000, frames - sent)
            chunk = []
            for _ in range(n):
                if rng.random() < 300 / 1800:
                    chunk.append(bytes(rng.randrange(256) for _ in range(rng.randint(1, 200))).replace(b"\n", b""))
                else:
                    chunk.append(mutate(rng, rng.choice(SEEDS)))
            proc.send(b"\n".join(chunk) + b"\n")
            sent += n
            peak = max(peak, peak_kib(proc.pid))
        proc.send(b'{"jsonrpc":"2.0","id":"after-fuzz","method":"ping"}\n')
        reader.join(120)
        peak = max(peak, peak_kib(proc.pid))
        alive = proc.popen.poll() is None
        return {"frames": frames, "replies": state["lines"], "bad_replies": state["bad"], "answered_after": state["after"],
                "crashes": 0 if alive and state["after"] else 1, "peak_kib": peak, "seconds": time.monotonic() - t0}
    finally:
        proc.kill()
        proc.close()


# ---------------------------------------------------------------------------------------------
def mib(kib) -> str:
    return f"{kib / MIB:.1f} MiB"


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--binary", default=str(DEFAULT_BINARY))
    ap.add_argument("--baseline", default=None, help="another build to measure alongside (capped)")
    ap.add_argument("--only", default="stall,batch,cancels,fuzz")
    ap.add_argument("--fuzz-frames", type=int, default=20_000)
    ap.add_argument("--stall-seconds", type=float, default=30.0)
    ap.add_argument("--markdown", default=None)
    args = ap.parse_args()
    only = set(args.only.split(","))
    ctx = Context(Path(args.binary), quick=False, out_dir=BENCH_DIR / "out")
    subjects = [("this build", Path(args.binary))] + ([("baseline", Path(args.baseline))] if args.baseline else [])
    rows = []
    try:
        for label, binary in subjects:
            if "stall" in only:
                r = stalled_host(ctx, binary, args.stall_seconds, cap_mib=1024)
                print(label, "stall", r, flush=True)
                rows.append((label, "Peak RSS, host stops reading, 50,000 `listNumbers` on 1,000 numbers "
                             f"({r['seconds']:.0f} s)", mib(r["peak_kib"]) + (" (stopped at the cap)" if r["capped"] else "")
                             + f"; {r['sent_bytes'] * 100 // r['total_bytes']} % of the requests read", "≤ 64 MiB",
                             r["peak_kib"] <= 64 * MIB))
            if "batch" in only:
                for items in (None, 10_000):
                    if label == "baseline" and items is not None:
                        continue
                    r = discover_batch(ctx, binary, items, cap_mib=1024)
                    print(label, "batch", r, flush=True)
                    what = ("16 MiB batch line of `rpc.discover`" if items is None
                            else f"batch of {items:,} `rpc.discover` (the item cap)")
                    rows.append((label, f"Peak RSS, {what} ({r['items']:,} items)",
                                 mib(r["peak_kib"]) + (" (stopped at 1 GiB)" if r["capped"] else "")
                                 + ("" if r["answered"] else "; the ping after it was not answered"),
                                 "≤ 128 MiB", r["peak_kib"] <= 128 * MIB and r["answered"]))
            if "cancels" in only:
                r = cancel_storm(ctx, binary, 200_000, limit_s=60)
                print(label, "cancels", r, flush=True)
                rows.append((label, "200,000 cancels for unknown ids, then a ping: until its reply",
                             f"{r['seconds']:.3f} s" if r["seconds"] is not None else "> 60 s", "< 1 s",
                             r["seconds"] is not None and r["seconds"] < 1 and r["ok"]))
            if "fuzz" in only and label == "this build":
                r = fuzz(ctx, binary, args.fuzz_frames)
                print(label, "fuzz", r, flush=True)
                rows.append((label, f"Seeded fuzzer: {r['frames']:,} frames ({r['seconds']:.0f} s, "
                             f"{r['replies']:,} replies, {r['bad_replies']} unparseable)",
                             f"{r['crashes']} crashes, peak RSS {mib(r['peak_kib'])}", "0 crashes",
                             r["crashes"] == 0 and r["bad_replies"] == 0))
    finally:
        ctx.cleanup()
    lines = ["| binary | measure | value | target | meets |", "| --- | --- | --- | --- | --- |"]
    for label, what, value, target, meets in rows:
        lines.append(f"| {label} | {what} | {value} | {target} | {'yes' if meets else 'no'} |")
    text = "\n".join(lines) + "\n"
    print(text)
    if args.markdown:
        Path(args.markdown).write_text(text)


if __name__ == "__main__":
    main()
