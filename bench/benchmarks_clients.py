"""Clients benchmarks: what a call costs through clients/python and clients/node, beside raw pipes.

Sequential round trips (one call in flight) of `ping` and of `listNumbers` over 1,000 Vapi numbers
served by the fake upstream, which runs as its own process (`integration/fake_upstream`). Each row
is one switchboard process driven by one client; the raw rows do the least any client must do
(write the request line, read the reply line, parse its JSON) in the same language.
"""
from __future__ import annotations

import asyncio
import atexit
import gc
import json
import os
import shutil
import subprocess
import sys

from benchmarks_numbers import FakeUpstreamProcess, fake_credentials
from harness import (ROOT, Context, Proc, Result, RpcClient, background_cores, benchmark, fmt, now_ns, ns_to_us,
                     summarize)

SECTION = "Clients"
BENCHMARKS: list = []

N_NUMBERS = 1_000
NODE_SCRIPT = ROOT / "bench" / "clients_node_roundtrip.js"

sys.path.insert(0, str(ROOT / "clients" / "python"))


def _fixture(ctx: Context) -> dict:
    if "clients_fixture" in ctx.shared:
        return ctx.shared["clients_fixture"]
    vapi_key, sid, token = fake_credentials()
    fake = FakeUpstreamProcess(ctx, ["--seed-vapi", str(N_NUMBERS)])
    atexit.register(fake.stop)
    home = ctx.new_home()
    env = ctx.env(home, {"SWITCHBOARD_VAPI_BASE_URL": fake.base_url, "SWITCHBOARD_TWILIO_BASE_URL": fake.base_url})
    with Proc.start([str(ctx.binary)], env=env, stderr_path=home.with_suffix(".stderr")) as p:
        RpcClient(p).call("setCredentials", {"vapiPrivateKey": vapi_key, "twilioAccountSid": sid, "twilioAuthToken": token})
        count = RpcClient(p).call("listNumbers")["count"]
    if count != N_NUMBERS:
        fake.stop()
        raise AssertionError(f"listNumbers returned {count} numbers, expected {N_NUMBERS}")
    fx = {"fake": fake, "env": env}
    ctx.shared["clients_fixture"] = fx
    return fx


def _python_raw(ctx: Context, env: dict, method: str, count: int, warm: int) -> list[int]:
    times = []
    with Proc.start([str(ctx.binary)], env=env) as p:
        gc.disable()
        try:
            for i in range(1, warm + count + 1):
                request = b'{"jsonrpc":"2.0","id":%d,"method":"%s","params":{}}\n' % (i, method.encode())
                t0 = now_ns()
                os.write(p.in_fd, request)
                reply = json.loads(p.read_line(1 << 20))
                t1 = now_ns()
                if reply.get("id") != i or "error" in reply:
                    raise AssertionError(f"unexpected reply: {str(reply)[:200]}")
                if i > warm:
                    times.append(t1 - t0)
        finally:
            gc.enable()
    return times


def _python_sync(ctx: Context, env: dict, method: str, count: int, warm: int) -> list[int]:
    from switchboard_client import Switchboard
    times = []
    with Switchboard(ctx.binary, env=env) as sb:
        gc.disable()
        try:
            for i in range(warm + count):
                t0 = now_ns()
                sb.call(method, {})
                t1 = now_ns()
                if i >= warm:
                    times.append(t1 - t0)
        finally:
            gc.enable()
    return times


def _python_async(ctx: Context, env: dict, method: str, count: int, warm: int) -> list[int]:
    from switchboard_client import AsyncSwitchboard

    async def run() -> list[int]:
        times = []
        async with AsyncSwitchboard(ctx.binary, env=env) as sb:
            for i in range(warm + count):
                t0 = now_ns()
                await sb.call(method, {})
                t1 = now_ns()
                if i >= warm:
                    times.append(t1 - t0)
        return times

    gc.disable()
    try:
        return asyncio.run(run())
    finally:
        gc.enable()


def _node(ctx: Context, env: dict, mode: str, method: str, count: int, warm: int) -> list[int]:
    node = shutil.which("node")
    if node is None:
        raise RuntimeError("node not found")
    done = subprocess.run([node, str(NODE_SCRIPT), mode, method, str(count), str(warm)], capture_output=True,
                          env={**env, "SWITCHBOARD_BIN": str(ctx.binary)}, timeout=600)
    if done.returncode != 0:
        raise RuntimeError(f"node {mode} failed: {done.stderr.decode()[-2000:]}")
    return json.loads(done.stdout)["times_ns"]


@benchmark(BENCHMARKS, "clients_roundtrip", "Round trip through the Python and Node clients")
def clients_roundtrip(ctx: Context) -> Result:
    fx = _fixture(ctx)
    busy_before = background_cores()
    plan = {"ping": (ctx.pick(3_000, 300), 100), "listNumbers": (ctx.pick(100, 10), 3)}
    runners = [
        ("Python, raw pipes (`os.write`, read line, `json.loads`)", lambda env, m, n, w: _python_raw(ctx, env, m, n, w)),
        ("Python `Switchboard` (threads)", lambda env, m, n, w: _python_sync(ctx, env, m, n, w)),
        ("Python `AsyncSwitchboard` (asyncio)", lambda env, m, n, w: _python_async(ctx, env, m, n, w)),
        ("Node, raw pipes (`write`, split lines, `JSON.parse`)", lambda env, m, n, w: _node(ctx, env, "raw", m, n, w)),
        ("Node `Switchboard`", lambda env, m, n, w: _node(ctx, env, "client", m, n, w)),
    ]
    rounds = ctx.pick(5, 2)
    rows, data = [], {}
    for method, (count, warm) in plan.items():
        # Interleaved rounds (a fresh process per runner and round, the order rotating) so that a change
        # in the machine's load during the run hits every row alike.
        times: dict = {label: [] for label, _ in runners}
        for rnd in range(rounds):
            for label, run in runners[rnd % len(runners):] + runners[:rnd % len(runners)]:
                env = ctx.env(ctx.new_home(), {}) if method == "ping" else fx["env"]
                times[label] += run(env, method, count // rounds, warm)
            ctx.log(f"{method}: round {rnd + 1} of {rounds} done")
        base = {}
        for label, _ in runners:
            stats = summarize([ns_to_us(t) for t in times[label]])
            language = label.split(",")[0].split(" ")[0]
            if "raw" in label:
                base[language] = stats
            over = base.get(language)
            rows.append([f"`{method}`", label, f"{len(times[label]):,}", fmt(stats["median"], 1), fmt(stats["p99"], 1),
                         "—" if "raw" in label else f"{stats['median'] - over['median']:+.1f} / {stats['p99'] - over['p99']:+.1f}"])
            data[f"{method} | {label}"] = {"p50_us": stats["median"], "p99_us": stats["p99"], "count": len(times[label])}
    r = Result(description=(
        "Sequential round trips, one call in flight. Each row is pooled from interleaved rounds, with a fresh "
        "`switchboard` process per row and round and the order rotating from round to round. `ping` runs on an "
        f"empty home. `listNumbers` lists {N_NUMBERS:,} Vapi numbers (one upstream page, a reply of about "
        "240 KB) from the fake upstream, which runs in its own process. The raw rows do the least any client "
        "must do in the same language: write the request line, read the reply line, parse the JSON. "
        "Python rows are timed with `perf_counter_ns` and the GC off. Node rows are timed inside Node with "
        "`process.hrtime.bigint()`. The overhead column is the client's p50 / p99 minus the raw row's, in "
        "the same language."))
    r.table(["Method", "Client", "Calls", "p50 µs", "p99 µs", "Overhead vs raw p50 / p99 µs"], rows)
    r.note("Overhead is the client's own cost per call: its id table, futures or promises, reader thread or "
           "event loop, and progress routing. A negative value means the difference is smaller than the "
           "noise between two processes on this machine.")
    r.note("Other processes share this machine's 2 CPUs (see the load in the Machine table). Compare rows "
           "from the same run only.")
    busy_after = background_cores()
    binary = os.path.relpath(ctx.binary, ROOT) if str(ctx.binary).startswith(str(ROOT)) else str(ctx.binary)
    r.note(f"Measured on `{binary}`; other processes used {busy_before:.2f} / {busy_after:.2f} CPUs (1 s samples "
           f"before / after), load average {os.getloadavg()[0]:.2f} at the end.")
    r.data = data | {"binary": binary, "background_cpus": [busy_before, busy_after]}
    return r
